package vaulttest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// Messages of the handler's successful answers.
const (
	MessageSessionRevoked     = "Session revoked"
	MessageAllSessionsRevoked = "All sessions revoked"
)

// resolveLocked decides the answer to r without changing any state; the
// change, if any, is in the result's apply. h.mu must be held.
func (h *Handler) resolveLocked(r *http.Request, rt route, now time.Time) result {
	if !rt.found {
		return errorResult(http.StatusNotFound, CodeNotFound,
			fmt.Sprintf("No route for %s %s", r.Method, r.URL.EscapedPath()))
	}
	allowed := allowedMethods(rt.pattern)
	if !slices.Contains(allowed, r.Method) {
		res := errorResult(http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			fmt.Sprintf("Method %s is not allowed on this resource", r.Method))
		res.header = http.Header{"Allow": {strings.Join(allowed, ", ")}}
		return res
	}
	cur, res, ok := h.authenticateLocked(r, now)
	if !ok {
		return res
	}
	touch := func() { cur.LastActivityAt = now }

	switch {
	case rt.pattern == patternSessions && r.Method == http.MethodGet:
		res = h.listLocked(cur, now)
	case rt.pattern == patternSessions:
		res = h.logoutAllLocked(cur, now)
	default:
		res = h.revokeLocked(cur, rt.sessionID, now)
	}
	change := res.apply
	res.apply = func() {
		touch()
		if change != nil {
			change()
		}
	}
	return res
}

// authenticateLocked returns the active session of the request's bearer
// token, or the 401 answer.
func (h *Handler) authenticateLocked(r *http.Request, now time.Time) (*Session, result, bool) {
	tok, ok := bearerToken(r)
	if !ok {
		res := errorResult(http.StatusUnauthorized, CodeUnauthorized, "Missing or malformed bearer token")
		res.header = http.Header{"Www-Authenticate": {`Bearer realm="vault"`}}
		return nil, res, false
	}
	s, ok := h.tokens[tok]
	if !ok || !s.Active(now) {
		res := errorResult(http.StatusUnauthorized, CodeUnauthorized, "Invalid or expired token")
		res.header = http.Header{"Www-Authenticate": {`Bearer realm="vault", error="invalid_token"`}}
		return nil, res, false
	}
	if u := h.users[s.UserID]; u != nil && u.TenantID != "" {
		if got := r.Header.Get("X-Tenant-ID"); got != u.TenantID {
			res := errorResult(http.StatusUnauthorized, CodeUnauthorized, "Token is not valid for this tenant")
			res.header = http.Header{"Www-Authenticate": {`Bearer realm="vault", error="invalid_token"`}}
			return nil, res, false
		}
	}
	return s, result{}, true
}

func (h *Handler) listLocked(cur *Session, now time.Time) result {
	list := []vault.SessionResponse{}
	for _, s := range h.sortedSessionsLocked(cur.UserID) {
		if !s.Active(now) {
			continue
		}
		r := s.response(s == cur)
		if s == cur {
			// The request itself is the session's latest activity.
			r.LastActivityAt = now
		}
		list = append(list, r)
	}
	return result{status: http.StatusOK, body: list}
}

func (h *Handler) logoutAllLocked(cur *Session, now time.Time) result {
	return result{
		status: http.StatusOK,
		body:   vault.MessageResponse{Message: MessageAllSessionsRevoked},
		apply: func() {
			for _, s := range h.sessions {
				if s.UserID == cur.UserID && s.Active(now) {
					revoke(s, now)
				}
			}
		},
	}
}

func (h *Handler) revokeLocked(cur *Session, id string, now time.Time) result {
	s, ok := h.sessions[id]
	if !ok || s.UserID != cur.UserID || !s.Active(now) {
		// The same answer for all three cases, so that a caller cannot
		// learn whether another user's session exists.
		return errorResult(http.StatusNotFound, CodeNotFound, "Session not found")
	}
	return result{
		status: http.StatusOK,
		body:   vault.MessageResponse{Message: MessageSessionRevoked},
		apply:  func() { revoke(s, now) },
	}
}

func revoke(s *Session, now time.Time) {
	s.Revoked = true
	s.RevokedAt = now
}

// rateLimited is the 429 answer to a request over the enforced limit.
func rateLimited(rl rateState, now time.Time) result {
	secs := rl.retryAfter(now)
	res := errorResult(http.StatusTooManyRequests, CodeRateLimited,
		fmt.Sprintf("Rate limit of %d requests exceeded; retry after %d seconds", rl.limit, secs))
	res.header = http.Header{"Retry-After": {strconv.Itoa(secs)}}
	return res
}
