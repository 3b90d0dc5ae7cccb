package vault_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// TestTokenRefresherNeverResendsARefreshAfterAPanic checks that a panic
// raised after a refresh reached the server (here by Hooks.End of the
// refresh call, which runs once the answer arrived) does not leave the
// refresher holding the spent refresh token: the refresher recovers the
// panic, and the next Token must not send that token again, which the
// server takes for theft and answers by revoking the session.
func TestTokenRefresherNeverResendsARefreshAfterAPanic(t *testing.T) {
	srv := vaulttest.NewTestServer(t)
	session := srv.AddSession("svc", vaulttest.SessionSeed{})
	var panicked atomic.Bool
	auth, err := vault.NewClient(vault.Configuration{
		BaseURL: srv.URL,
		Hooks: vault.Hooks{End: func(ctx context.Context, info vault.CallInfo) {
			if info.Operation == "refresh token" && panicked.CompareAndSwap(false, true) {
				panic("metrics exporter failed")
			}
		}},
	})
	require.NoError(t, err)
	defer auth.CloseIdleConnections()
	refresher := vault.NewTokenRefresher(auth, session.RefreshToken, nil)

	_, err = refresher.Token(context.Background())
	require.Error(t, err, "the panic is turned into an error")
	require.True(t, panicked.Load())

	_, _ = refresher.Token(context.Background())

	refreshes := 0
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Path == vaulttest.BasePath+"/auth/refresh" {
			refreshes++
		}
	}
	assert.Equal(t, 1, refreshes, "the refresh token the server rotated was sent again")
	s, _ := srv.Session(session.ID)
	assert.False(t, s.Revoked, "a reuse of the spent refresh token revoked the session")
}
