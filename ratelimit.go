package vault

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is the rate-limit state the API reports on each response.
type RateLimit struct {
	// Limit is X-RateLimit-Limit: the requests allowed in the window.
	Limit int
	// Remaining is X-RateLimit-Remaining: the requests left in the window.
	Remaining int
	// Reset is X-RateLimit-Reset: when the window resets. Zero if absent.
	Reset time.Time
}

// ParseRateLimit reads the X-RateLimit-Limit, X-RateLimit-Remaining and
// X-RateLimit-Reset headers. Absent or malformed headers leave their
// field zero; the second result reports whether any header was valid.
func ParseRateLimit(h http.Header) (RateLimit, bool) {
	var rl RateLimit
	var ok bool
	if n, valid := parseNonNegative(h.Get("X-RateLimit-Limit")); valid {
		rl.Limit, ok = int(n), true
	}
	if n, valid := parseNonNegative(h.Get("X-RateLimit-Remaining")); valid {
		rl.Remaining, ok = int(n), true
	}
	if n, valid := parseNonNegative(h.Get("X-RateLimit-Reset")); valid {
		rl.Reset, ok = time.Unix(n, 0), true
	}
	return rl, ok
}

// ParseRetryAfter reads a Retry-After header value, either delay-seconds
// ("120") or an HTTP date, and returns the wait it asks for measured from
// now. A date in the past asks for no wait. The second result is false
// when the value is absent or malformed.
func ParseRetryAfter(value string, now time.Time) (time.Duration, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0, false
	}
	if secs, ok := parseNonNegative(value); ok {
		return secondsToDuration(secs), true
	}
	when, err := http.ParseTime(value)
	if err != nil {
		return 0, false
	}
	return positive(when.Sub(now)), true
}

// RetryAfter returns the longest wait that any 429 or 503 *APIError in
// err's tree asked for, and whether one asked for a wait at all. It looks
// through every error the SDK returns, joined ones included: the
// *RevokeOthersError of a partial RevokeOtherSessions, an error wrapping
// ErrRetryBudgetExhausted, and errors wrapped with fmt.Errorf's %w or
// errors.Join. A server that asked for no wait, or a wait of zero, gives
// false.
//
// It is the wait to pass on, such as in a service's own Retry-After
// header, when a call ends with the server asking for more time.
func RetryAfter(err error) (time.Duration, bool) {
	return retryAfter(err, 0)
}

// maxUnwrapDepth bounds how deep RetryAfter looks, so that an error whose
// Unwrap chain loops cannot recurse forever.
const maxUnwrapDepth = 100

func retryAfter(err error, depth int) (time.Duration, bool) {
	if depth > maxUnwrapDepth {
		return 0, false
	}
	switch e := err.(type) {
	case nil:
		return 0, false
	case *APIError:
		asked := e != nil && e.RetryAfter > 0 && (e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusServiceUnavailable)
		if !asked {
			return 0, false
		}
		return e.RetryAfter, true
	case interface{ Unwrap() error }:
		return retryAfter(e.Unwrap(), depth+1)
	case interface{ Unwrap() []error }:
		var longest time.Duration
		var found bool
		for _, inner := range e.Unwrap() {
			if wait, ok := retryAfter(inner, depth+1); ok {
				longest, found = max(longest, wait), true
			}
		}
		return longest, found
	}
	return 0, false
}

// serverWait returns the wait a response asks for before another attempt:
// Retry-After on 429 and 503, and on a 429 without it X-RateLimit-Reset.
func serverWait(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
	default:
		return 0, false
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	reset, ok := parseNonNegative(resp.Header.Get("X-RateLimit-Reset"))
	if !ok {
		return 0, false
	}
	return positive(time.Unix(reset, 0).Sub(now)), true
}

// maxSeconds keeps a header's seconds within what a time.Duration holds.
const maxSeconds = int64(1<<63-1) / int64(time.Second)

func secondsToDuration(secs int64) time.Duration {
	if secs > maxSeconds {
		secs = maxSeconds
	}
	return time.Duration(secs) * time.Second
}

func parseNonNegative(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func positive(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}
