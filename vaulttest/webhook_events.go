package vaulttest

import (
	"encoding/json"
	"time"

	"github.com/vault-dev/vault-go/webhook"
)

// The reasons of the session.revoked events the server sends, as the
// Vault server names them.
const (
	// ReasonUserRevoked: a user signed one session out, through the API
	// or RevokeSession.
	ReasonUserRevoked = "user_revoked"
	// ReasonUserRevokedAll: a user's logout-all.
	ReasonUserRevokedAll = "user_revoked_all"
	// ReasonAdminRevoked: an administrator revoked one session of a
	// user, through DELETE /admin/users/{userId}/sessions/{sessionId}.
	ReasonAdminRevoked = "admin_revoked"
	// ReasonAdminRevokedAll: an administrator revoked every session of a
	// user, through DELETE /admin/users/{userId}/sessions; the event's
	// session_id is "all".
	ReasonAdminRevokedAll = "admin_revoked_all"
)

// WebhookMethod is the sign-in method of the session.created events the
// server sends.
const WebhookMethod = "password"

// webhookEmail is the email address of a user in session.created: the
// server keeps none, so one is made of the user's ID.
func webhookEmail(userID string) string { return userID + "@example.com" }

// sessionCreatedLocked sends session.created for s. h.mu must be held.
func (h *Handler) sessionCreatedLocked(s *Session) {
	e := webhook.SessionCreated{
		UserID: s.UserID, SessionID: s.ID, Email: webhookEmail(s.UserID), Method: WebhookMethod,
		IPAddress: optional(s.IPAddress), UserAgent: optional(s.UserAgent), CreatedAt: s.CreatedAt,
	}
	h.emitLocked(webhook.TypeSessionCreated, e)
}

// sessionRevokedLocked sends session.revoked for one session, or for a
// bulk scope. h.mu must be held.
func (h *Handler) sessionRevokedLocked(userID, sessionID string, scope webhook.Scope, reason string, at time.Time) {
	e := webhook.SessionRevoked{UserID: userID, SessionID: sessionID, Scope: scope, Reason: reason, RevokedAt: at}
	h.emitLocked(webhook.TypeSessionRevoked, e)
}

func (h *Handler) emitLocked(typ string, v json.Marshaler) {
	if h.webhooks == nil {
		return
	}
	body, err := v.MarshalJSON()
	if err != nil {
		// The events are built from the server's own state: a failure is
		// a bug of this package.
		panic("vaulttest: encode " + typ + ": " + err.Error())
	}
	h.webhooks.emit(typ, body)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
