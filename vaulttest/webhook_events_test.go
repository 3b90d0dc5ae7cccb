package vaulttest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

func TestWebhookSessionCreated(t *testing.T) {
	rc := newReceiver(t)
	srv := hookServer(t, rc)
	s := srv.AddSession("alice", vaulttest.SessionSeed{IPAddress: "203.0.113.9", UserAgent: "curl/8.5"})
	bare := srv.AddSession("alice", vaulttest.SessionSeed{})

	got := waitDeliveries(t, srv, 2)
	require.Len(t, got, 2)
	assert.Equal(t, vaulttest.DeliveryDelivered, got[0].State)
	assert.Equal(t, webhook.TypeSessionCreated, got[0].Type)
	assert.Equal(t, rc.URL+"/hooks", got[0].URL)
	assert.Equal(t, "wh_1", got[0].Webhook)
	require.Len(t, got[0].Attempts, 1)
	assert.Equal(t, http.StatusNoContent, got[0].Attempts[0].Status)

	reqs := rc.requests()
	require.Len(t, reqs, 2)
	h := reqs[0].header
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Equal(t, got[0].ID, h.Get(webhook.HeaderID))
	assert.Equal(t, webhook.TypeSessionCreated, h.Get(webhook.HeaderEvent))
	assert.NotEmpty(t, h.Get(webhook.HeaderTimestamp))
	assert.Regexp(t, `^v1=[0-9a-f]{64}$`, h.Get(webhook.HeaderSignature))
	assert.Empty(t, h.Values(webhook.HeaderAttempt), "the first attempt carries no X-Webhook-Attempt")
	assert.JSONEq(t, `{"user_id":"alice","session_id":"`+s.ID+`","email":"alice@example.com","ip_address":"203.0.113.9","user_agent":"curl/8.5","method":"password","created_at":"2025-03-14T09:26:53Z"}`, string(reqs[0].body))
	assert.JSONEq(t, `{"user_id":"alice","session_id":"`+bare.ID+`","email":"alice@example.com","ip_address":null,"user_agent":null,"method":"password","created_at":"2025-03-14T09:26:53Z"}`, string(reqs[1].body))

	// A receiver verifies them in the timestamp form and decodes them.
	events := rc.events(t)
	created, err := events[0].SessionCreated()
	require.NoError(t, err)
	assert.Equal(t, s.ID, created.SessionID)
	assert.WithinDuration(t, time.Now(), events[0].Timestamp, time.Minute, "X-Webhook-Timestamp follows the wall clock, not the server's")
}

func TestWebhookSessionRevoked(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			rc := newReceiver(t)
			srv := hookServer(t, rc, vaulttest.WithDialect(d))
			demo := srv.SeedDemo(vaulttest.Demo{UserID: "bob", Sessions: 4})
			waitDeliveries(t, srv, 4)
			srv.ResetWebhookDeliveries()

			client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: demo[0].Token, MaxRetries: -1})
			require.NoError(t, err)
			t.Cleanup(client.CloseIdleConnections)
			ctx := context.Background()
			_, err = client.Sessions.RevokeSession(ctx, demo[1].ID) // through the API
			require.NoError(t, err)
			srv.RevokeSession(demo[2].ID) // through Go
			srv.RevokeSession(demo[2].ID) // already revoked: no event
			srv.ExpireSession(demo[3].ID) // expiry is no revocation
			_, err = client.Sessions.LogoutAllSessions(ctx)
			require.NoError(t, err)

			got := waitDeliveries(t, srv, 3)
			var data []webhook.SessionRevoked
			for _, g := range got {
				e := &webhook.Event{Type: g.Type, Data: g.Data}
				r, err := e.SessionRevoked()
				require.NoError(t, err)
				data = append(data, *r)
			}
			scope := webhook.ScopeAll
			if d == vaulttest.DialectServer {
				scope = webhook.ScopeAllExceptCurrent
			}
			assert.Equal(t, []webhook.SessionRevoked{
				{UserID: "bob", SessionID: demo[1].ID, Reason: "user_revoked", Scope: webhook.ScopeSession, RevokedAt: epoch},
				{UserID: "bob", SessionID: demo[2].ID, Reason: "user_revoked", Scope: webhook.ScopeSession, RevokedAt: epoch},
				{UserID: "bob", Reason: "user_revoked_all", Scope: scope, RevokedAt: epoch},
			}, data)
			if d == vaulttest.DialectServer {
				assert.JSONEq(t, `{"user_id":"bob","session_id":"all_except_current","reason":"user_revoked_all","revoked_at":"2025-03-14T09:26:53Z"}`, string(got[2].Data))
			} else {
				assert.JSONEq(t, `{"user_id":"bob","session_id":"all","reason":"user_revoked_all","revoked_at":"2025-03-14T09:26:53Z"}`, string(got[2].Data))
			}
			assert.Len(t, srv.WebhookDeliveries(), 3, "nothing more than the three revocations")
		})
	}
}

