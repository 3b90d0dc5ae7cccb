package vaulttest

import (
	"fmt"
	"net/http"
	"time"
)

// Request is the record of one request the server received, fault
// answers and rejected requests included.
type Request struct {
	// ID is the value of the response's X-Request-Id header, such as
	// "req-000001". IDs are assigned in arrival order.
	ID string
	// Method is the request method.
	Method string
	// Path is the escaped request path, such as
	// "/api/v1/users/me/sessions/a%2Fb".
	Path string
	// RawQuery is the encoded query string, without '?'.
	RawQuery string
	// Header is a copy of the request headers, Authorization included.
	Header http.Header
	// Time is the server's clock when the request arrived.
	Time time.Time
	// Status is the status of the response, or 0 if there was none: the
	// client went away first, or a ResetBeforeResponse fault answered.
	// For ApplyThenReset it is the status of the answer that was made
	// and lost; for ResetMidBody and ApplyThenCutBody, of the status
	// line that was sent before the reset.
	Status int
	// Fault reports whether an injected fault answered the request.
	Fault bool
}

// record appends a record of r to the request log and returns it. The
// record is updated under h.mu as the request is answered.
func (h *Handler) record(r *http.Request) *Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reqSeq++
	rec := &Request{
		ID:       fmt.Sprintf("req-%06d", h.reqSeq),
		Method:   r.Method,
		Path:     r.URL.EscapedPath(),
		RawQuery: r.URL.RawQuery,
		Header:   r.Header.Clone(),
		Time:     h.nowLocked(),
	}
	h.requests = append(h.requests, rec)
	return rec
}

// Requests returns the requests the server received since it started or
// since the last ResetRequests, in arrival order.
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Request, len(h.requests))
	for i, rec := range h.requests {
		out[i] = *rec
		out[i].Header = rec.Header.Clone()
	}
	return out
}

// ResetRequests empties the request log. Request IDs keep counting.
func (h *Handler) ResetRequests() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests = nil
}
