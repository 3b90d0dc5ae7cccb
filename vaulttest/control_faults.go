package vaulttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json/jsontext"
)

// Bounds of the faults the control API lets pend at once: in number, so
// that matching a request against them stays cheap, and in bytes, so
// that faults with large bodies do not take vault-mock's memory past its
// documented bound.
const (
	maxPendingFaults     = 10000
	maxPendingFaultBytes = 4 << 20
)

// controlFault is a Fault in JSON: the same fields, named in camel case,
// with the Action by name, such as "ApplyThenReset", the Latency as a
// duration, such as "300ms", one value per Header name, and the Body as
// the JSON to answer with, or for ProxyHTML and HTMLBody a string, the
// page. Its strings are pointers, so that a member left out or null
// (nil) is told from an empty string, which no request matches and no
// answer can use: taken as left out, an empty selector would widen the
// fault to every request.
type controlFault struct {
	Route      *string            `json:"route"`
	SessionID  *string            `json:"sessionId"`
	Token      *string            `json:"token"`
	UserID     *string            `json:"userId"`
	Count      *int               `json:"count"`
	Action     *string            `json:"action"`
	Status     int                `json:"status"`
	Code       *string            `json:"code"`
	RetryAfter *string            `json:"retryAfter"`
	Header     map[string]*string `json:"header"`
	Latency    *string            `json:"latency"`
	Body       jsontext.Value     `json:"body"`
}

// controlFaultFields names the JSON member of each Fault field.
var controlFaultFields = map[string]string{
	"Route":      "route",
	"SessionID":  "sessionId",
	"Token":      "token",
	"UserID":     "userId",
	"Count":      "count",
	"Code":       "code",
	"Action":     "action",
	"Status":     "status",
	"Latency":    "latency",
	"RetryAfter": "retryAfter",
	"Header":     "header",
	"Body":       "body",
}

// fault returns the Fault cf describes, checked by the rules of
// Fault.ValidateInput for a server with the write timeout wt that delays
// every answer by latency (WithLatency) before the fault's own.
func (cf controlFault) fault(wt, latency time.Duration) (Fault, *controlError) {
	if ce := cf.checkEmpty(); ce != nil {
		return Fault{}, ce
	}
	f := Fault{
		Route:      deref(cf.Route),
		SessionID:  deref(cf.SessionID),
		Token:      deref(cf.Token),
		UserID:     deref(cf.UserID),
		Count:      1,
		Status:     cf.Status,
		Code:       deref(cf.Code),
		RetryAfter: deref(cf.RetryAfter),
	}
	if cf.Count != nil {
		f.Count = *cf.Count
	}
	if cf.Action != nil {
		if err := f.Action.UnmarshalText([]byte(*cf.Action)); err != nil {
			return Fault{}, invalidFault("action", fmt.Sprintf("fault action %q: not an action; the actions are %s",
				*cf.Action, strings.Join(actionNames[:], ", ")))
		}
	}
	if cf.Latency != nil {
		d, err := time.ParseDuration(*cf.Latency)
		if err != nil {
			return Fault{}, invalidFault("latency", fmt.Sprintf("fault latency %q: not a duration such as \"300ms\"", *cf.Latency))
		}
		f.Latency = d
	}
	if len(cf.Header) > 0 {
		f.Header = http.Header{}
		for k, v := range cf.Header {
			name := http.CanonicalHeaderKey(k)
			if _, dup := f.Header[name]; dup {
				return Fault{}, invalidFault("header", fmt.Sprintf("fault header %q: given twice, in two cases", name))
			}
			f.Header[name] = []string{*v}
		}
	}
	if len(cf.Body) > 0 && string(cf.Body) != "null" {
		f.Body = bytes.Clone(cf.Body)
		if f.Action == ProxyHTML || f.Action == HTMLBody {
			var page string
			if err := json.Unmarshal(cf.Body, &page); err != nil {
				return Fault{}, invalidFault("body", fmt.Sprintf("fault body: %s sends a page; the body is a string, the page's text", f.Action))
			}
			f.Body = []byte(page)
		}
	}
	if err := f.ValidateInput(wt); err != nil {
		fe := err.(*FaultError)
		ce := invalidFault(controlFaultFields[fe.Field], "")
		ce.Message = fmt.Sprintf("fault %s %s: %s", ce.Field, fe.Value, fe.Reason)
		if fe.Route != "" {
			ce.Route, ce.SessionID = fe.Route, fe.SessionID
			ce.Message += fmt.Sprintf(`; write "route": %q`, fe.Route)
			if fe.SessionID != "" {
				ce.Message += fmt.Sprintf(`, "sessionId": %q`, fe.SessionID)
			}
		}
		return Fault{}, ce
	}
	if latency > 0 && outlasts(f.Latency+latency, wt) {
		return Fault{}, invalidFault("latency", fmt.Sprintf("fault latency %s: with the server's latency of %s for every answer, %s",
			f.Latency, latency, outlastsReason(wt)))
	}
	return f, nil
}

