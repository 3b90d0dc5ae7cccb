package vaulttest

import (
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// ControlPath is the path under which a Handler made with WithControlAPI
// serves its control API, beside the API's BasePath.
const ControlPath = "/__vault"

// maxControlBody bounds the body of a control request.
const maxControlBody = 1 << 20

// maxControlFaults bounds the faults one control request may queue.
const maxControlFaults = 1000

// ControlOptions configure the control API of WithControlAPI.
type ControlOptions struct {
	// AllowRemote makes the control API answer clients on any address.
	// Without it, it answers clients on the loopback interface only, and
	// 403 FORBIDDEN to others: whoever reaches it can read the token of
	// every session and change everything.
	AllowRemote bool
	// WriteTimeout is the write timeout of the http.Server the handler
	// is mounted on, zero for none: the control API refuses a fault
	// whose latency, and a wait whose time-out, would outlast it, as
	// the server would cut the answer.
	WriteTimeout time.Duration
}

// WithControlAPI makes the handler serve a control API under
// ControlPath: JSON over HTTP that seeds users and sessions and returns
// their tokens, revokes or expires sessions, queues, lists and removes
// faults, moves the clock, reads, filters, counts and waits on the
// request log, registers webhooks and reads their deliveries, and resets
// the handler, so that a test suite in any language can do what a Go
// test does with the Handler's methods. Each action is one of those
// methods; docs/vault-mock.md in the SDK's repository documents the
// routes, and api/control-openapi.yaml describes them in OpenAPI.
//
// Input is read strictly: an unknown member, one that differs from a
// known one by case only, one given twice, one of the wrong JSON type, a
// body where a route takes none and an unknown query parameter are
// refused with 400 BAD_REQUEST, naming the member; a fault is checked by
// Fault.ValidateInput, and refused with 400 INVALID_FAULT if a string
// member is empty or a header's value null, which no request matches or
// no answer can send: null, or leaving the member out, leaves it unset.
//
// Control requests are not API requests: they are not recorded by
// Requests, faults never answer them and they do not count against the
// rate limit. Every POST must carry Content-Type: application/json, so
// that a web page cannot send one from a browser without the browser
// asking first.
func WithControlAPI(o ControlOptions) Option {
	return func(c *config) { c.control = &o }
}

// isControlPath reports whether p is under ControlPath.
func isControlPath(p string) bool {
	return p == ControlPath || strings.HasPrefix(p, ControlPath+"/")
}

// controlCall is one request of the control API.
type controlCall struct {
	w     http.ResponseWriter
	r     *http.Request
	args  []string // the variable segments of the route, unescaped
	route string   // the method and pattern, as in "POST /faults"
	rule  bodyRule
	body  []byte
	q     controlQuery
}

// controlAction serves a control request: it returns the status and the
// body to answer, or an error, a *controlError for the client's mistakes.
type controlAction func(h *Handler, c *controlCall) (int, any, error)

// controlRoute is a route of the control API.
type controlRoute struct {
	method string
	// pattern is relative to ControlPath; "{name}" stands for one
	// segment, such as a user ID.
	pattern string
	body    bodyRule
	query   []string // the query parameters the route takes
	action  controlAction
}

// unheldRoutes are the control routes a reset does not wait for: the
// reset itself, and those that wait for requests or deliveries, which a
// reset would otherwise wait for in turn.
var unheldRoutes = map[string]bool{
	http.MethodPost + " /reset":        true,
	http.MethodGet + " /requests/wait": true,
	http.MethodGet + " /deliveries":    true,
}

// controlRoutes are the routes of the control API. A route added here
// follows the input rules of control_input.go by being here, and
// answers what controlAnswers declares for it.
var controlRoutes = []controlRoute{
	{http.MethodGet, "/health", noBody, nil, (*Handler).controlHealth},
	{http.MethodPost, "/users", requiredBody, nil, (*Handler).controlAddUser},
	{http.MethodGet, "/users/{userId}", noBody, nil, (*Handler).controlUser},
	{http.MethodGet, "/users/{userId}/sessions", noBody, nil, (*Handler).controlSessions},
	{http.MethodPost, "/users/{userId}/sessions", optionalBody, nil, (*Handler).controlAddSession},
	{http.MethodPost, "/users/{userId}/tokens", optionalBody, nil, (*Handler).controlAddToken},
	{http.MethodPost, "/demo", optionalBody, nil, (*Handler).controlSeedDemo},
	{http.MethodGet, "/sessions/{sessionId}", noBody, nil, (*Handler).controlSession},
	{http.MethodPost, "/sessions/{sessionId}/revoke", noBody, nil, (*Handler).controlRevoke},
	{http.MethodPost, "/sessions/{sessionId}/expire", noBody, nil, (*Handler).controlExpire},
	{http.MethodGet, "/faults", noBody, nil, (*Handler).controlListFaults},
	{http.MethodPost, "/faults", requiredBody, nil, (*Handler).controlAddFaults},
	{http.MethodDelete, "/faults", noBody, nil, (*Handler).controlClearFaults},
	{http.MethodGet, "/faults/{faultId}", noBody, nil, (*Handler).controlFault},
	{http.MethodDelete, "/faults/{faultId}", noBody, nil, (*Handler).controlDeleteFault},
	{http.MethodGet, "/clock", noBody, nil, (*Handler).controlClock},
	{http.MethodPost, "/clock", requiredBody, nil, (*Handler).controlSetClock},
	{http.MethodGet, "/requests", noBody, requestFilterParams, (*Handler).controlRequests},
	{http.MethodDelete, "/requests", noBody, nil, (*Handler).controlClearRequests},
	{http.MethodGet, "/requests/count", noBody, requestFilterParams, (*Handler).controlCountRequests},
	{http.MethodGet, "/requests/wait", noBody, requestWaitParams, (*Handler).controlWaitRequests},
	{http.MethodPost, "/reset", noBody, nil, (*Handler).controlReset},
	{http.MethodGet, "/webhooks", noBody, nil, (*Handler).controlWebhooks},
	{http.MethodPost, "/webhooks", requiredBody, nil, (*Handler).controlAddWebhook},
	{http.MethodDelete, "/webhooks/{webhookId}", noBody, nil, (*Handler).controlRemoveWebhook},
	{http.MethodGet, "/deliveries", noBody, deliveryParams, (*Handler).controlDeliveries},
	{http.MethodDelete, "/deliveries", noBody, nil, (*Handler).controlClearDeliveries},
	{http.MethodPost, "/deliveries/twice", requiredBody, nil, (*Handler).controlDeliverTwice},
}

// matchSegments matches the escaped path rest against pattern and
// returns the unescaped values of its "{name}" segments.
func matchSegments(pattern, rest string) ([]string, bool) {
	want := strings.Split(pattern, "/")
	got := strings.Split(rest, "/")
	if len(want) != len(got) {
		return nil, false
	}
	var args []string
	for i, w := range want {
		if !strings.HasPrefix(w, "{") {
			if w != got[i] {
				return nil, false
			}
			continue
		}
		v, err := url.PathUnescape(got[i])
		if err != nil || v == "" {
			return nil, false
		}
		args = append(args, v)
	}
	return args, true
}

// serveControl answers a request of the control API.
func (h *Handler) serveControl(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	status, body, err := h.dispatchControl(w, r)
	var ce *controlError
	switch {
	case errors.As(err, &ce):
		status, body = ce.status, controlErrorBody{Error: ce}
		if ce.allow != nil {
			w.Header().Set("Allow", strings.Join(ce.allow, ", "))
		}
	case err != nil:
		status, body = http.StatusInternalServerError, controlErrorBody{Error: &controlError{Code: CodeInternalError, Message: err.Error()}}
	}
	if stream, ok := body.(jsonStream); ok {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = stream(w)
	} else {
		// Verbatim, so that a delivery's data is the body that was signed.
		writeResult(w, result{status: status, body: body, verbatim: true})
	}
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "control",
			slog.String("method", r.Method),
			slog.String("path", h.hideControlPath(r.URL.EscapedPath())),
			slog.Int("status", status),
			slog.Duration("duration", time.Since(start)),
		)
	}
}

