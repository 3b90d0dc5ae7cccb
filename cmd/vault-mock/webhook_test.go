package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/webhook"
)

const e2eSecret = "whsec_mock_e2e_5c4b3a29"

// backend is a service's webhook receiver, built as the guide builds one,
// with webhook.NewHandler behind a real HTTP server.
type backend struct {
	url     string
	mu      sync.Mutex
	handled []*webhook.Event // each event once
}

func newBackend(t *testing.T, secrets ...string) *backend {
	t.Helper()
	b := &backend{}
	srv := httptest.NewServer(webhook.NewHandler(func(_ context.Context, e *webhook.Event) error {
		b.mu.Lock()
		defer b.mu.Unlock()
		b.handled = append(b.handled, e)
		return nil
	}, secrets...))
	t.Cleanup(srv.Close)
	b.url = srv.URL + "/webhooks/vault"
	return b
}

func (b *backend) events() []*webhook.Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*webhook.Event(nil), b.handled...)
}

// deliveries waits through the control API for count deliveries and
// returns them.
func deliveries(t *testing.T, m *mock, count int) []struct {
	ID, Type, State string
	Attempts        []struct{ Status int }
} {
	t.Helper()
	status, body := send(t, http.MethodGet, m.controlURL+"/deliveries?count="+strconv.Itoa(count)+"&wait=30s", "", "")
	require.Equal(t, http.StatusOK, status, body)
	var out []struct {
		ID, Type, State string
		Attempts        []struct{ Status int }
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	return out
}

// TestWebhooksEndToEnd runs vault-mock's webhooks into webhook.NewHandler
// through real HTTP: the seed's sign-ins, a revoke through the API and
// through the control API, a logout-all, a session added through the
// control API, an administrator's revoke-all, an event delivered twice,
// and a reset.
func TestWebhooksEndToEnd(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		scope   webhook.Scope
	}{
		{"spec", webhook.ScopeAll},
		{"server", webhook.ScopeAllExceptCurrent},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			b := newBackend(t, e2eSecret)
			other := newBackend(t, "whsec_mock_other_endpoint")
			m := startMock(t, "-sessions", "3", "-dialect", tc.dialect,
				"-webhook-url", b.url, "-webhook-secret", e2eSecret,
				"-webhook-url", other.url, "-webhook-secret", "whsec_mock_other_endpoint")
			// The seed: the demo's three sessions and the administrator's.
			got := deliveries(t, m, 8)
			require.Len(t, b.events(), 4)
			require.Len(t, other.events(), 4, "each endpoint with its own secret")
			for _, d := range got {
				assert.Equal(t, "delivered", d.State)
				assert.Equal(t, webhook.TypeSessionCreated, d.Type)
			}
			created, err := b.events()[0].SessionCreated()
			require.NoError(t, err)
			assert.Equal(t, "usr_demo", created.UserID)
			require.NotNil(t, created.UserAgent)

			// The demo's token is its newest session, the third created.
			status, sessionsBody := send(t, http.MethodGet, m.controlURL+"/users/usr_demo/sessions", "", "")
			require.Equal(t, http.StatusOK, status)
			var sessions []struct{ ID, Token string }
			require.NoError(t, json.Unmarshal([]byte(sessionsBody), &sessions))
			require.Len(t, sessions, 3)
			client, err := vault.NewClient(vault.Configuration{BaseURL: m.baseURL, AccessToken: m.token})
			require.NoError(t, err)
			t.Cleanup(client.CloseIdleConnections)
			ctx := context.Background()

			// A revoke through the API, one through the control API, twice,
			// a logout-all, and the admin routes' revoke-all.
			_, err = client.Sessions.RevokeSession(ctx, sessions[0].ID)
			require.NoError(t, err)
			status, _ = send(t, http.MethodPost, m.controlURL+"/deliveries/twice", "", `{"events":1}`)
			require.Equal(t, http.StatusOK, status)
			status, _ = send(t, http.MethodPost, m.controlURL+"/sessions/"+sessions[1].ID+"/revoke", "", "")
			require.Equal(t, http.StatusOK, status)
			_, err = client.Sessions.LogoutAllSessions(ctx)
			require.NoError(t, err)
			status, _ = send(t, http.MethodPost, m.controlURL+"/users/zoe/sessions", "", `{"id":"ses_zoe"}`)
			require.Equal(t, http.StatusCreated, status)
			status, _ = send(t, http.MethodDelete, m.baseURL+"/admin/users/usr_demo/sessions", m.adminToken, "")
			require.Equal(t, http.StatusOK, status)

			got = deliveries(t, m, 18)
			require.Len(t, got, 18)
			assert.Len(t, got[10].Attempts, 2, "the control API's revoke went twice to the first endpoint")
			events := b.events()
			require.Len(t, events, 9, "the copy was answered without being handled again")
			var revoked []webhook.SessionRevoked
			for _, e := range append(events[4:7:7], events[8]) {
				r, err := e.SessionRevoked()
				require.NoError(t, err)
				revoked = append(revoked, webhook.SessionRevoked{SessionID: r.SessionID, Scope: r.Scope, Reason: r.Reason})
			}
			assert.Equal(t, []webhook.SessionRevoked{
				{SessionID: sessions[0].ID, Scope: webhook.ScopeSession, Reason: "user_revoked"},
				{SessionID: sessions[1].ID, Scope: webhook.ScopeSession, Reason: "user_revoked"},
				{Scope: tc.scope, Reason: "user_revoked_all"},
				{Scope: webhook.ScopeAll, Reason: "admin_revoked_all"},
			}, revoked)
			zoe, err := events[7].SessionCreated()
			require.NoError(t, err)
			assert.Equal(t, "ses_zoe", zoe.SessionID)

			// A reset sends the seed's sign-ins again, with new delivery IDs.
			status, _ = send(t, http.MethodPost, m.controlURL+"/reset", "", "")
			require.Equal(t, http.StatusNoContent, status)
			deliveries(t, m, 8)
			assert.Len(t, b.events(), 13)

			// A forged delivery is refused by the backend, before its handler.
			forged, err := webhook.Sign(&webhook.Event{ID: "forged", Type: webhook.TypeSessionRevoked, Timestamp: b.events()[0].Timestamp, Data: []byte(`{}`)}, webhook.FormTimestamp, "whsec_guess")
			require.NoError(t, err)
			req, err := http.NewRequest(http.MethodPost, b.url, bytes.NewReader([]byte(`{}`)))
			require.NoError(t, err)
			req.Header = forged
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Len(t, b.events(), 13)

			assert.Equal(t, 0, m.stop(t))
			assert.NotContains(t, m.stderr.String(), e2eSecret, "the log holds no secret")
			assert.Contains(t, m.stderr.String(), "msg=webhook")
		})
	}
}