func invalidFault(field, message string) *controlError {
	return &controlError{status: http.StatusBadRequest, Code: "INVALID_FAULT", Field: field, Message: message}
}

// checkSelectorsLocked refuses a fault whose selectors no request can
// match together: the token of one user with the userId of another.
// h.mu must be held.
func (h *Handler) checkSelectorsLocked(f Fault) *controlError {
	if f.Token == "" || f.UserID == "" {
		return nil
	}
	owner := h.sessionless[f.Token]
	if s := h.tokens[f.Token]; s != nil {
		owner = s.UserID
	}
	if owner != "" && owner != f.UserID {
		return invalidFault("userId", fmt.Sprintf("fault userId %q: the token is one of user %q; no request can match both", f.UserID, owner))
	}
	return nil
}

// controlFaultView is a pending fault as the control API shows it: the
// members of a fault, null where not set, its ID, how many answers it
// still gives and how many it gave.
type controlFaultView struct {
	ID         string            `json:"id"`
	Route      *string           `json:"route"`
	SessionID  *string           `json:"sessionId"`
	Token      *string           `json:"token"`
	UserID     *string           `json:"userId"`
	Count      int               `json:"count"`
	Remaining  int               `json:"remaining"`
	Fired      int               `json:"fired"`
	Action     string            `json:"action"`
	Status     *int              `json:"status"`
	Code       *string           `json:"code"`
	RetryAfter *string           `json:"retryAfter"`
	Header     map[string]string `json:"header"`
	Latency    *string           `json:"latency"`
	Body       json.RawMessage   `json:"body"`
}

func newControlFaultView(p PendingFault) controlFaultView {
	f := p.Fault
	v := controlFaultView{
		ID:         p.ID,
		Route:      nullable(f.Route),
		SessionID:  nullable(f.SessionID),
		Token:      nullable(f.Token),
		UserID:     nullable(f.UserID),
		Count:      max(f.Count, 1),
		Remaining:  p.Remaining,
		Fired:      p.Fired,
		Action:     f.Action.String(),
		Code:       nullable(f.Code),
		RetryAfter: nullable(f.RetryAfter),
	}
	if f.Count == Unlimited {
		v.Count = Unlimited
	}
	if f.Status != 0 {
		v.Status = &f.Status
	}
	if f.Latency != 0 {
		v.Latency = nullable(f.Latency.String())
	}
	if len(f.Header) > 0 {
		v.Header = make(map[string]string, len(f.Header))
		for k, vs := range f.Header {
			v.Header[k] = strings.Join(vs, ", ")
		}
	}
	if f.Body != nil {
		if f.Action == Respond && json.Valid(f.Body) {
			v.Body = f.Body
		} else {
			v.Body, _ = json.Marshal(string(f.Body))
		}
	}
	return v
}

