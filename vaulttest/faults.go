package vaulttest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Unlimited as a Fault's Count makes the fault answer every matching
// request until the queue is cleared.
const Unlimited = -1

// FaultAction is what an injected fault does to a response.
type FaultAction int

// Fault actions. Every action works on every route.
const (
	// Respond answers with Fault.Status and a JSON error body whose code
	// follows the status (SERVICE_UNAVAILABLE for 503, RATE_LIMITED for
	// 429, INTERNAL_ERROR for 500, ...). Status is an error status, 400
	// to 599, or a redirect, 300 to 399 but 304 (set Location with
	// Header). With Status zero the request is served normally, after
	// the fault's latency and with its headers.
	Respond FaultAction = iota
	// ResetBeforeResponse resets the connection (TCP RST) after reading
	// the request and before its response; the request changes nothing.
	// It takes no Status.
	//
	// On a connection's first request no byte of a response is sent. On
	// a later request of a kept-alive connection the server first sends
	// the status line of the answer the request would have had, such as
	// "HTTP/1.1 200 OK", and no header: an HTTP client may replay a
	// request that fails on a reused connection before any byte of an
	// answer (net/http does so for GET), which would hide the fault.
	// Either way the client sees the faulted request fail, with a
	// connection reset or an unexpected EOF, and gets no response. A
	// Handler whose server does not call Handler.ConnState treats every
	// request as a later one.
	ResetBeforeResponse
	// ResetMidBody sends the status line, the headers with the full
	// Content-Length and half of the body the request would have had,
	// then resets the connection. The request changes nothing. Status,
	// 200 or 400 to 599, replaces the status line.
	ResetMidBody
	// TruncateBody sends the response the request would have had with
	// the body cut in half and a Content-Length matching the cut body,
	// so the body is received completely but is not valid JSON. The
	// request changes nothing. Status, 200 or 400 to 599, replaces the
	// status.
	TruncateBody
	// ProxyHTML answers 502 (or Fault.Status: 200 or 400 to 599) with an
	// HTML page such as a reverse proxy sends when the service behind it
	// is down.
	ProxyHTML
	// HTMLBody answers 200 (or Fault.Status: 400 to 599) with an HTML
	// page, such as a captive portal or a login page sends.
	HTMLBody
	// ApplyThenReset serves the request as usual, state change
	// included (a revocation, a logout of all sessions; for a list only
	// the caller's last activity and the rate-limit count), then resets
	// the connection instead of sending the answer: the change happened
	// but its answer is lost. Requests records the status of the lost
	// answer. It takes no Status. What the client receives is as for
	// ResetBeforeResponse: nothing on a connection's first request, the
	// status line of the lost answer on a later one.
	ApplyThenReset
	// ApplyThenCutBody serves the request as usual, state change
	// included, and sends its status line and headers with the full
	// Content-Length, then half of the body, then resets the connection:
	// the change happened but the client cannot read its answer.
	// Requests records the status sent. Status, 200 or 400 to 599,
	// replaces the status line.
	ApplyThenCutBody
)

var actionNames = [...]string{"Respond", "ResetBeforeResponse", "ResetMidBody", "TruncateBody", "ProxyHTML", "HTMLBody", "ApplyThenReset", "ApplyThenCutBody"}

// String returns the name of the action.
func (a FaultAction) String() string {
	if a.known() {
		return actionNames[a]
	}
	return fmt.Sprintf("FaultAction(%d)", int(a))
}

func (a FaultAction) known() bool { return a >= 0 && int(a) < len(actionNames) }

// MarshalText returns the name of a, as String does, so that an action
// is its name in JSON.
func (a FaultAction) MarshalText() ([]byte, error) {
	if !a.known() {
		return nil, fmt.Errorf("vaulttest: unknown fault action %d", int(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText sets a from its name, such as "ApplyThenReset".
func (a *FaultAction) UnmarshalText(text []byte) error {
	for i, name := range actionNames {
		if string(text) == name {
			*a = FaultAction(i)
			return nil
		}
	}
	return fmt.Errorf("unknown fault action %q: use %s", text, strings.Join(actionNames[:], ", "))
}

// Fault describes a deterministic failure for the next matching requests.
// A faulted request does not change the server's state, except with
// Respond and Status zero, which serves the request normally after the
// latency, and with ApplyThenReset and ApplyThenCutBody, which make the
// change and lose its answer. Faulted requests are recorded by Requests,
// with Fault set.
//
// A request matches a fault when it matches every selector the fault
// sets: Route, SessionID, Token and UserID. A fault that sets none
// matches every request.
type Fault struct {
	// Route selects the requests by route: a path pattern relative to
	// BasePath, such as "/users/me/sessions",
	// "/users/me/sessions/{sessionId}",
	// "/admin/users/{userId}/sessions" or "/auth/refresh", for every
	// method on it, or a method and a pattern, as in the Route constants.
	// Empty matches every route, including paths the API does not serve.
	// Validate refuses any other value.
	Route string
	// SessionID selects the revocations of the session with this ID:
	// the requests DELETE "/users/me/sessions/{sessionId}" and DELETE
	// "/admin/users/{userId}/sessions/{sessionId}" whose {sessionId} is
	// this ID, whoever sends them. An administrator's read of the
	// session, GET "/admin/users/{userId}/sessions/{sessionId}", is no
	// revocation: SessionID selects it only with a Route whose method is
	// GET, RouteGetUserSession, and then selects only it. The session
	// does not have to exist.
	SessionID string
	// Token selects the requests whose bearer token is this token. A
	// refresh needs none: one sent without is selected by UserID only.
	Token string
	// UserID selects the requests whose bearer token is one of this
	// user's session tokens, revoked and expired ones included, and the
	// refreshes without a bearer token that send one of its refresh
	// tokens, spent ones included.
	UserID string
	// Count is how many matching requests the fault answers; zero means
	// one and Unlimited means all of them.
	Count int
	// Action is what the fault does; the zero value is Respond.
	Action FaultAction
	// Status is the response status; see the actions for the values each
	// takes and for defaults.
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
	// context is done, in which case nothing is sent, when the handler
	// is closed, or when it is reset (see Handler.Reset).
	Latency time.Duration
	// Body, if not nil, is the body of the answer: for Respond, in place
	// of the JSON error (with a Status, and sent as application/json
	// unless Header sets a Content-Type); for ProxyHTML and HTMLBody, in
	// place of their page. Other actions take none.
	Body []byte
}
