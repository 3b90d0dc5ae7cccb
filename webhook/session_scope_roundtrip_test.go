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
