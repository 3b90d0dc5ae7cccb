package vaulttest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/webhook"
)

// Messages of the handler's answers.
const (
	MessageSessionRevoked     = "Session revoked"
	MessageAllSessionsRevoked = "All sessions revoked"
	// MessageSessionsRevokedFormat is the fmt format of DialectServer's
	// answer to logout-all, with the number of sessions revoked.
	MessageSessionsRevokedFormat = "Revoked %d sessions"
	// MessageNoActiveSession is DialectServer's 400 answer to logout-all
	// with a token that has no session.
	MessageNoActiveSession = "No active session"
)

// caller is who made a request: a user, and the session of the request's
// token, which is nil for a token without a session.
type caller struct {
	userID  string
	session *Session
}

// resolveLocked decides the answer to r without changing any state; the
// change, if any, is in the result's apply. h.mu must be held.
func (h *Handler) resolveLocked(r *http.Request, rt route, now time.Time) result {
	server := h.cfg.dialect == DialectServer
	if !rt.found {
		msg := fmt.Sprintf("No route for %s %s", r.Method, r.URL.EscapedPath())
		if server {
			msg = serverMessageNoRoute
		}
		return errorResult(http.StatusNotFound, CodeNotFound, msg)
	}
	allowed := allowedMethods(rt.pattern)
	if !slices.Contains(allowed, r.Method) {
		res := errorResult(http.StatusMethodNotAllowed, CodeMethodNotAllowed,
			fmt.Sprintf("Method %s is not allowed on this resource", r.Method))
		if server {
			res = emptyResult(http.StatusMethodNotAllowed)
		}
		res.header = http.Header{"Allow": {strings.Join(allowed, ", ")}}
		return res
	}
	if rt.pattern == patternRefresh {
		return h.refreshLocked(r, now) // its credential is in its body
	}
	who, res, ok := h.authenticateLocked(r, now)
	if !ok {
		return res
	}

	switch {
	case isAdminPattern(rt.pattern):
		res = h.adminLocked(r, who, rt, now)
	case rt.pattern == patternSessions && r.Method == http.MethodGet:
		res = h.listLocked(who, now)
	case rt.pattern == patternSessions:
		res = h.logoutAllLocked(who, now)
	case rt.pattern == patternLogout:
		res = h.logoutLocked(who, now)
	default:
		res = h.revokeLocked(who, rt.sessionID, now)
	}
	change := res.apply
	res.apply = func() {
		if who.session != nil {
			who.session.LastActivityAt = now
		}
		if change != nil {
			change()
		}
	}
	return res
}

// authenticateLocked returns the caller of the request's bearer token, or
// the 401 answer.
func (h *Handler) authenticateLocked(r *http.Request, now time.Time) (caller, result, bool) {
	tok, ok := bearerToken(r)
	if !ok {
		return caller{}, h.unauthorized("Missing or malformed bearer token", `Bearer realm="vault"`), false
	}
	who, ok := h.callerLocked(tok, now)
	if !ok {
		return caller{}, h.unauthorized("Invalid or expired token", `Bearer realm="vault", error="invalid_token"`), false
	}
	if h.cfg.dialect == DialectSpec && !h.users[who.userID].inTenant(r.Header) {
		return caller{}, h.unauthorized("Token is not valid for this tenant", `Bearer realm="vault", error="invalid_token"`), false
	}
	return who, result{}, true
}

// callerLocked returns the caller of token, if the token is known and its
// session, if it has one, is active.
func (h *Handler) callerLocked(token string, now time.Time) (caller, bool) {
	if s, ok := h.tokens[token]; ok {
		return caller{userID: s.UserID, session: s}, s.Active(now) && h.signing.liveLocked(token, now) && h.auth.liveLocked(token, now)
	}
	if userID, ok := h.sessionless[token]; ok {
		return caller{userID: userID}, true
	}
	return caller{}, false
}