func TestWebhookNoEventWithoutAChange(t *testing.T) {
	rc := newReceiver(t)
	srv := hookServer(t, rc, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 1, Enforce: true}))
	demo := srv.SeedDemo(vaulttest.Demo{})
	waitDeliveries(t, srv, len(demo))
	srv.ResetWebhookDeliveries()

	c := freshClient(t)
	// A 404, a fault's answer and a rate-limited request change nothing.
	assert.Equal(t, http.StatusOK, call(t, c, http.MethodGet, srv.URL+"/users/me/sessions", demo[0].Token).status)
	assert.Equal(t, http.StatusTooManyRequests, call(t, c, http.MethodDelete, srv.URL+"/users/me/sessions/"+demo[1].ID, demo[0].Token).status)
	assert.Equal(t, http.StatusNotFound, call(t, c, http.MethodDelete, srv.URL+"/users/me/sessions/nope", demo[1].Token).status)
	srv.Faults().Add(vaulttest.Fault{Status: http.StatusServiceUnavailable})
	assert.Equal(t, http.StatusServiceUnavailable, call(t, c, http.MethodDelete, srv.URL+"/users/me/sessions/"+demo[2].ID, demo[2].Token).status)
	// A change whose answer is lost still sends its event.
	srv.Faults().Add(vaulttest.Fault{Action: vaulttest.ApplyThenReset})
	req, err := http.NewRequest(http.MethodDelete, srv.URL+"/users/me/sessions/"+demo[2].ID, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+demo[2].Token)
	_, err = c.Do(req)
	require.Error(t, err)

	got := waitDeliveries(t, srv, 1)
	require.Len(t, got, 1)
	assert.Contains(t, string(got[0].Data), demo[2].ID)
}

func TestWebhookIDForm(t *testing.T) {
	rc := newReceiver(t)
	srv := newServer(t)
	w, err := srv.AddWebhook(vaulttest.Webhook{URL: rc.URL, Secret: hookSecret, Form: webhook.FormID})
	require.NoError(t, err)
	assert.Equal(t, "wh_1", w.ID)
	srv.AddSession("carol", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	assert.Equal(t, webhook.FormID, got[0].Form)

	r := rc.requests()[0]
	// Signed over the ID: refused when the timestamp form is required,
	// accepted otherwise, whatever the clock says.
	_, err = (&webhook.Verifier{Secrets: []string{hookSecret}, RequireTimestamp: true}).Parse(r.body, r.header)
	assert.ErrorIs(t, err, webhook.ErrInvalidSignature)
	e, err := (&webhook.Verifier{Secrets: []string{hookSecret}, Now: func() time.Time { return time.Now().Add(24 * time.Hour) }}).Parse(r.body, r.header)
	require.NoError(t, err)
	assert.Equal(t, got[0].ID, e.ID)
}

func TestWebhookEndpointsEach(t *testing.T) {
	one, two := newReceiver(t), newReceiver(t)
	srv := newServer(t, vaulttest.WithWebhook(one.URL, hookSecret), vaulttest.WithWebhook(two.URL, "whsec_second_endpoint"))
	assert.Equal(t, []string{"wh_1", "wh_2"}, []string{srv.Webhooks()[0].ID, srv.Webhooks()[1].ID})
	sessions := make([]vaulttest.Session, 5)
	for i := range sessions {
		sessions[i] = srv.AddSession("dave", vaulttest.SessionSeed{})
	}
	waitDeliveries(t, srv, 10)
	for _, rc := range []*receiver{one, two} {
		reqs := rc.requests()
		require.Len(t, reqs, 5)
		for i, r := range reqs {
			var p struct {
				SessionID string `json:"session_id"`
			}
			require.NoError(t, json.Unmarshal(r.body, &p))
			assert.Equal(t, sessions[i].ID, p.SessionID, "each endpoint gets the events in order")
		}
	}
	_, err := webhook.Parse(two.requests()[0].body, two.requests()[0].header, "whsec_second_endpoint")
	assert.NoError(t, err, "each endpoint's own secret")
	ids := map[string]bool{}
	for _, d := range srv.WebhookDeliveries() {
		ids[d.ID] = true
	}
	assert.Len(t, ids, 10, "every delivery has an ID of its own")
}