// controlFaultList is the answer of GET and POST /faults: the number of
// faults pending and, for GET, all of them, for POST, those just queued.
type controlFaultList struct {
	Pending int                `json:"pending"`
	Faults  []controlFaultView `json:"faults"`
}

func faultViews(list []PendingFault) []controlFaultView {
	out := make([]controlFaultView, len(list))
	for i, p := range list {
		out[i] = newControlFaultView(p)
	}
	return out
}

func (h *Handler) controlListFaults(*controlCall) (int, any, error) {
	list := h.faults.List()
	return http.StatusOK, controlFaultList{Pending: len(list), Faults: faultViews(list)}, nil
}

// controlAddFaults queues one fault, or an array of them: all of them,
// or none if any is refused.
func (h *Handler) controlAddFaults(c *controlCall) (int, any, error) {
	var list []*controlFault
	many := bytes.HasPrefix(bytes.TrimSpace(c.body), []byte("["))
	var err error
	if many {
		err = c.decode(&list)
	} else {
		list = []*controlFault{new(controlFault)}
		err = c.decode(list[0])
	}
	if err != nil {
		return 0, nil, err
	}
	for i, cf := range list {
		if cf == nil {
			ce := badRequest("faults[%d]: a fault is a JSON object, not null", i)
			ce.Index = &i
			return 0, nil, ce
		}
	}
	if len(list) > maxControlFaults {
		return 0, nil, badRequest("%d faults in one request; at most %d", len(list), maxControlFaults)
	}
	faults := make([]Fault, 0, len(list))
	h.mu.Lock()
	for i, cf := range list {
		f, ce := cf.fault(h.cfg.control.WriteTimeout, h.cfg.latency)
		if ce == nil {
			ce = h.checkSelectorsLocked(f)
		}
		if ce != nil {
			h.mu.Unlock()
			if many {
				ce.Index = &i
				ce.Message = fmt.Sprintf("faults[%d]: %s", i, ce.Message)
			}
			return 0, nil, ce
		}
		faults = append(faults, f)
	}
	h.mu.Unlock()
	added, ok := h.faults.add(faults, queueBound{faults: maxPendingFaults, bytes: maxPendingFaultBytes})
	if !ok {
		return 0, nil, &controlError{status: http.StatusConflict, Code: "CONFLICT",
			Message: fmt.Sprintf("at most %d faults can be pending, holding at most %d MiB of bodies, headers and selectors; %d are, holding %d KiB: delete some, or the ones that never fire", maxPendingFaults, maxPendingFaultBytes>>20, h.faults.Pending(), h.faults.heldBytes()>>10)}
	}
	return http.StatusCreated, controlFaultList{Pending: h.faults.Pending(), Faults: faultViews(added)}, nil
}

func (h *Handler) controlClearFaults(*controlCall) (int, any, error) {
	h.faults.Clear()
	return http.StatusNoContent, nil, nil
}

func (h *Handler) controlFault(c *controlCall) (int, any, error) {
	p, ok := h.faults.Get(c.args[0])
	if !ok {
		return 0, nil, h.noFault(c.args[0])
	}
	return http.StatusOK, newControlFaultView(p), nil
}

func (h *Handler) controlDeleteFault(c *controlCall) (int, any, error) {
	if !h.faults.Remove(c.args[0]) {
		return 0, nil, h.noFault(c.args[0])
	}
	return http.StatusNoContent, nil, nil
}

// noFault is the 404 of a fault ID that is not pending.
func (h *Handler) noFault(id string) error {
	msg := fmt.Sprintf("no fault %s", strconv.Quote(id))
	if h.faults.issued(id) {
		msg = fmt.Sprintf("fault %s is no longer pending: it has given all its answers, or was deleted", id)
	}
	return &controlError{status: http.StatusNotFound, Code: CodeNotFound, Message: msg}
}
