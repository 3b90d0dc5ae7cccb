package vaulttest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Unlimited as a Fault's Count makes the fault answer every matching
// request until the queue is cleared.
const Unlimited = -1

// FaultAction is what an injected fault does to a response.
type FaultAction int

// Fault actions.
const (
	// Respond answers with Fault.Status and a JSON error body whose code
	// follows the status (SERVICE_UNAVAILABLE for 503, RATE_LIMITED for
	// 429, INTERNAL_ERROR for 500, ...). With Status zero the request is
	// served normally, after the fault's latency and with its headers.
	Respond FaultAction = iota
	// ResetBeforeResponse resets the connection (TCP RST) before any
	// byte of the response is sent.
	ResetBeforeResponse
	// ResetMidBody sends the status line, the headers with the full
	// Content-Length and half of the body the request would have had,
	// then resets the connection.
	ResetMidBody
	// TruncateBody sends the response the request would have had with
	// the body cut in half and a Content-Length matching the cut body,
	// so the body is received completely but is not valid JSON.
	TruncateBody
	// ProxyHTML answers 502 (or Fault.Status) with an HTML page such as
	// a reverse proxy sends when the service behind it is down.
	ProxyHTML
	// HTMLBody answers 200 (or Fault.Status) with an HTML page, such as
	// a captive portal or a login page sends.
	HTMLBody
)

var actionNames = [...]string{"Respond", "ResetBeforeResponse", "ResetMidBody", "TruncateBody", "ProxyHTML", "HTMLBody"}

// String returns the name of the action.
func (a FaultAction) String() string {
	if a >= 0 && int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("FaultAction(%d)", int(a))
}

// Fault describes a deterministic failure for the next matching requests.
// A faulted request does not change the server's state, except for
// Respond with Status zero, which serves the request normally after the
// latency. Faulted requests are recorded by Requests, with Fault set.
type Fault struct {
	// Route selects the requests the fault applies to: empty for every
	// request, a path pattern relative to BasePath such as
	// "/users/me/sessions/{sessionId}" for every method on it, or a
	// method and a pattern such as RouteRevokeSession. A path that is not
	// a route of the API matches requests to exactly that path.
	Route string
	// Count is how many matching requests the fault answers; zero means
	// one and Unlimited means all of them.
	Count int
	// Action is what the fault does; the zero value is Respond.
	Action FaultAction
	// Status is the response status; see the actions for defaults.
	Status int
	// Code overrides the error code of a Respond body.
	Code string
	// RetryAfter, if set, is sent as the Retry-After header, verbatim,
	// so that both delay-seconds and HTTP-date can be tested.
	RetryAfter string
	// Header holds extra response headers, such as X-RateLimit-Remaining
	// or X-RateLimit-Reset; they replace the handler's own values.
	Header http.Header
	// Latency delays the answer. The wait ends early when the request's
	// context is done, in which case nothing is sent, or when the
	// handler is closed.
	Latency time.Duration
}

// Faults is a queue of pending faults. Each request consumes one answer
// of the first pending fault that matches it. It is safe for concurrent
// use.
type Faults struct {
	mu      sync.Mutex
	pending []*pendingFault
}

type pendingFault struct {
	f       Fault
	method  string
	pattern string
	left    int // Unlimited, or the answers still to give
}

// Add appends faults to the queue. Like httptest on a misused server, it
// panics on a fault that is a mistake in the test itself, so that the test
// fails where the fault is written rather than with a fault that never
// fires: a malformed Route or one that includes BasePath, an unknown
// Action, or a Count less than Unlimited.
func (fs *Faults) Add(faults ...Fault) {
	add := make([]*pendingFault, 0, len(faults))
	for _, f := range faults {
		method, pattern, err := parseRoute(f.Route)
		if err != nil {
			panic("vaulttest: " + err.Error())
		}
		if f.Action < 0 || int(f.Action) >= len(actionNames) {
			panic(fmt.Sprintf("vaulttest: fault action %s is not one of the package's", f.Action))
		}
		left := f.Count
		switch {
		case left < Unlimited:
			panic(fmt.Sprintf("vaulttest: fault count %d is invalid", f.Count))
		case left == 0:
			left = 1
		}
		f.Header = f.Header.Clone()
		add = append(add, &pendingFault{f: f, method: method, pattern: pattern, left: left})
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.pending = append(fs.pending, add...)
}

// Clear removes every pending fault.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.pending = nil
}

// Pending reports how many faults are still queued; a fault stays queued
// until it has given all its answers.
func (fs *Faults) Pending() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.pending)
}

// take consumes one answer of the first fault matching a request.
func (fs *Faults) take(method, pattern string) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, p := range fs.pending {
		if (p.method != "" && p.method != method) || (p.pattern != "" && p.pattern != pattern) {
			continue
		}
		if p.left != Unlimited {
			p.left--
			if p.left == 0 {
				fs.pending = append(fs.pending[:i:i], fs.pending[i+1:]...)
			}
		}
		return p.f, true
	}
	return Fault{}, false
}

// parseRoute splits "METHOD /pattern", "/pattern" or "".
func parseRoute(s string) (method, pattern string, err error) {
	route := s
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "", nil
	}
	if m, p, ok := strings.Cut(s, " "); ok {
		method, s = m, strings.TrimSpace(p)
		if method == "" || strings.ToUpper(method) != method {
			return "", "", fmt.Errorf("fault route %q: method must be upper case", route)
		}
	}
	if !strings.HasPrefix(s, "/") {
		return "", "", fmt.Errorf("fault route %q: path must start with '/'", route)
	}
	if s == BasePath || strings.HasPrefix(s, BasePath+"/") {
		// Such a fault would never fire: routes are relative to BasePath.
		return "", "", fmt.Errorf("fault route %q: give the path relative to %s, such as %q", route, BasePath, strings.TrimPrefix(s, BasePath))
	}
	return method, s, nil
}
