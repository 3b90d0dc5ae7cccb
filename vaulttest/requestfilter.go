package vaulttest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// RequestFilter selects records of the request log. A request matches
// when it matches every field that is set; the zero RequestFilter
// matches every request. Its fields are the query parameters of the
// control API's GET /requests, /requests/count and /requests/wait.
type RequestFilter struct {
	// Method selects the requests with this method, in upper case.
	Method string
	// Route selects the requests to a route of the API, written as
	// Fault.Route is: "DELETE /users/me/sessions/{sessionId}", or a
	// pattern for every method on it.
	Route string
	// Status selects the requests answered with this status, 100 to
	// 599; zero selects any.
	Status int
	// UserID selects the requests whose bearer token is one of this
	// user's, as Request.UserID.
	UserID string
	// SessionID selects the requests made with the token of this
	// session, as Request.SessionID: the caller's session, not the one
	// a revocation names.
	SessionID string
	// Fault selects by fault: "true" for the requests an injected fault
	// answered, "false" for the others, or the ID of a fault for the
	// requests it answered.
	Fault string
}

// FilterError is the error of a RequestFilter that can match no request
// as written.
type FilterError struct {
	// Field is the name of the field refused, such as "Route".
	Field string
	// Reason says what is wrong with its value.
	Reason string
	// Route is, for a Route refused, the route to write instead, if
	// there is one.
	Route string
}

// Error returns the field and the reason.
func (e *FilterError) Error() string {
	return fmt.Sprintf("request filter %s: %s", e.Field, e.Reason)
}

// requestMatcher is a checked RequestFilter.
type requestMatcher struct {
	RequestFilter
	sel   selector
	fault int // 0 any, 1 faulted, -1 not faulted, 2 by ID
}

// matcher checks f and returns its matcher, or a *FilterError.
func (f RequestFilter) matcher() (requestMatcher, error) {
	m := requestMatcher{RequestFilter: f}
	if f.Method != "" && (!isToken(f.Method) || strings.ToUpper(f.Method) != f.Method) {
		return m, &FilterError{Field: "Method", Reason: fmt.Sprintf("%q is not a method in upper case, such as \"DELETE\"", f.Method)}
	}
	sel, err := parseRoute(f.Route)
	if err != nil {
		fe := err.(*FaultError)
		reason := fe.Reason
		if fe.Route != "" {
			reason += fmt.Sprintf("; write %q", fe.Route)
		}
		return m, &FilterError{Field: "Route", Reason: fmt.Sprintf("%q: %s", f.Route, reason), Route: fe.Route}
	}
	m.sel = sel
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return m, &FilterError{Field: "Status", Reason: fmt.Sprintf("%d is not an HTTP status, 100 to 599", f.Status)}
	}
	switch {
	case f.Fault == "":
	case f.Fault == "true":
		m.fault = 1
	case f.Fault == "false":
		m.fault = -1
	case isFaultID(f.Fault):
		m.fault = 2
	default:
		return m, &FilterError{Field: "Fault", Reason: fmt.Sprintf(`%q is not "true", "false" nor a fault ID such as "flt-000001"`, f.Fault)}
	}
	return m, nil
}

func isFaultID(s string) bool {
	n, ok := strings.CutPrefix(s, "flt-")
	_, err := strconv.ParseUint(n, 10, 63)
	return ok && err == nil
}

// match reports whether rec matches. h.mu must be held: the status and
// the fault of a record change as it is answered.
func (m *requestMatcher) match(rec *record) bool {
	switch {
	case m.Method != "" && rec.Method != m.Method,
		m.Status != 0 && rec.Status != m.Status,
		m.UserID != "" && rec.UserID != m.UserID,
		m.SessionID != "" && rec.SessionID != m.SessionID,
		m.fault == 1 && !rec.Fault,
		m.fault == -1 && rec.Fault,
		m.fault == 2 && rec.FaultID != m.Fault:
		return false
	}
	if m.sel.method != "" && rec.Method != m.sel.method {
		return false
	}
	if m.sel.pattern != "" {
		return rec.pattern == m.sel.pattern
	}
	return true
}

// matchingLocked returns copies of the requests of the log that m
// matches, oldest first, as they are now. h.mu must be held.
func (h *Handler) matchingLocked(m *requestMatcher) []Request {
	var out []Request
	for _, rec := range h.requests.all() {
		if m.match(rec) {
			req := rec.Request
			req.Header = rec.Header.Clone()
			out = append(out, req)
		}
	}
	return out
}

// FindRequests returns the requests of the log that f matches, oldest
// first, or a *FilterError for a filter that can match nothing as
// written, such as a Route the API does not serve.
func (h *Handler) FindRequests(f RequestFilter) ([]Request, error) {
	m, err := f.matcher()
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.matchingLocked(&m), nil
}

// WaitRequests waits until the log holds at least n requests that f
// matches, and returns them, oldest first. If ctx is done first, as
// when its deadline passes, it returns the requests matched so far and
// the error of ctx, wrapped; for a filter that can match nothing as
// written, a *FilterError. A request counts from its arrival: set Status
// to wait for answers.
func (h *Handler) WaitRequests(ctx context.Context, f RequestFilter, n int) ([]Request, error) {
	m, err := f.matcher()
	if err != nil {
		return nil, err
	}
	for {
		err := h.waitMatching(ctx, &m, n)
		h.mu.Lock()
		reqs := h.matchingLocked(&m)
		h.mu.Unlock()
		// The log may have dropped some of the n between the end of
		// the wait and the copy: wait for them again.
		if err != nil || len(reqs) >= n {
			return reqs, err
		}
	}
}
