package vaulttest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

// TestWebhookSessionNamedLikeAScope checks the event of revoking one
// session whose seeded ID is "all" or "all_except_current". The server
// accepts any seeded ID, then writes session_id "all" with the reason
// user_revoked, which every receiver reads as the revocation of all the
// user's sessions. Either such an ID is refused when the session is
// added, or the event must read back as that one session.
func TestWebhookSessionNamedLikeAScope(t *testing.T) {
	for _, id := range []string{"all", "all_except_current"} {
		t.Run(id, func(t *testing.T) {
			rc := newReceiver(t)
			srv := hookServer(t, rc)
			added := func() (ok bool) {
				defer func() {
					if recover() != nil {
						ok = false // refused: fine
					}
				}()
				srv.AddSession("lee", vaulttest.SessionSeed{ID: id})
				return true
			}()
			if !added {
				return
			}
			_, ok := srv.RevokeSession(id)
			require.True(t, ok)
			waitDeliveries(t, srv, 2)
			events := rc.events(t)
			require.Len(t, events, 2)
			r, err := events[1].SessionRevoked()
			require.NoError(t, err)
			assert.Equal(t, webhook.ScopeSession, r.Scope, "one session revoked reads as scope %q", r.Scope)
			assert.Equal(t, id, r.SessionID)
		})
	}
}
