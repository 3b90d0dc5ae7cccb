package vaulttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// controlFault is a Fault in JSON: the same fields, named in camel case,
// with the Action by name, such as "ApplyThenReset", the Latency as a
// duration, such as "300ms", and one value per Header name.
type controlFault struct {
	Route      string            `json:"route"`
	SessionID  string            `json:"sessionId"`
	Token      string            `json:"token"`
	UserID     string            `json:"userId"`
	Count      int               `json:"count"`
	Action     string            `json:"action"`
	Status     int               `json:"status"`
	Code       string            `json:"code"`
	RetryAfter string            `json:"retryAfter"`
	Header     map[string]string `json:"header"`
	Latency    string            `json:"latency"`
}

// controlFaultFields names the JSON member of each Fault field.
var controlFaultFields = map[string]string{
	"Route":     "route",
	"SessionID": "sessionId",
	"Token":     "token",
	"UserID":    "userId",
	"Count":     "count",
	"Action":    "action",
	"Status":    "status",
	"Latency":   "latency",
}

// fault returns the Fault cf describes, checked as Faults.Add checks it.
func (cf controlFault) fault() (Fault, *controlError) {
	f := Fault{
		Route:      cf.Route,
		SessionID:  cf.SessionID,
		Token:      cf.Token,
		UserID:     cf.UserID,
		Count:      cf.Count,
		Status:     cf.Status,
		Code:       cf.Code,
		RetryAfter: cf.RetryAfter,
	}
	if cf.Action != "" {
		if err := f.Action.UnmarshalText([]byte(cf.Action)); err != nil {
			return Fault{}, invalidFault("action", fmt.Sprintf("fault action %q: not an action; the actions are %s",
				cf.Action, strings.Join(actionNames[:], ", ")))
		}
	}
	if cf.Latency != "" {
		d, err := time.ParseDuration(cf.Latency)
		if err != nil {
			return Fault{}, invalidFault("latency", fmt.Sprintf("fault latency %q: not a duration such as \"300ms\"", cf.Latency))
		}
		f.Latency = d
	}
	if len(cf.Header) > 0 {
		f.Header = http.Header{}
		for k, v := range cf.Header {
			f.Header.Set(k, v)
		}
	}
	if err := f.Validate(); err != nil {
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
	return f, nil
}

func invalidFault(field, message string) *controlError {
	return &controlError{status: http.StatusBadRequest, Code: "INVALID_FAULT", Field: field, Message: message}
}

type controlPending struct {
	Pending int `json:"pending"`
}

func (h *Handler) controlPending(*controlCall) (int, any, error) {
	return http.StatusOK, controlPending{Pending: h.faults.Pending()}, nil
}

// controlAddFaults queues one fault, or an array of them: all of them,
// or none if any is refused.
func (h *Handler) controlAddFaults(c *controlCall) (int, any, error) {
	var raw json.RawMessage
	if err := c.decode(&raw, true); err != nil {
		return 0, nil, err
	}
	var list []controlFault
	many := bytes.HasPrefix(bytes.TrimSpace(raw), []byte("["))
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var err error
	if many {
		err = dec.Decode(&list)
	} else {
		list = make([]controlFault, 1)
		err = dec.Decode(&list[0])
	}
	if err != nil {
		return 0, nil, badRequest("the body is not a fault nor an array of faults: %v", err)
	}
	if len(list) > maxControlFaults {
		return 0, nil, badRequest("%d faults in one request; at most %d", len(list), maxControlFaults)
	}
	faults := make([]Fault, 0, len(list))
	for i, cf := range list {
		f, ce := cf.fault()
		if ce != nil {
			if many {
				ce.Index = &i
				ce.Message = fmt.Sprintf("faults[%d]: %s", i, ce.Message)
			}
			return 0, nil, ce
		}
		faults = append(faults, f)
	}
	h.faults.Add(faults...)
	return http.StatusCreated, controlPending{Pending: h.faults.Pending()}, nil
}

func (h *Handler) controlClearFaults(*controlCall) (int, any, error) {
	h.faults.Clear()
	return http.StatusNoContent, nil, nil
}
