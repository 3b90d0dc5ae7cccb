package vaulttest

import (
	"fmt"
	"net/http"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/webhook"
)

// Messages of the admin routes' answers, as the Vault server words them.
const (
	// MessageUserSessionRevokedFormat is the fmt format of the answer to
	// RouteRevokeUserSession, with the session's and the user's IDs.
	MessageUserSessionRevokedFormat = "Session %s revoked for user %s"
	// MessageUserSessionsRevokedFormat is the fmt format of the answer to
	// RouteRevokeAllUserSessions, with the number of sessions revoked and
	// the user's ID.
	MessageUserSessionsRevokedFormat = "Revoked %d sessions for user %s"
)

// Messages of DialectSpec's errors on the admin routes.
const (
	specMessageNotAdmin        = "Admin permission required"
	specMessageUserNotFound    = "User not found"
	specMessageSessionNotFound = "Session not found"
)

// Status returns the session's status at time now, as the admin routes
// report it: revoked, expired or active.
func (s Session) Status(now time.Time) vault.SessionStatus {
	switch {
	case s.Revoked:
		return vault.SessionStatusRevoked
	case !now.Before(s.ExpiresAt):
		return vault.SessionStatusExpired
	}
	return vault.SessionStatusActive
}

// adminLocked answers a request to an admin route, once its token is
// known to be valid. The caller must be an administrator (403 otherwise),
// and the user it names one of the administrator's tenant (404
// otherwise, as for a user that does not exist), and the session, if
// the route names one, that user's (404). Revoked and expired sessions
// stay visible, with their status; revoking one again answers 200.
func (h *Handler) adminLocked(r *http.Request, who caller, rt route, now time.Time) result {
	server := h.cfg.dialect == DialectServer
	notFound := func(specMessage string) result {
		if server {
			return errorResult(http.StatusNotFound, CodeNotFound, serverMessageNotFound)
		}
		return errorResult(http.StatusNotFound, CodeNotFound, specMessage)
	}
	admin := h.users[who.userID]
	if admin == nil || !admin.Admin {
		if server {
			return errorResult(http.StatusForbidden, CodeForbidden, serverMessageForbidden)
		}
		return errorResult(http.StatusForbidden, CodeForbidden, specMessageNotAdmin)
	}
	user := h.users[rt.userID]
	if user == nil || !sameTenant(admin, user) {
		return notFound(specMessageUserNotFound)
	}
	var session *Session
	if rt.pattern == patternUserSession {
		session = h.sessions[rt.sessionID]
		if session == nil || session.UserID != user.ID {
			return notFound(specMessageSessionNotFound)
		}
	}
	// A session's latest activity is the request itself when the
	// administrator's own session is listed.
	view := func(s *Session) any {
		last := s.LastActivityAt
		if s == who.session {
			last = now
		}
		return h.adminView(s, last, now)
	}

	switch {
	case session != nil && r.Method == http.MethodGet:
		return result{status: http.StatusOK, body: view(session)}
	case session != nil:
		return result{
			status: http.StatusOK,
			body:   vault.MessageResponse{Message: fmt.Sprintf(MessageUserSessionRevokedFormat, session.ID, user.ID)},
			apply: func() {
				if !session.Revoked {
					revoke(session, now)
					h.sessionRevokedLocked(user.ID, session.ID, webhook.ScopeSession, ReasonAdminRevoked, now)
				}
			},
		}
	case r.Method == http.MethodGet:
		return result{status: http.StatusOK, body: h.adminListLocked(user.ID, view, now)}
	}
	active := h.activeSessionsLocked(user.ID, now)
	return result{
		status: http.StatusOK,
		body:   vault.MessageResponse{Message: fmt.Sprintf(MessageUserSessionsRevokedFormat, len(active), user.ID)},
		apply: func() {
			for _, s := range active {
				revoke(s, now)
			}
			h.sessionRevokedLocked(user.ID, "", webhook.ScopeAll, ReasonAdminRevokedAll, now)
		},
	}
}

// adminList is the admin routes' list in either dialect: an object, as
// both the spec and the server send it, with the user's active sessions
// counted and the limit of WithMaxSessions.
type adminList struct {
	Sessions        []any `json:"sessions"`
	CurrentSessions int   `json:"currentSessions"`
	MaxSessions     int   `json:"maxSessions"`
}

// adminListLocked lists every session of a user, oldest first in
// DialectSpec and newest first in DialectServer, as each lists the
// user's own sessions.
func (h *Handler) adminListLocked(userID string, view func(*Session) any, now time.Time) adminList {
	all := h.sortedSessionsLocked(userID)
	list := adminList{Sessions: make([]any, 0, len(all)), MaxSessions: h.cfg.maxSessions}
	for i := range all {
		s := all[i]
		if h.cfg.dialect == DialectServer {
			s = all[len(all)-1-i]
		}
		if s.Active(now) {
			list.CurrentSessions++
		}
		list.Sessions = append(list.Sessions, view(s))
	}
	return list
}

// specAdminSession is an admin session as the spec describes it.
type specAdminSession struct {
	ID                string    `json:"id"`
	UserID            string    `json:"userId"`
	IPAddress         *string   `json:"ipAddress"`
	UserAgent         *string   `json:"userAgent"`
	DeviceFingerprint *string   `json:"deviceFingerprint"`
	MFAVerified       bool      `json:"mfaVerified"`
	CreatedAt         time.Time `json:"createdAt"`
	LastActivityAt    time.Time `json:"lastActivityAt"`
	ExpiresAt         time.Time `json:"expiresAt"`
	Status            string    `json:"status"`
}

// serverAdminSession is an admin session as the Vault server sends it,
// its members in the server's order.
type serverAdminSession struct {
	ID             string         `json:"id"`
	UserID         string         `json:"userId"`
	CreatedAt      string         `json:"createdAt"`
	LastActivityAt string         `json:"lastActivityAt"`
	ExpiresAt      string         `json:"expiresAt"`
	IPAddress      *string        `json:"ipAddress"`
	UserAgent      *string        `json:"userAgent"`
	DeviceInfo     map[string]any `json:"deviceInfo"`
	MFAVerified    bool           `json:"mfaVerified"`
	Status         string         `json:"status"`
}

// adminView renders s for the admin routes in the handler's dialect, with
// last as its latest activity.
func (h *Handler) adminView(s *Session, last, now time.Time) any {
	status := string(s.Status(now))
	if h.cfg.dialect == DialectServer {
		// The user's list and the admin's describe a session alike.
		u := s.serverResponse(false, last)
		return serverAdminSession{
			ID: u.ID, UserID: s.UserID, CreatedAt: u.CreatedAt, LastActivityAt: u.LastActivityAt, ExpiresAt: u.ExpiresAt,
			IPAddress: u.IPAddress, UserAgent: u.UserAgent, DeviceInfo: u.DeviceInfo, MFAVerified: u.MFAVerified, Status: status,
		}
	}
	c := s.clone()
	v := specAdminSession{
		ID:             c.ID,
		UserID:         c.UserID,
		IPAddress:      nonEmpty(c.IPAddress),
		UserAgent:      nonEmpty(c.UserAgent),
		MFAVerified:    c.MFAVerified,
		CreatedAt:      c.CreatedAt,
		LastActivityAt: last,
		ExpiresAt:      c.ExpiresAt,
		Status:         status,
	}
	v.DeviceFingerprint = nonEmpty(c.DeviceFingerprint)
	return v
}

// nonEmpty returns a pointer to s, or nil for "", which the API sends as
// null.
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
