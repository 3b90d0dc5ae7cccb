package vaulttest

import (
	"net/http"
	"net/url"
	"strings"
)

// Route patterns of the admin API's session routes, relative to
// BasePath, in the form Fault.Route accepts. They answer a tenant
// administrator's token (see User.Admin).
const (
	RouteListUserSessions      = "GET /admin/users/{userId}/sessions"
	RouteRevokeAllUserSessions = "DELETE /admin/users/{userId}/sessions"
	RouteGetUserSession        = "GET /admin/users/{userId}/sessions/{sessionId}"
	RouteRevokeUserSession     = "DELETE /admin/users/{userId}/sessions/{sessionId}"
)

const (
	patternUserSessions = "/admin/users/{userId}/sessions"
	patternUserSession  = "/admin/users/{userId}/sessions/{sessionId}"
	adminUsersPrefix    = "/admin/users/"
)

// isAdminPattern reports whether a matched pattern is one of the admin
// API's.
func isAdminPattern(pattern string) bool {
	return pattern == patternUserSessions || pattern == patternUserSession
}

// hasSessionID reports whether a pattern names one session by ID.
func hasSessionID(pattern string) bool {
	return pattern == patternSession || pattern == patternUserSession
}

// matchAdminRoute matches rest, an escaped path relative to BasePath,
// against the admin routes: each ID is one segment, so that an encoded
// '/' stays part of it.
func matchAdminRoute(rest string) (route, bool) {
	tail, ok := strings.CutPrefix(rest, adminUsersPrefix)
	if !ok {
		return route{}, false
	}
	segs := strings.Split(tail, "/")
	if len(segs) < 2 || len(segs) > 3 || segs[1] != "sessions" {
		return route{}, false
	}
	ids := make([]string, 0, 2)
	for _, seg := range append(segs[:1:1], segs[2:]...) {
		id, err := url.PathUnescape(seg)
		if seg == "" || err != nil {
			return route{}, false
		}
		ids = append(ids, id)
	}
	if len(ids) == 1 {
		return route{pattern: patternUserSessions, found: true, userID: ids[0]}, true
	}
	return route{pattern: patternUserSession, found: true, userID: ids[0], sessionID: ids[1]}, true
}

// adminMethods are the methods the admin patterns answer.
var adminMethods = []string{http.MethodGet, http.MethodDelete}

// fixAdminRoute recognises a Fault.Route path, already relative to
// BasePath, as one of the admin patterns. A path that names a concrete
// user or session instead of the placeholder is a near miss: fix says
// so, and sessionID is the session it named, if any.
func fixAdminRoute(path string) (pattern, fix, sessionID string, ok bool) {
	tail, found := strings.CutPrefix(path, adminUsersPrefix)
	if !found {
		return "", "", "", false
	}
	segs := strings.Split(tail, "/")
	if len(segs) < 2 || len(segs) > 3 || segs[0] == "" || segs[1] != "sessions" || (len(segs) == 3 && segs[2] == "") {
		return "", "", "", false
	}
	placeholder := func(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }
	pattern = patternUserSessions
	var fixes []string
	switch {
	case segs[0] == "{userId}":
	case placeholder(segs[0]):
		fixes = append(fixes, "the placeholder is {userId}")
	default:
		fixes = append(fixes, "a route is a pattern, not one user")
	}
	if len(segs) == 3 {
		pattern = patternUserSession
		switch seg := segs[2]; {
		case seg == "{sessionId}":
		case placeholder(seg):
			fixes = append(fixes, "the placeholder is {sessionId}")
		default:
			if id, err := url.PathUnescape(seg); err == nil {
				seg = id
			}
			fixes = append(fixes, "a route is a pattern, not one session")
			sessionID = seg
		}
	}
	return pattern, strings.Join(fixes, "; "), sessionID, true
}
