package vaulttest

import (
	"net/http"
	"net/url"
	"strings"
)

// BasePath is the path under which the handler serves the API.
const BasePath = "/api/v1"

// Route patterns of the API, relative to BasePath, in the form Fault.Route
// accepts.
const (
	RouteListSessions      = "GET /users/me/sessions"
	RouteLogoutAllSessions = "DELETE /users/me/sessions"
	RouteRevokeSession     = "DELETE /users/me/sessions/{sessionId}"
)

const (
	patternSessions = "/users/me/sessions"
	patternSession  = "/users/me/sessions/{sessionId}"
)

// route is the outcome of matching a request path.
type route struct {
	// pattern is the matched path pattern relative to BasePath, or the
	// escaped path relative to BasePath (or the whole escaped path, for
	// paths outside it) when nothing matched.
	pattern   string
	found     bool
	sessionID string
	userID    string // the {userId} of an admin route
}

// matchRoute matches the escaped path of r, so that an encoded '/' in a
// session ID stays part of that one segment.
func matchRoute(r *http.Request) route { return matchPath(r.URL.EscapedPath()) }

// matchPath matches the escaped path p.
func matchPath(p string) route {
	rest, ok := strings.CutPrefix(p, BasePath)
	if !ok || (rest != "" && rest[0] != '/') {
		return route{pattern: p}
	}
	if rest == patternSessions {
		return route{pattern: patternSessions, found: true}
	}
	if rt, ok := matchAdminRoute(rest); ok {
		return rt
	}
	seg, ok := strings.CutPrefix(rest, patternSessions+"/")
	if !ok || seg == "" || strings.Contains(seg, "/") {
		return route{pattern: rest}
	}
	id, err := url.PathUnescape(seg)
	if err != nil {
		return route{pattern: rest}
	}
	return route{pattern: patternSession, found: true, sessionID: id}
}

// allowedMethods returns the methods a found pattern answers.
func allowedMethods(pattern string) []string {
	if pattern == patternSessions {
		return []string{http.MethodGet, http.MethodDelete}
	}
	if isAdminPattern(pattern) {
		return adminMethods
	}
	return []string{http.MethodDelete}
}

// bearerToken returns the token of the request's Authorization header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}
