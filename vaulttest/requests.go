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
	// UserID is the user of the request's bearer token, and SessionID
	// the token's session, as the server knew them when the request
	// arrived, revoked and expired sessions included; both are empty for
	// a token the server did not know, and SessionID for a token without
	// a session.
	UserID    string
	SessionID string
}

// requestLog keeps the records of the requests received, the newest
// max of them when max is positive.
type requestLog struct {
	max  int
	recs []*Request // a ring once it holds max records
	next int        // where the ring's next record goes
}

func (l *requestLog) add(rec *Request) {
	if l.max <= 0 || len(l.recs) < l.max {
		l.recs = append(l.recs, rec)
		return
	}
	l.recs[l.next] = rec
	l.next = (l.next + 1) % l.max
}

// all returns the records, oldest first.
func (l *requestLog) all() []*Request {
	out := make([]*Request, 0, len(l.recs))
	out = append(out, l.recs[l.next:]...)
	return append(out, l.recs[:l.next]...)
}

func (l *requestLog) clear() {
	l.recs = nil
	l.next = 0
}

// WithRequestLog makes the handler keep the records of the last n
// requests only, so that its memory stays flat however many requests it
// answers: Requests returns at most n records, the newest ones, and the
// request IDs, which keep counting, show what was dropped. Zero or less
// keeps every record, the default.
func WithRequestLog(n int) Option {
	return func(c *config) { c.requestLog = max(n, 0) }
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
	if tok, ok := bearerToken(r); ok {
		if s := h.tokens[tok]; s != nil {
			rec.UserID, rec.SessionID = s.UserID, s.ID
		} else {
			rec.UserID = h.sessionless[tok]
		}
	}
	h.requests.add(rec)
	return rec
}

// Requests returns the requests the server received since it started or
// since the last ResetRequests, in arrival order; with WithRequestLog,
// the newest of them only.
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	recs := h.requests.all()
	out := make([]Request, len(recs))
	for i, rec := range recs {
		out[i] = *rec
		out[i].Header = rec.Header.Clone()
	}
	return out
}

// ResetRequests empties the request log. Request IDs keep counting.
func (h *Handler) ResetRequests() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests.clear()
}
