package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

// TestWebhookAdminRevocations checks the events of the admin routes: one
// session revoked by an administrator is "admin_revoked", every session
// of a user "admin_revoked_all" with session_id "all", and revoking a
// session already revoked sends nothing.
func TestWebhookAdminRevocations(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			rc := newReceiver(t)
			f := newAdminFixture(t, vaulttest.WithDialect(d))
			_, err := f.srv.AddWebhook(vaulttest.Webhook{URL: rc.URL, Secret: hookSecret})
			require.NoError(t, err)

			r := f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions/ses_active")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			r = f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions/ses_revoked") // already revoked
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			r = f.as(t, f.admin.Token, http.MethodDelete, "/admin/users/alice/sessions")
			require.Equal(t, http.StatusOK, r.status, "%s", r.body)
			// Refused: no event.
			r = f.as(t, f.member.Token, http.MethodDelete, "/admin/users/alice/sessions")
			require.NotEqual(t, http.StatusOK, r.status)

			got := waitDeliveries(t, f.srv, 2)
			require.Len(t, got, 2)
			assert.Len(t, f.srv.WebhookDeliveries(), 2)
			assert.JSONEq(t, `{"user_id":"alice","session_id":"ses_active","reason":"admin_revoked","revoked_at":"2025-03-14T09:26:53Z"}`, string(got[0].Data))
			assert.JSONEq(t, `{"user_id":"alice","session_id":"all","reason":"admin_revoked_all","revoked_at":"2025-03-14T09:26:53Z"}`, string(got[1].Data))
			events := rc.events(t)
			all, err := events[1].SessionRevoked()
			require.NoError(t, err)
			assert.Equal(t, webhook.ScopeAll, all.Scope)
			assert.Empty(t, all.SessionID)
		})
	}
}
