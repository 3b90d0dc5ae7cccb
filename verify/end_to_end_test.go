package verify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/verify"
	"github.com/vault-dev/vault-go/webhook"
)

// The whole loop, with nothing built by hand: vaulttest signs its tokens
// as the server does and sends its own session.revoked webhooks to a
// service guarded by Middleware. A user signs another device out through
// the API; that device's next request to the service is refused.
func TestRevokeThroughTheAPIIsRefusedByTheService(t *testing.T) {
	const secret = "whsec_end_to_end"
	var srv *vaulttest.Server
	revs, err := verify.NewRevocationsWithConfig(verify.RevocationsConfig{Now: func() time.Time { return srv.Now() }})
	require.NoError(t, err)

	mux := http.NewServeMux()
	service := httptest.NewServer(mux)
	defer service.Close()
	srv = vaulttest.NewServer(vaulttest.WithSignedTokens(), vaulttest.WithWebhook(service.URL+"/webhooks/vault", secret))
	defer srv.Close()

	v, err := verify.New(verify.Config{JWKSURL: srv.JWKSURL(), Revocations: revs, Now: srv.Now})
	require.NoError(t, err)
	mux.Handle("GET /me", v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, ok := verify.ClaimsFromContext(r.Context())
		if !ok {
			http.Error(w, "no claims", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(claims.SessionID))
	})))
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

	sessions := srv.SeedDemo(vaulttest.Demo{})
	require.GreaterOrEqual(t, len(sessions), 2)
	laptop, phone := sessions[0], sessions[1]
	get := func(token string) int {
		req, err := http.NewRequest(http.MethodGet, service.URL+"/me", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := service.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, http.StatusOK, get(laptop.Token))
	require.Equal(t, http.StatusOK, get(phone.Token))

	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AllowInsecureHTTP: true})
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	_, err = client.Sessions.RevokeSession(context.Background(), phone.ID, vault.WithAccessToken(laptop.Token))
	require.NoError(t, err)
	revokedAt := time.Now()

	// The webhook is delivered asynchronously: the phone is refused as
	// soon as it arrives, well within a second on an idle machine; the
	// bound here leaves a loaded one its headroom.
	deadline := time.Now().Add(10 * time.Second)
	for get(phone.Token) != http.StatusUnauthorized && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.Equal(t, http.StatusUnauthorized, get(phone.Token), "the revoked session's token is refused")
	t.Logf("refused %s after the revoke", time.Since(revokedAt).Round(time.Millisecond))
	assert.Equal(t, http.StatusOK, get(laptop.Token), "the session that asked is not")
}
