package vaulttest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// FaultError is the error Fault.Validate returns: a fault that would
// never fire, or one the handler cannot serve.
type FaultError struct {
	// Field is the name of the Fault field that is refused, such as
	// "Route" or "Status".
	Field string
	// Value is the refused value as written in Go: quoted for a string,
	// such as `"GET /users/me/session"`, or a number such as "42".
	Value string
	// Reason says what is wrong with the value.
	Reason string
	// Route, when not empty, is the route to write instead of a refused
	// one, and SessionID the session it named, if it named one.
	Route     string
	SessionID string
}

// Error returns the field, the value, the reason and, if there is one,
// what to write instead.
func (e *FaultError) Error() string {
	msg := fmt.Sprintf("fault %s %s: %s", e.Field, e.Value, e.Reason)
	if e.Route != "" {
		msg += fmt.Sprintf("; write Route %q", e.Route)
		if e.SessionID != "" {
			msg += fmt.Sprintf(" with SessionID %q", e.SessionID)
		}
	}
	return msg
}

// Validate reports why f cannot be queued, as a *FaultError, or returns
// nil. It refuses:
//
//   - a Route that is not one of the API's routes in the form of the
//     Route constants: a method the route does not serve, a concrete
//     session ID or another placeholder instead of {sessionId}, a path
//     that includes BasePath, or a path the API does not serve;
//   - an Action that is not one of the package's;
//   - a Count less than Unlimited, or a negative Latency;
//   - a Status the action cannot send (see each action);
//   - a SessionID with a Route that names no session by ID: only
//     RouteRevokeSession, RouteGetUserSession and RouteRevokeUserSession
//     do, and the error's Route is the nearest that does: on the admin
//     paths, the route of one user's session with the same method;
//   - a RetryAfter, or a Retry-After in Header, that is neither a number
//     of seconds nor an HTTP date;
//   - a Header name that is not a token, a value with a control
//     character (a CR or LF would be sent as a space), and
//     Content-Length or Transfer-Encoding, which the handler sets;
//   - a Body with an action that sends no body of its own choosing, or
//     with Respond and no Status.
//
// Faults.Add panics with the same error. ValidateInput applies stricter
// rules to faults read from outside a Go test.
func (f Fault) Validate() error {
	sel, err := parseRoute(f.Route)
	if err != nil {
		return err
	}
	if !f.Action.known() {
		return &FaultError{Field: "Action", Value: f.Action.String(), Reason: "not one of the package's actions"}
	}
	if f.Count < Unlimited {
		return &FaultError{Field: "Count", Value: strconv.Itoa(f.Count),
			Reason: "must be a number of answers, zero for one, or Unlimited (-1)"}
	}
	if f.Latency < 0 {
		return &FaultError{Field: "Latency", Value: f.Latency.String(), Reason: "must not be negative"}
	}
	if reason := f.Action.checkStatus(f.Status); reason != "" {
		return &FaultError{Field: "Status", Value: strconv.Itoa(f.Status), Reason: reason}
	}
	if f.SessionID != "" && sel.pattern != "" && !hasSessionID(sel.pattern) {
		return &FaultError{Field: "SessionID", Value: strconv.Quote(f.SessionID),
			Reason: fmt.Sprintf("selects the requests naming one session, which the route %q never matches", f.Route),
			Route:  sel.sessionRoute(), SessionID: f.SessionID}
	}
	return f.checkAnswer()
}

// sessionRoute returns the route nearest to sel that names one session:
// on the admin paths the route of one user's session, with sel's method,
// since an administrator's requests never take the user's own routes;
// elsewhere RouteRevokeSession, the only user's route that names one.
func (sel selector) sessionRoute() string {
	if sel.pattern == patternUserSessions {
		return strings.TrimSpace(sel.method + " " + patternUserSession)
	}
	return RouteRevokeSession
}

// checkStatus returns why status cannot go with the action, or "".
func (a FaultAction) checkStatus(status int) string {
	if status == 0 {
		return ""
	}
	switch a {
	case Respond:
		if (status >= 300 && status <= 399 && status != http.StatusNotModified) || (status >= 400 && status <= 599) {
			return ""
		}
		return "Respond answers an error status, 400 to 599, or a redirect, 300 to 399 but 304"
	case ResetBeforeResponse, ApplyThenReset:
		return a.String() + " sends no status line"
	default:
		if status == http.StatusOK || (status >= 400 && status <= 599) {
			return ""
		}
		return a.String() + " answers 200 or an error status, 400 to 599"
	}
}

// selector is a parsed Fault.Route: empty fields match every request.
type selector struct {
	method  string
	pattern string
}

// routeList names the routes for error messages.
var routeList = fmt.Sprintf("%q, %q and %q, GET and DELETE on the admin paths %q and %q, and %q and %q",
	RouteListSessions, RouteLogoutAllSessions, RouteRevokeSession, patternUserSessions, patternUserSession,
	RouteRefreshToken, RouteLogout)

// parseRoute parses a Fault.Route: empty, a path pattern of the API, or a
// method and a pattern. A route that is close to one of the API's gets a
// *FaultError that says what to write instead.
func parseRoute(s string) (selector, error) {
	route := strings.TrimSpace(s)
	if route == "" {
		return selector{}, nil
	}
	method, path := "", route
	if m, p, ok := strings.Cut(route, " "); ok {
		method, path = m, strings.TrimSpace(p)
	}
	refuse := func(reason string) *FaultError {
		return &FaultError{Field: "Route", Value: strconv.Quote(s), Reason: reason}
	}

	// Each fix turns a near miss into the route it most likely meant.
	var fixes []string
	sessionID := ""
	if up := strings.ToUpper(method); up != method {
		fixes = append(fixes, "methods are upper case")
		method = up
	}
	if !strings.HasPrefix(path, "/") {
		fixes = append(fixes, "the path starts with '/'")
		path = "/" + path
	}
	if rest, ok := strings.CutPrefix(path, BasePath); ok && (rest == "" || rest[0] == '/') {
		fixes = append(fixes, "routes are relative to the base path "+BasePath)
		path = rest
	}
	if seg, ok := strings.CutPrefix(path, patternSessions+"/"); ok && seg != "" && seg != "{sessionId}" && !strings.Contains(seg, "/") {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			fixes = append(fixes, "the placeholder is {sessionId}")
		} else {
			id, err := url.PathUnescape(seg)
			if err != nil {
				id = seg
			}
			fixes = append(fixes, "a route is a pattern, not one session")
			sessionID = id
		}
		path = patternSession
	}
	if pattern, fix, id, ok := fixAdminRoute(path); ok {
		if fix != "" {
			fixes = append(fixes, fix)
			sessionID = id
		}
		path = pattern
	}

	if path != patternSessions && path != patternSession && !isAdminPattern(path) && !isAuthPattern(path) {
		return selector{}, refuse("not a route of the API, which serves " + routeList)
	}
	allowed := allowedMethods(path)
	if method != "" && !slices.Contains(allowed, method) {
		e := refuse(fmt.Sprintf("the API serves %s on %s, not %s", strings.Join(allowed, " and "), path, method))
		if len(allowed) == 1 {
			e.Route, e.SessionID = allowed[0]+" "+path, sessionID
		}
		return selector{}, e
	}
	if len(fixes) > 0 {
		e := refuse(strings.Join(fixes, "; "))
		e.Route, e.SessionID = strings.TrimSpace(method+" "+path), sessionID
		return selector{}, e
	}
	return selector{method: method, pattern: path}, nil
}
