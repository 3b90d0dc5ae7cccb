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
	// Fault reports whether an injected fault answered the request, and
	// FaultID which one (see Faults.List).
	Fault   bool
	FaultID string
	// UserID is the user of the request's bearer token, and SessionID
	// the token's session, as the server knew them when the request
	// arrived, revoked and expired sessions included; both are empty for
	// a token the server did not know, and SessionID for a token without
	// a session.
	UserID    string
	SessionID string
}

// record is a Request in the log, with what the log needs to know of it.
type record struct {
	Request
	// gen is the handler's generation when the request arrived, and cut
	// is closed when a reset ends that generation.
	gen uint64
	cut <-chan struct{}
	// size is about the bytes the record holds.
	size int
	// hidden is what the control API and the handler's logger show of a
	// request whose path, query or headers hold a token; nil when there
	// is nothing to hide but the credentials of Authorization.
	hidden *hiddenView
}

// Bytes a record holds beyond its strings: the record itself, its ID,
// and per header name and value their share of the map and the slices.
const (
	recordOverhead     = 320
	headerNameOverhead = 64
	headerValOverhead  = 16
)

// sizeOf returns about the bytes rec holds.
func sizeOf(rec *record) int {
	n := recordOverhead + len(rec.Method) + len(rec.Path) + len(rec.RawQuery)
	count := func(h http.Header) {
		for k, vs := range h {
			n += headerNameOverhead + len(k)
			for _, v := range vs {
				n += headerValOverhead + len(v)
			}
		}
	}
	count(rec.Header)
	if rec.hidden != nil {
		n += len(rec.hidden.path) + len(rec.hidden.query)
		count(rec.hidden.header)
	}
	return n
}

// requestLog keeps the records of the requests received, oldest first:
// the newest maxEntries of them when it is positive, and as many of the
// newest as fit in maxBytes when it is positive, the newest one always.
type requestLog struct {
	maxEntries int
	maxBytes   int
	recs       []*record // recs[head:] are the records kept
	head       int
	bytes      int
}

func (l *requestLog) add(rec *record) {
	l.recs = append(l.recs, rec)
	l.bytes += rec.size
	for l.len() > 1 && ((l.maxEntries > 0 && l.len() > l.maxEntries) || (l.maxBytes > 0 && l.bytes > l.maxBytes)) {
		l.bytes -= l.recs[l.head].size
		l.recs[l.head] = nil
		l.head++
	}
	// Move the records kept to the front once the dropped ones fill
	// half the slice, so that it does not grow without end.
	if l.head > 32 && l.head >= len(l.recs)/2 {
		n := copy(l.recs, l.recs[l.head:])
		clear(l.recs[n:])
		l.recs = l.recs[:n]
		l.head = 0
	}
}

func (l *requestLog) len() int { return len(l.recs) - l.head }

// all returns the records, oldest first.
func (l *requestLog) all() []*record { return l.recs[l.head:] }

// clear empties the log and lets go of its memory.
func (l *requestLog) clear() {
	l.recs = nil
	l.head = 0
	l.bytes = 0
}

// WithRequestLog makes the handler keep the records of the last n
// requests only, so that its memory stays flat however many requests it
// answers: Requests returns at most n records, the newest ones, and the
// request IDs, which keep counting, show what was dropped. Zero or less
// keeps every record, the default.
func WithRequestLog(n int) Option {
	return func(c *config) { c.requestLog = max(n, 0) }
}

// WithRequestLogBytes makes the handler keep no more records than fit
// in about n bytes, the newest ones, counting each record's path, query
// and headers and some bytes of its own; the newest record is kept
// whatever its size. With WithRequestLog, the smaller of the two bounds
// applies. Zero or less sets no bound in bytes, the default.
func WithRequestLogBytes(n int) Option {
	return func(c *config) { c.requestLogBytes = max(n, 0) }
}

// record appends a record of r to the request log and returns it. The
// record is updated under h.mu as the request is answered.
func (h *Handler) record(r *http.Request) *record {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reqSeq++
	rec := &record{
		Request: Request{
			ID:       fmt.Sprintf("req-%06d", h.reqSeq),
			Method:   r.Method,
			Path:     r.URL.EscapedPath(),
			RawQuery: r.URL.RawQuery,
			Header:   r.Header.Clone(),
			Time:     h.nowLocked(),
		},
		gen: h.gen,
		cut: h.cut,
	}
	tok, hasToken := bearerToken(r)
	if hasToken {
		if s := h.tokens[tok]; s != nil {
			rec.UserID, rec.SessionID = s.UserID, s.ID
		} else {
			rec.UserID = h.sessionless[tok]
		}
	}
	if !h.cfg.showTokens {
		rec.hidden = h.hideTokensLocked(&rec.Request, tok)
	}
	rec.size = sizeOf(rec)
	h.requests.add(rec)
	h.logChangedLocked()
	return rec
}

// Requests returns the requests the server received since it started or
// since the last ResetRequests, in arrival order; with WithRequestLog
// and WithRequestLogBytes, the newest of them only.
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	recs := h.requests.all()
	out := make([]Request, len(recs))
	for i, rec := range recs {
		out[i] = rec.Request
		out[i].Header = rec.Header.Clone()
	}
	return out
}

// ResetRequests empties the request log. Request IDs keep counting.
func (h *Handler) ResetRequests() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.requests.clear()
	h.logChangedLocked()
}

// logChangedLocked wakes the waits of WaitRequests, if any: a record was
// added or answered, or the log cleared. h.mu must be held.
func (h *Handler) logChangedLocked() {
	if h.logChanged != nil {
		close(h.logChanged)
		h.logChanged = nil
	}
}