func (h *Handler) dispatchControl(w http.ResponseWriter, r *http.Request) (int, any, error) {
	if !h.cfg.control.AllowRemote && !isLoopback(r.RemoteAddr) {
		return 0, nil, &controlError{status: http.StatusForbidden, Code: CodeForbidden,
			Message: "the control API answers clients on the loopback interface only"}
	}
	if !h.cfg.control.AllowRemote && !isLoopbackHost(r.Host) {
		// A page on another name that resolves to this machine (DNS
		// rebinding) must not read the users' tokens.
		return 0, nil, &controlError{status: http.StatusForbidden, Code: CodeForbidden,
			Message: "the control API answers requests for localhost or a loopback address only"}
	}
	rest := strings.TrimPrefix(r.URL.EscapedPath(), ControlPath)
	var allow []string
	for _, rt := range controlRoutes {
		args, ok := matchSegments(rt.pattern, rest)
		if !ok {
			continue
		}
		if rt.method != r.Method {
			allow = append(allow, rt.method)
			continue
		}
		route := rt.method + " " + rt.pattern
		status, body, err := h.callControl(w, r, rt, args)
		return controlAnswers[route].hold(route, status, body, err)
	}
	if allow != nil {
		slices.Sort(allow)
		return 0, nil, &controlError{status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed, allow: allow,
			Message: fmt.Sprintf("Method %s is not allowed on %s", r.Method, r.URL.EscapedPath())}
	}
	return 0, nil, &controlError{status: http.StatusNotFound, Code: CodeNotFound,
		Message: fmt.Sprintf("No control route for %s %s", r.Method, r.URL.EscapedPath())}
}

// callControl serves r on the route rt it matched, args the values of
// the route's variable segments.
func (h *Handler) callControl(w http.ResponseWriter, r *http.Request, rt controlRoute, args []string) (int, any, error) {
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
			return 0, nil, &controlError{status: http.StatusUnsupportedMediaType, Code: "UNSUPPORTED_MEDIA_TYPE",
				Message: "a POST to the control API must have Content-Type: application/json"}
		}
	}
	c := &controlCall{w: w, r: r, args: args, route: rt.method + " " + rt.pattern, rule: rt.body}
	if err := c.readBody(); err != nil {
		return 0, nil, err
	}
	q, err := c.query(rt.query...)
	if err != nil {
		return 0, nil, err
	}
	c.q = q
	if !unheldRoutes[c.route] {
		// Held back while a reset runs, seeds included, so that a
		// reset is whole: the seeds get the IDs and tokens they got
		// before, and a call comes before the reset or after it.
		h.gate.RLock()
		defer h.gate.RUnlock()
	}
	return rt.action(h, c)
}

// isLoopback reports whether the host of a remote address is a loopback
// IP address.
func isLoopback(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLoopbackHost reports whether a request's Host names localhost or a
// loopback address. localhost may end with the dot of its fully
// qualified form, "localhost."; an address takes none.
func isLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
