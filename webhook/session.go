package webhook

import (
	"errors"
	"fmt"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// SessionCreated is the data of a [TypeSessionCreated] event: a user
// signed in and a session started.
type SessionCreated struct {
	// UserID is the user who signed in.
	UserID string
	// SessionID is the new session's ID.
	SessionID string
	// Email is the user's email address.
	Email string
	// Method is how the user signed in, such as "password".
	Method string
	// IPAddress is the address the sign-in came from; nil when the server
	// did not know it.
	IPAddress *string
	// UserAgent is the User-Agent of the sign-in; nil when the server did
	// not know it.
	UserAgent *string
	// CreatedAt is when the session started.
	CreatedAt time.Time
}

// Scope says which of a user's sessions a [SessionRevoked] event ended.
type Scope string

// The scopes of a [SessionRevoked] event.
const (
	// ScopeSession: one session, the one SessionRevoked.SessionID names.
	ScopeSession Scope = "session"
	// ScopeAll: every session of the user, as after an administrator's
	// revoke-all or a logout-all in the published spec. The payload's
	// session_id is "all".
	ScopeAll Scope = "all"
	// ScopeAllExceptCurrent: every session of the user but the one that
	// asked, as after the server's logout-all, which keeps the current
	// session. The payload's session_id is "all_except_current".
	ScopeAllExceptCurrent Scope = "all_except_current"
)

// SessionRevoked is the data of a [TypeSessionRevoked] event: one or more
// of a user's sessions ended.
type SessionRevoked struct {
	// UserID is the user whose sessions were revoked.
	UserID string
	// SessionID is the revoked session's ID when Scope is ScopeSession,
	// and empty for the bulk scopes. It is never "all" or
	// "all_except_current": see [IsScopeName].
	SessionID string
	// Reason is why, such as "user_revoked", "user_revoked_all",
	// "admin_revoked", "admin_revoked_all" or "logout".
	Reason string
	// Scope says which sessions ended.
	Scope Scope
	// RevokedAt is when they ended.
	RevokedAt time.Time
}

// sessionCreatedWire is the payload of session.created as the server
// writes it. Pointers tell a missing member from an empty one.
type sessionCreatedWire struct {
	UserID    *string    `json:"user_id"`
	SessionID *string    `json:"session_id"`
	Email     string     `json:"email"`
	IPAddress *string    `json:"ip_address"`
	UserAgent *string    `json:"user_agent"`
	Method    string     `json:"method"`
	CreatedAt *time.Time `json:"created_at"`
}

type sessionRevokedWire struct {
	UserID    *string    `json:"user_id"`
	SessionID *string    `json:"session_id"`
	Reason    *string    `json:"reason"`
	RevokedAt *time.Time `json:"revoked_at"`
}

// MarshalJSON writes s as the server's session.created payload, with
// null for an unknown IP address or user agent. It lets a test build the
// body of a delivery to sign with [Sign].
func (s SessionCreated) MarshalJSON() ([]byte, error) {
	at := s.CreatedAt.UTC()
	return jsonv2.Marshal(sessionCreatedWire{
		UserID: &s.UserID, SessionID: &s.SessionID, Email: s.Email,
		IPAddress: s.IPAddress, UserAgent: s.UserAgent, Method: s.Method,
		CreatedAt: &at,
	})
}

// UnmarshalJSON reads the server's session.created payload. Members it
// does not know are ignored; a missing user_id, session_id or created_at,
// or a member named twice, is an error.
func (s *SessionCreated) UnmarshalJSON(data []byte) error {
	var w sessionCreatedWire
	if err := jsonv2.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("webhook: decode %s: %w", TypeSessionCreated, err)
	}
	if err := required(TypeSessionCreated, w.UserID, w.SessionID); err != nil {
		return err
	}
	if w.CreatedAt == nil {
		return fmt.Errorf("webhook: decode %s: no created_at", TypeSessionCreated)
	}
	*s = SessionCreated{
		UserID: *w.UserID, SessionID: *w.SessionID, Email: w.Email, Method: w.Method,
		IPAddress: w.IPAddress, UserAgent: w.UserAgent, CreatedAt: *w.CreatedAt,
	}
	return nil
}

