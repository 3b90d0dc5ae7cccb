package vaulttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
}

// WithControlAPI makes the handler serve a control API under
// ControlPath: JSON over HTTP that seeds users and sessions and returns
// their tokens, revokes or expires sessions, queues and clears faults,
// moves the clock, reads and clears the request log, registers webhooks
// and reads their deliveries, and resets the handler, so that a test
// suite in any language can do what a Go test does with the Handler's
// methods. Each action is one of those methods;
// docs/vault-mock.md in the SDK's repository documents the routes.
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
	w    http.ResponseWriter
	r    *http.Request
	args []string // the variable segments of the route, unescaped
}

// controlAction serves a control request: it returns the status and the
// body to answer, or an error, a *controlError for the client's mistakes.
type controlAction func(h *Handler, c *controlCall) (int, any, error)

// controlRoutes are the routes of the control API, relative to
// ControlPath; "*" stands for one segment, such as a user ID.
var controlRoutes = []struct {
	pattern string
	method  string
	action  controlAction
}{
	{"/health", http.MethodGet, (*Handler).controlHealth},
	{"/users", http.MethodPost, (*Handler).controlAddUser},
	{"/users/*", http.MethodGet, (*Handler).controlUser},
	{"/users/*/sessions", http.MethodGet, (*Handler).controlSessions},
	{"/users/*/sessions", http.MethodPost, (*Handler).controlAddSession},
	{"/users/*/tokens", http.MethodPost, (*Handler).controlAddToken},
	{"/demo", http.MethodPost, (*Handler).controlSeedDemo},
	{"/sessions/*", http.MethodGet, (*Handler).controlSession},
	{"/sessions/*/revoke", http.MethodPost, (*Handler).controlRevoke},
	{"/sessions/*/expire", http.MethodPost, (*Handler).controlExpire},
	{"/faults", http.MethodGet, (*Handler).controlPending},
	{"/faults", http.MethodPost, (*Handler).controlAddFaults},
	{"/faults", http.MethodDelete, (*Handler).controlClearFaults},
	{"/clock", http.MethodGet, (*Handler).controlClock},
	{"/clock", http.MethodPost, (*Handler).controlSetClock},
	{"/requests", http.MethodGet, (*Handler).controlRequests},
	{"/requests", http.MethodDelete, (*Handler).controlClearRequests},
	{"/reset", http.MethodPost, (*Handler).controlReset},
	{"/webhooks", http.MethodGet, (*Handler).controlWebhooks},
	{"/webhooks", http.MethodPost, (*Handler).controlAddWebhook},
	{"/webhooks/*", http.MethodDelete, (*Handler).controlRemoveWebhook},
	{"/deliveries", http.MethodGet, (*Handler).controlDeliveries},
	{"/deliveries", http.MethodDelete, (*Handler).controlClearDeliveries},
	{"/deliveries/twice", http.MethodPost, (*Handler).controlDeliverTwice},
}

// matchSegments matches the escaped path rest against pattern and
// returns the unescaped values of its "*" segments.
func matchSegments(pattern, rest string) ([]string, bool) {
	want := strings.Split(pattern, "/")
	got := strings.Split(rest, "/")
	if len(want) != len(got) {
		return nil, false
	}
	var args []string
	for i, w := range want {
		if w != "*" {
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
	writeResult(w, result{status: status, body: body})
	if h.cfg.logger != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "control",
			slog.String("method", r.Method),
			slog.String("path", r.URL.EscapedPath()),
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
		if r.Method == http.MethodPost {
			if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
				return 0, nil, &controlError{status: http.StatusUnsupportedMediaType, Code: "UNSUPPORTED_MEDIA_TYPE",
					Message: "a POST to the control API must have Content-Type: application/json"}
			}
		}
		return rt.action(h, &controlCall{w: w, r: r, args: args})
	}
	if allow != nil {
		slices.Sort(allow)
		return 0, nil, &controlError{status: http.StatusMethodNotAllowed, Code: CodeMethodNotAllowed, allow: allow,
			Message: fmt.Sprintf("Method %s is not allowed on %s", r.Method, r.URL.EscapedPath())}
	}
	return 0, nil, &controlError{status: http.StatusNotFound, Code: CodeNotFound,
		Message: fmt.Sprintf("No control route for %s %s", r.Method, r.URL.EscapedPath())}
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
// loopback address.
func isLoopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// controlError is the error of a control request, in the body
// {"error":{"code":"...","message":"..."}} as the API's own errors.
type controlError struct {
	status int
	allow  []string

	Code    string `json:"code"`
	Message string `json:"message"`
	// For a refused fault: the member of the fault at fault, the fault's
	// index in an array, and what to write instead, if known.
	Field     string `json:"field,omitempty"`
	Index     *int   `json:"index,omitempty"`
	Route     string `json:"route,omitempty"`
	SessionID string `json:"sessionId,omitempty"`
}

func (e *controlError) Error() string { return e.Message }

type controlErrorBody struct {
	Error *controlError `json:"error"`
}

func badRequest(format string, args ...any) *controlError {
	return &controlError{status: http.StatusBadRequest, Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

// stateError turns an error of a state change into its answer.
func stateError(err error) error {
	switch {
	case errors.Is(err, errConflict):
		return &controlError{status: http.StatusConflict, Code: "CONFLICT", Message: err.Error()}
	case errors.Is(err, errNotFound):
		return &controlError{status: http.StatusNotFound, Code: CodeNotFound, Message: err.Error()}
	case errors.Is(err, errInvalid):
		return badRequest("%s", err.Error())
	}
	return err
}

// decode reads the request's JSON body into v. An empty body leaves v as
// it is, unless the body is required. Members that v does not have are
// refused, so that a misspelt one is not silently ignored.
func (c *controlCall) decode(v any, required bool) error {
	dec := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, maxControlBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		if required {
			return badRequest("the request needs a JSON body")
		}
		return nil
	case errors.As(err, &tooLarge):
		return &controlError{status: http.StatusRequestEntityTooLarge, Code: "PAYLOAD_TOO_LARGE",
			Message: fmt.Sprintf("the body is larger than %d bytes", maxControlBody)}
	case err != nil:
		return badRequest("the body is not what the route takes: %v", err)
	}
	if dec.More() {
		return badRequest("the body holds more than one JSON value")
	}
	return nil
}
