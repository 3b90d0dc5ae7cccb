package webhook

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestSessionRevokedRoundTripKeepsTheScope checks that MarshalJSON never
// writes a payload that UnmarshalJSON reads as another scope. A session
// whose ID is "all" or "all_except_current" (vaulttest and vault-mock
// accept any session ID a test seeds) revoked alone is written with that
// session_id, which reads back as a revocation of every session of the
// user: a receiver then ends all of them. MarshalJSON should refuse such
// an ID, or the round trip should keep ScopeSession.
func TestSessionRevokedRoundTripKeepsTheScope(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, id := range []string{string(ScopeAll), string(ScopeAllExceptCurrent)} {
		t.Run(id, func(t *testing.T) {
			in := SessionRevoked{UserID: "usr_1", SessionID: id, Scope: ScopeSession, Reason: "user_revoked", RevokedAt: at}
			data, err := in.MarshalJSON()
			if err != nil {
				return // refused: no ambiguous payload is written
			}
			var out SessionRevoked
			if assert.NoError(t, out.UnmarshalJSON(data)) {
				assert.Equal(t, in, out, "one session revoked reads back as %q", out.Scope)
			}
		})
	}
}

// TestSessionRevokedRefusesASessionNamedLikeAScope pins the rule the
// round trip above allows: the wire format cannot tell one session named
// "all" from every session, so MarshalJSON refuses to write one, and
// IsScopeName names exactly the two words.
func TestSessionRevokedRefusesASessionNamedLikeAScope(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		id    string
		scope Scope
		ok    bool
	}{
		{id: "all", scope: ScopeSession},
		{id: "all_except_current", scope: ScopeSession},
		{id: "all", scope: ""},
		{id: "all", scope: ScopeAll, ok: true}, // the SessionID of a bulk scope is not written
		{id: "All", scope: ScopeSession, ok: true},
		{id: "all_sessions", scope: ScopeSession, ok: true},
		{id: "ses_all", scope: ScopeSession, ok: true},
	} {
		t.Run(tc.id+"/"+string(tc.scope), func(t *testing.T) {
			data, err := SessionRevoked{UserID: "usr_1", SessionID: tc.id, Scope: tc.scope, Reason: "user_revoked", RevokedAt: at}.MarshalJSON()
			if !tc.ok {
				assert.Nil(t, data)
				assert.ErrorContains(t, err, "never a scope's name")
				return
			}
			assert.NoError(t, err)
		})
	}
	for _, id := range []string{"all", "all_except_current"} {
		assert.True(t, IsScopeName(id), id)
	}
	for _, id := range []string{"", "All", "all ", "session", "all_sessions", "ses_all"} {
		assert.False(t, IsScopeName(id), id)
	}
}
