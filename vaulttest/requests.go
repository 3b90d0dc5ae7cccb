package vaulttest

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
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
	// a session. For a refresh sent without a bearer token, they are
	// those of the refresh token it sends, spent ones included.
	UserID    string
	SessionID string
}

// record is a Request in the log, with what the log needs to know of it.
type record struct {
	Request
	// seq is the number of the request's ID: records are numbered from
	// 1 in arrival order, and the numbers start over with a reset.
	seq int
	// pattern is the pattern of the route of the API the request was
	// to, or empty for a path the API does not serve.
	pattern string
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

// Bytes a record holds beyond its strings and headers: the record, its
// ID, its place in the log and what the allocator rounds its path and
// query up to; and per header value, its place in the slice of values
// and what the allocator rounds its bytes up to.
const (
	recordOverhead = 320
	headerValBytes = 24
)

// Bytes of a map of header names: the map itself, and a group of eight
// slots of a name and its values. A map of up to eight names has one
// group; a larger one has a table of groups that it fills to at most
// 7/8, and a power of two of them.
const (
	headerMapBytes   = 48
	headerGroupBytes = 352
	headerTableBytes = 64
)

// sizeOf returns about the bytes rec holds.
func sizeOf(rec *record) int {
	n := recordOverhead + len(rec.Method) + len(rec.Path) + len(rec.RawQuery) + headerBytes(rec.Header)
	if rec.hidden != nil {
		n += len(rec.hidden.path) + len(rec.hidden.query)
		if !sameHeader(rec.hidden.header, rec.Header) {
			n += headerBytes(rec.hidden.header)
		}
	}
	return n
}

// headerBytes returns about the bytes that a copy of h holds.
func headerBytes(h http.Header) int {
	if h == nil {
		return 0
	}
	n := headerMapBytes
	switch names := len(h); {
	case names == 0:
	case names <= 8:
		n += headerGroupBytes
	default:
		groups := 2
		for groups*7 < names {
			groups *= 2
		}
		n += headerTableBytes + groups*headerGroupBytes
	}
	for k, vs := range h {
		n += len(k)
		for _, v := range vs {
			n += headerValBytes + len(v)
		}
	}
	return n
}

// sameHeader reports whether a and b are the same map.
func sameHeader(a, b http.Header) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// requestLog keeps the records of the requests received, oldest first:
// the newest maxEntries of them when it is positive, and as many of the
// newest as fit in maxBytes when it is positive, the newest one always.
// The records it keeps are numbered without a gap.
type requestLog struct {
	maxEntries int
	maxBytes   int
	recs       []*record // recs[head:] are the records kept
	head       int
	bytes      int
	dropped    int // records dropped to stay within the bounds since the log was last emptied
}

// add appends rec to the log and calls dropped for each record the log
// drops to stay within its bounds.
func (l *requestLog) add(rec *record, dropped func(*record)) {
	l.recs = append(l.recs, rec)
	l.bytes += rec.size
	for l.len() > 1 && ((l.maxEntries > 0 && l.len() > l.maxEntries) || (l.maxBytes > 0 && l.bytes > l.maxBytes)) {
		dropped(l.recs[l.head])
		l.dropped++
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

// from returns the records numbered seq or later, oldest first.
func (l *requestLog) from(seq int) []*record {
	recs := l.all()
	if len(recs) == 0 || seq <= recs[0].seq {
		return recs
	}
	if i := seq - recs[0].seq; i < len(recs) {
		return recs[i:]
	}
	return nil
}

// contains reports whether rec is a record of the log: not dropped,
// nor cleared.
func (l *requestLog) contains(rec *record) bool {
	recs := l.from(rec.seq)
	return len(recs) > 0 && recs[0] == rec
}

// clear empties the log and lets go of its memory.
func (l *requestLog) clear() {
	l.recs = nil
	l.head = 0
	l.bytes = 0
	l.dropped = 0
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

// record appends a record of r, a request to t.rt from the caller of t
// answered by the fault faultID if not empty, to the request log and
// returns it. The record is updated under h.mu as the request is
// answered.
func (h *Handler) record(r *http.Request, t target, faultID string) *record {
	// The record holds copies of the request line's parts, whose bytes
	// it counts: the server may take each as a part of the whole line.
	method, path, query := ownMethod(r.Method), strings.Clone(r.URL.EscapedPath()), strings.Clone(r.URL.RawQuery)
	header := r.Header.Clone()
	h.mu.Lock()
	defer h.mu.Unlock()
	h.reqSeq++
	rec := &record{
		Request: Request{
			ID:       fmt.Sprintf("req-%06d", h.reqSeq),
			Method:   method,
			Path:     path,
			RawQuery: query,
			Header:   header,
			Time:     h.nowLocked(),
			Fault:    faultID != "",
			FaultID:  faultID,
		},
		seq: h.reqSeq,
		gen: h.gen,
		cut: h.cut,
	}
	if t.rt.found {
		rec.pattern = t.rt.pattern
	}
	rec.UserID, rec.SessionID = t.userID, t.sessionID
	if !h.cfg.showTokens {
		rec.hidden = h.hideTokensLocked(&rec.Request, t.token)
	}
	rec.size = sizeOf(rec)
	h.requests.add(rec, h.recordDroppedLocked)
	h.recordAddedLocked(rec)
	return rec
}

// ownMethod returns method as a string of its own.
func ownMethod(method string) string {
	for _, m := range [...]string{http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodPut, http.MethodPatch, http.MethodHead, http.MethodOptions} {
		if method == m {
			return m
		}
	}
	return strings.Clone(method)
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
	h.logClearedLocked()
}