// MarshalJSON writes s as the server's session.revoked payload: its
// session_id is SessionID for ScopeSession and the scope's name ("all",
// "all_except_current") for the bulk scopes. An empty Scope counts as
// ScopeSession. A scope of another name, ScopeSession without a
// SessionID, or ScopeSession with a SessionID of "all" or
// "all_except_current", which every receiver would read as a bulk scope,
// is an error.
func (s SessionRevoked) MarshalJSON() ([]byte, error) {
	id := s.SessionID
	switch s.Scope {
	case ScopeSession, "":
		if id == "" {
			return nil, errors.New("webhook: encode session.revoked: ScopeSession without a SessionID")
		}
		if IsScopeName(id) {
			return nil, fmt.Errorf("webhook: encode session.revoked: ScopeSession with SessionID %q, which names the scope %s: session IDs are never a scope's name", id, Scope(id))
		}
	case ScopeAll, ScopeAllExceptCurrent:
		id = string(s.Scope)
	default:
		return nil, fmt.Errorf("webhook: encode session.revoked: unknown scope %q", s.Scope)
	}
	at := s.RevokedAt.UTC()
	return jsonv2.Marshal(sessionRevokedWire{UserID: &s.UserID, SessionID: &id, Reason: &s.Reason, RevokedAt: &at})
}

// UnmarshalJSON reads the server's session.revoked payload and derives
// Scope from its session_id: "all" is ScopeAll, "all_except_current" is
// ScopeAllExceptCurrent (SessionID is then empty), anything else is
// ScopeSession. The wire format cannot tell one session named like a
// scope from the scope; the server's session IDs are UUIDs, never these
// words, so a session_id of "all" always means every session. Members it does not know are ignored; a missing user_id,
// session_id, reason or revoked_at, an empty session_id, or a member named
// twice, is an error.
func (s *SessionRevoked) UnmarshalJSON(data []byte) error {
	var w sessionRevokedWire
	if err := jsonv2.Unmarshal(data, &w); err != nil {
		return fmt.Errorf("webhook: decode %s: %w", TypeSessionRevoked, err)
	}
	if err := required(TypeSessionRevoked, w.UserID, w.SessionID); err != nil {
		return err
	}
	if w.Reason == nil {
		return fmt.Errorf("webhook: decode %s: no reason", TypeSessionRevoked)
	}
	if w.RevokedAt == nil {
		return fmt.Errorf("webhook: decode %s: no revoked_at", TypeSessionRevoked)
	}
	if *w.SessionID == "" {
		return fmt.Errorf("webhook: decode %s: empty session_id", TypeSessionRevoked)
	}
	r := SessionRevoked{UserID: *w.UserID, Reason: *w.Reason, RevokedAt: *w.RevokedAt}
	switch Scope(*w.SessionID) {
	case ScopeAll, ScopeAllExceptCurrent:
		r.Scope = Scope(*w.SessionID)
	default:
		r.Scope, r.SessionID = ScopeSession, *w.SessionID
	}
	*s = r
	return nil
}

// IsScopeName reports whether id is the name of a bulk scope, "all" or
// "all_except_current": a session_id a session.revoked payload gives only
// to a revocation of several sessions. The server never gives a session
// such an ID; package vaulttest refuses to add one, and
// [SessionRevoked.MarshalJSON] to write one as a single session.
func IsScopeName(id string) bool {
	return id == string(ScopeAll) || id == string(ScopeAllExceptCurrent)
}

func required(typ string, userID, sessionID *string) error {
	if userID == nil {
		return fmt.Errorf("webhook: decode %s: no user_id", typ)
	}
	if sessionID == nil {
		return fmt.Errorf("webhook: decode %s: no session_id", typ)
	}
	return nil
}
