package vaulttest

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// window counts the requests of one rate-limit key.
type window struct {
	start time.Time
	count int
}

// rateState is the rate-limit outcome of one request.
type rateState struct {
	limit     int
	remaining int
	reset     time.Time
	exceeded  bool
	hidden    bool // DialectServer advertises no rate limit
}

// setHeaders sets the X-RateLimit headers of a response, unless the
// dialect sends none.
func (s rateState) setHeaders(h http.Header) {
	if s.hidden {
		return
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(unixCeil(s.reset), 10))
}

// withRate returns res with a header of its own that holds the
// rate-limit headers of rl and res's own headers, which take precedence.
func (res result) withRate(rl rateState) result {
	hdr := http.Header{}
	rl.setHeaders(hdr)
	for k, v := range res.header {
		hdr[k] = v
	}
	res.header = hdr
	return res
}

// retryAfter is the number of whole seconds until the window resets, at
// least one.
func (s rateState) retryAfter(now time.Time) int {
	d := s.reset.Sub(now)
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return secs
}

func unixCeil(t time.Time) int64 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}

// rateKey is the bearer token of r, or its client address when it has
// none.
func rateKey(r *http.Request) string {
	if tok, ok := bearerToken(r); ok {
		return "token " + tok
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr " + host
}

// rateLocked returns the rate-limit state of key at time now, counting
// the request when consume is set. h.mu must be held.
func (h *Handler) rateLocked(key string, now time.Time, consume bool) rateState {
	rl := h.cfg.rateLimit
	w, ok := h.windows[key]
	if !ok || !now.Before(w.start.Add(rl.Window)) {
		w = &window{start: now}
		if consume {
			h.sweepWindowsLocked(now)
			h.windows[key] = w
		}
	}
	if consume {
		w.count++
	}
	return rateState{
		limit:     rl.Limit,
		remaining: max(rl.Limit-w.count, 0),
		reset:     w.start.Add(rl.Window),
		exceeded:  rl.Enforce && w.count > rl.Limit,
		hidden:    h.cfg.dialect == DialectServer,
	}
}

// minWindowSweep is the number of rate-limit windows under which expired
// ones are left in place.
const minWindowSweep = 1024

// sweepWindowsLocked removes the expired rate-limit windows once there
// are twice as many windows as after the last sweep, so that a long run
// with ever new tokens keeps only the windows of the current minute, at
// a cost that stays constant per request on average. h.mu must be held.
func (h *Handler) sweepWindowsLocked(now time.Time) {
	if len(h.windows) < max(h.windowSweepAt, minWindowSweep) {
		return
	}
	for key, w := range h.windows {
		if !now.Before(w.start.Add(h.cfg.rateLimit.Window)) {
			delete(h.windows, key)
		}
	}
	h.windowSweepAt = 2 * len(h.windows)
}
