package vault_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// failureLevels is a slog.Handler that keeps the level of each "call
// failed" record, by operation.
type failureLevels struct {
	mu     sync.Mutex
	levels map[string][]slog.Level
}

func (h *failureLevels) Enabled(context.Context, slog.Level) bool { return true }

func (h *failureLevels) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != "vault: call failed" {
		return nil
	}
	rec.Attrs(func(a slog.Attr) bool {
		if a.Key == "operation" {
			h.mu.Lock()
			h.levels[a.Value.String()] = append(h.levels[a.Value.String()], rec.Level)
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

func (h *failureLevels) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *failureLevels) WithGroup(string) slog.Handler      { return h }

// TestTokenRefresherSignedOutIsLoggedAtWarn checks the level of the
// record of a refresh the server refuses with 401 for a TokenRefresher:
// the refresh token is the service's own credential, and its refusal
// ends the refresher for good (the service must sign in again), which an
// operator must see, as the Configuration.Logger doc says of a 401 to
// the Client's own token. NewTokenRefresher allows its Client to be the
// one whose TokenSource is the refresher, and the level must not depend
// on that.
func TestTokenRefresherSignedOutIsLoggedAtWarn(t *testing.T) {
	for _, sameClient := range []bool{false, true} {
		name := "a Client of its own"
		if sameClient {
			name = "the Client whose TokenSource it is"
		}
		t.Run(name, func(t *testing.T) {
			srv := vaulttest.NewTestServer(t)
			session := srv.AddSession("svc", vaulttest.SessionSeed{})
			srv.RevokeSession(session.ID)
			levels := &failureLevels{levels: make(map[string][]slog.Level)}
			logger := slog.New(levels)

			var refresher *vault.TokenRefresher
			client, err := vault.NewClient(vault.Configuration{
				BaseURL:     srv.URL,
				TokenSource: func(ctx context.Context) (string, error) { return refresher.Token(ctx) },
				Logger:      logger,
			})
			require.NoError(t, err)
			defer client.CloseIdleConnections()
			auth := client
			if !sameClient {
				auth, err = vault.NewClient(vault.Configuration{BaseURL: srv.URL, Logger: logger})
				require.NoError(t, err)
				defer auth.CloseIdleConnections()
			}
			refresher = vault.NewTokenRefresher(auth, session.RefreshToken, nil)

			_, err = client.Sessions.ListSessions(context.Background())
			require.ErrorIs(t, err, vault.ErrUnauthorized)
			levels.mu.Lock()
			defer levels.mu.Unlock()
			assert.Equal(t, []slog.Level{slog.LevelWarn}, levels.levels["refresh token"],
				"the service's refresh token was refused: it is signed out for good")
		})
	}
}
