package vaulttest_test

import (
	"net/http"
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

// TestSessionIDsNamedLikeAScopeAreRefused pins the rule the test above
// allows: a session cannot be added with the ID "all" or
// "all_except_current", in Go (AddSession panics) or through the control
// API (400), since its revocation would read as every session's; other
// IDs that merely contain the words are fine.
func TestSessionIDsNamedLikeAScopeAreRefused(t *testing.T) {
	for _, id := range []string{"all", "all_except_current"} {
		t.Run(id, func(t *testing.T) {
			srv := newControlServer(t)
			assert.PanicsWithValue(t, `vaulttest: AddSession invalid: session ID "`+id+`" is reserved: a session.revoked webhook names every session of a user with it`, func() {
				srv.AddSession("lee", vaulttest.SessionSeed{ID: id})
			})
			r := ctl(t, srv, http.MethodPost, "/users/lee/sessions", `{"id":"`+id+`"}`)
			assert.Equal(t, http.StatusBadRequest, r.status, "%s", r.body)
			assert.Contains(t, string(r.body), "reserved")
			_, found := srv.Session(id)
			assert.False(t, found)
		})
	}
	srv := newControlServer(t)
	for _, id := range []string{"All", "all_sessions", "ses_all"} {
		assert.Equal(t, id, srv.AddSession("lee", vaulttest.SessionSeed{ID: id}).ID)
	}
}