// unauthorized is the 401 answer: in DialectSpec a JSON error with a
// WWW-Authenticate challenge, in DialectServer an empty body, as its
// authentication layer answers.
func (h *Handler) unauthorized(message, challenge string) result {
	if h.cfg.dialect == DialectServer {
		return emptyResult(http.StatusUnauthorized)
	}
	res := errorResult(http.StatusUnauthorized, CodeUnauthorized, message)
	res.header = http.Header{"Www-Authenticate": {challenge}}
	return res
}

// activeSessionsLocked returns the active sessions of a user, ordered by
// creation time and then ID.
func (h *Handler) activeSessionsLocked(userID string, now time.Time) []*Session {
	var active []*Session
	for _, s := range h.sortedSessionsLocked(userID) {
		if s.Active(now) {
			active = append(active, s)
		}
	}
	return active
}

func (h *Handler) listLocked(who caller, now time.Time) result {
	active := h.activeSessionsLocked(who.userID, now)
	// The request itself is the current session's latest activity.
	lastActivity := func(s *Session) time.Time {
		if s == who.session {
			return now
		}
		return s.LastActivityAt
	}
	if h.cfg.dialect == DialectServer {
		list := serverList{
			Sessions:        make([]serverSession, 0, len(active)),
			CurrentSessions: len(active),
			MaxSessions:     h.cfg.maxSessions,
			Warning:         serverWarning(len(active), h.cfg.maxSessions),
		}
		// The server lists the newest session first.
		for i := len(active) - 1; i >= 0; i-- {
			s := active[i]
			list.Sessions = append(list.Sessions, s.serverResponse(s == who.session, lastActivity(s)))
		}
		return result{status: http.StatusOK, body: list}
	}
	list := make([]vault.SessionResponse, 0, len(active))
	for _, s := range active {
		r := s.response(s == who.session)
		r.LastActivityAt = lastActivity(s)
		list = append(list, r)
	}
	return result{status: http.StatusOK, body: list}
}

func (h *Handler) logoutAllLocked(who caller, now time.Time) result {
	active := h.activeSessionsLocked(who.userID, now)
	message := MessageAllSessionsRevoked
	if h.cfg.dialect == DialectServer {
		if who.session == nil {
			return errorResult(http.StatusBadRequest, CodeBadRequest, MessageNoActiveSession)
		}
		active = slices.DeleteFunc(active, func(s *Session) bool { return s == who.session })
		message = fmt.Sprintf(MessageSessionsRevokedFormat, len(active))
	}
	return result{
		status: http.StatusOK,
		body:   vault.MessageResponse{Message: message},
		apply: func() {
			for _, s := range active {
				revoke(s, now)
			}
			// The spec's logout-all ends every session; the server's
			// keeps the current one, and says so in the event.
			scope := webhook.ScopeAll
			if h.cfg.dialect == DialectServer {
				scope = webhook.ScopeAllExceptCurrent
			}
			h.sessionRevokedLocked(who.userID, "", scope, ReasonUserRevokedAll, now)
		},
	}
}

func (h *Handler) revokeLocked(who caller, id string, now time.Time) result {
	s, ok := h.sessions[id]
	if h.cfg.dialect == DialectServer {
		// The server looks the session up within the caller's tenant, and
		// then tells another user's session apart.
		switch {
		case !ok || !h.sameTenantLocked(s.UserID, who.userID):
			return errorResult(http.StatusNotFound, CodeNotFound, serverMessageNotFound)
		case s.UserID != who.userID:
			return errorResult(http.StatusForbidden, CodeForbidden, serverMessageForbidden)
		case !s.Active(now):
			return errorResult(http.StatusNotFound, CodeNotFound, serverMessageNotFound)
		}
	} else if !ok || s.UserID != who.userID || !s.Active(now) {
		// The same answer for all three cases, so that a caller cannot
		// learn whether another user's session exists.
		return errorResult(http.StatusNotFound, CodeNotFound, "Session not found")
	}
	return result{
		status: http.StatusOK,
		body:   vault.MessageResponse{Message: MessageSessionRevoked},
		apply: func() {
			revoke(s, now)
			h.sessionRevokedLocked(s.UserID, s.ID, webhook.ScopeSession, ReasonUserRevoked, now)
		},
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
