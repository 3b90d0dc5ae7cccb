package webhook

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionRevokedScopes(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 30, 0, 123456000, time.UTC)
	for _, tc := range []struct {
		name, body string
		want       SessionRevoked
	}{
		{
			name: "one session",
			body: `{"user_id":"u1","session_id":"s1","reason":"user_revoked","revoked_at":"2025-03-01T12:30:00.123456Z"}`,
			want: SessionRevoked{UserID: "u1", SessionID: "s1", Reason: "user_revoked", Scope: ScopeSession, RevokedAt: at},
		},
		{
			name: "admin revoke-all",
			body: `{"user_id":"u1","session_id":"all","reason":"admin_revoked_all","revoked_at":"2025-03-01T12:30:00.123456Z"}`,
			want: SessionRevoked{UserID: "u1", Reason: "admin_revoked_all", Scope: ScopeAll, RevokedAt: at},
		},
		{
			name: "logout-all keeping the current session",
			body: `{"user_id":"u1","session_id":"all_except_current","reason":"user_revoked_all","revoked_at":"2025-03-01T12:30:00.123456Z"}`,
			want: SessionRevoked{UserID: "u1", Reason: "user_revoked_all", Scope: ScopeAllExceptCurrent, RevokedAt: at},
		},
		{
			name: "members the SDK does not know",
			body: `{"tenant_id":"t","user_id":"u1","session_id":"s1","reason":"logout","revoked_at":"2025-03-01T12:30:00.123456Z","extra":{"a":[1]}}`,
			want: SessionRevoked{UserID: "u1", SessionID: "s1", Reason: "logout", Scope: ScopeSession, RevokedAt: at},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Event{Type: TypeSessionRevoked, Data: json.RawMessage(tc.body)}
			got, err := e.SessionRevoked()
			require.NoError(t, err)
			assert.Equal(t, tc.want, *got)

			// Encoding gives the same payload back.
			again, err := json.Marshal(*got)
			require.NoError(t, err)
			var back SessionRevoked
			require.NoError(t, json.Unmarshal(again, &back))
			assert.Equal(t, tc.want, back)
		})
	}
}

func TestSessionCreatedDecodes(t *testing.T) {
	ip, ua := "203.0.113.7", "Mozilla/5.0"
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, body string
		want       SessionCreated
	}{
		{
			name: "every member",
			body: `{"user_id":"u1","session_id":"s1","email":"a@example.com","ip_address":"203.0.113.7","user_agent":"Mozilla/5.0","method":"password","created_at":"2025-03-01T12:00:00Z"}`,
			want: SessionCreated{UserID: "u1", SessionID: "s1", Email: "a@example.com", Method: "password", IPAddress: &ip, UserAgent: &ua, CreatedAt: at},
		},
		{
			name: "null address and user agent",
			body: `{"user_id":"u1","session_id":"s1","email":"a@example.com","ip_address":null,"user_agent":null,"method":"oauth","created_at":"2025-03-01T12:00:00Z"}`,
			want: SessionCreated{UserID: "u1", SessionID: "s1", Email: "a@example.com", Method: "oauth", CreatedAt: at},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Event{Type: TypeSessionCreated, Data: json.RawMessage(tc.body)}
			got, err := e.SessionCreated()
			require.NoError(t, err)
			assert.Equal(t, tc.want, *got)

			again, err := json.Marshal(*got)
			require.NoError(t, err)
			assert.JSONEq(t, tc.body, string(again))
		})
	}
}

func TestSessionEventErrors(t *testing.T) {
	revoked := `{"user_id":"u1","session_id":"s1","reason":"logout","revoked_at":"2025-03-01T12:30:00Z"}`
	created := `{"user_id":"u1","session_id":"s1","email":"e","method":"m","created_at":"2025-03-01T12:00:00Z"}`
	for _, tc := range []struct {
		name, typ, body string
		created         bool
		wantType        bool
		want            string
	}{
		{name: "revoked read as created", typ: TypeSessionRevoked, body: revoked, created: true, wantType: true, want: "session.revoked"},
		{name: "created read as revoked", typ: TypeSessionCreated, body: created, wantType: true, want: "session.created"},
		{name: "user.login read as revoked", typ: TypeUserLogin, body: `{}`, wantType: true, want: "user.login"},
		{name: "not JSON", typ: TypeSessionRevoked, body: `not json`, want: "decode session.revoked"},
		{name: "an array", typ: TypeSessionRevoked, body: `[]`, want: "decode session.revoked"},
		{name: "no user_id", typ: TypeSessionRevoked, body: `{"session_id":"s1","reason":"r","revoked_at":"2025-03-01T12:30:00Z"}`, want: "no user_id"},
		{name: "no session_id", typ: TypeSessionRevoked, body: `{"user_id":"u","reason":"r","revoked_at":"2025-03-01T12:30:00Z"}`, want: "no session_id"},
		{name: "empty session_id", typ: TypeSessionRevoked, body: `{"user_id":"u","session_id":"","reason":"r","revoked_at":"2025-03-01T12:30:00Z"}`, want: "empty session_id"},
		{name: "no reason", typ: TypeSessionRevoked, body: `{"user_id":"u","session_id":"s","revoked_at":"2025-03-01T12:30:00Z"}`, want: "no reason"},
		{name: "no revoked_at", typ: TypeSessionRevoked, body: `{"user_id":"u","session_id":"s","reason":"r"}`, want: "no revoked_at"},
		{name: "revoked_at not a time", typ: TypeSessionRevoked, body: `{"user_id":"u","session_id":"s","reason":"r","revoked_at":"yesterday"}`, want: "decode session.revoked"},
		{name: "a member twice", typ: TypeSessionRevoked, body: `{"user_id":"u","user_id":"v","session_id":"s","reason":"r","revoked_at":"2025-03-01T12:30:00Z"}`, want: "user_id"},
		{name: "no created_at", typ: TypeSessionCreated, body: `{"user_id":"u1","session_id":"s1"}`, created: true, want: "no created_at"},
		{name: "created without session_id", typ: TypeSessionCreated, body: `{"user_id":"u1","created_at":"2025-03-01T12:00:00Z"}`, created: true, want: "no session_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &Event{Type: tc.typ, Data: json.RawMessage(tc.body)}
			var err error
			if tc.created {
				var got *SessionCreated
				got, err = e.SessionCreated()
				assert.Nil(t, got)
			} else {
				var got *SessionRevoked
				got, err = e.SessionRevoked()
				assert.Nil(t, got)
			}
			require.Error(t, err)
			assert.Equal(t, tc.wantType, errors.Is(err, ErrUnexpectedType), err.Error())
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSessionRevokedEncodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   SessionRevoked
		want string
	}{
		{name: "one session without an ID", in: SessionRevoked{UserID: "u", Reason: "r", Scope: ScopeSession}, want: "without a SessionID"},
		{name: "unknown scope", in: SessionRevoked{UserID: "u", SessionID: "s", Reason: "r", Scope: "some"}, want: `unknown scope "some"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := json.Marshal(tc.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// A bulk scope writes its name, whatever SessionID holds.
	b, err := json.Marshal(SessionRevoked{UserID: "u", SessionID: "ignored", Reason: "admin_revoked_all", Scope: ScopeAll, RevokedAt: time.Unix(0, 0)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"user_id":"u","session_id":"all","reason":"admin_revoked_all","revoked_at":"1970-01-01T00:00:00Z"}`, string(b))
}

func TestNilEventDecodes(t *testing.T) {
	var e *Event
	_, err := e.SessionRevoked()
	assert.ErrorIs(t, err, ErrUnexpectedType)
}
