package verify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/verify"
	"github.com/vault-dev/vault-go/webhook"
)

// A service guarded by Middleware receives session.revoked deliveries,
// signed as the server signs them, through webhook.NewHandler into its
// Revocations: the revoked session's next request is refused.
func TestWebhookDeliveryRevokesAtTheNextRequest(t *testing.T) {
	const secret = "whsec_test"
	srv := vaulttest.NewServer(vaulttest.WithSignedTokens())
	defer srv.Close()
	sessions := srv.SeedDemo(vaulttest.Demo{})

	revs, err := verify.NewRevocationsWithConfig(verify.RevocationsConfig{Now: srv.Now}) // the verifier's clock
	require.NoError(t, err)
	v, err := verify.New(verify.Config{JWKSURL: srv.JWKSURL(), Revocations: revs, Now: srv.Now})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("GET /me", v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	mux.Handle("POST /webhooks/vault", webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
		if e.Type != webhook.TypeSessionRevoked {
			return nil
		}
		r, err := e.SessionRevoked()
		if err != nil {
			return err
		}
		return revs.ApplyContext(ctx, r)
	}, secret))
	service := httptest.NewServer(mux)
	defer service.Close()

	get := func(token string) int {
		req, err := http.NewRequest(http.MethodGet, service.URL+"/me", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := service.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	deliver := func(id string, data webhook.SessionRevoked) {
		body, err := json.Marshal(data)
		require.NoError(t, err)
		e := &webhook.Event{ID: id, Type: webhook.TypeSessionRevoked, Timestamp: time.Now(), Data: body}
		header, err := webhook.Sign(e, webhook.FormTimestamp, secret)
		require.NoError(t, err)
		req, err := http.NewRequest(http.MethodPost, service.URL+"/webhooks/vault", bytes.NewReader(body))
		require.NoError(t, err)
		req.Header = header
		resp, err := service.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		require.Less(t, resp.StatusCode, 300)
	}

	for _, s := range sessions {
		require.Equal(t, http.StatusOK, get(s.Token))
	}
	// The server revokes the phone's session and says so.
	revoked, _ := srv.RevokeSession(sessions[1].ID)
	deliver("wh_1", webhook.SessionRevoked{UserID: revoked.UserID, SessionID: revoked.ID, Reason: "user_revoked", Scope: webhook.ScopeSession, RevokedAt: revoked.RevokedAt})
	assert.Equal(t, http.StatusUnauthorized, get(sessions[1].Token))
	assert.Equal(t, http.StatusOK, get(sessions[0].Token))

	// A logout-all that kept the first session, with no way to ask which:
	// every session of the user, the kept one's token included.
	deliver("wh_2", webhook.SessionRevoked{UserID: sessions[0].UserID, Reason: "user_revoked_all", Scope: webhook.ScopeAllExceptCurrent, RevokedAt: srv.Now()})
	for _, s := range sessions {
		assert.Equal(t, http.StatusUnauthorized, get(s.Token))
	}
	// The kept session's client refreshes: its new token is accepted.
	srv.Advance(time.Second)
	fresh, ok := srv.IssueToken(sessions[0].ID)
	require.True(t, ok)
	assert.Equal(t, http.StatusOK, get(fresh))
}
