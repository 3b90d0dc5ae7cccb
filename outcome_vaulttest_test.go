package vault_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The lost-answer faults of vaulttest make the change, then lose its
// answer; these tests drive the SDK's outcome rules through them.

func TestLostAnswerFaultsThroughVaulttest(t *testing.T) {
	tests := []struct {
		name   string
		fault  vaulttest.Fault
		call   func(ctx context.Context, f *fixture) (*vault.MessageResponse, error)
		status int // what the retry answered
	}{
		{
			name:  "revoke, change made, connection dropped",
			fault: vaulttest.Fault{Route: vaulttest.RouteRevokeSession, SessionID: targetSessionID, Action: vaulttest.ApplyThenReset},
			call: func(ctx context.Context, f *fixture) (*vault.MessageResponse, error) {
				return f.client.Sessions.RevokeSession(ctx, targetSessionID)
			},
			status: http.StatusNotFound,
		},
		{
			name:  "revoke, change made, body cut",
			fault: vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Action: vaulttest.ApplyThenCutBody},
			call: func(ctx context.Context, f *fixture) (*vault.MessageResponse, error) {
				return f.client.Sessions.RevokeSession(ctx, targetSessionID)
			},
			status: http.StatusNotFound,
		},
		{
			name:  "logout all, change made, connection dropped",
			fault: vaulttest.Fault{Route: vaulttest.RouteLogoutAllSessions, Action: vaulttest.ApplyThenReset},
			call: func(ctx context.Context, f *fixture) (*vault.MessageResponse, error) {
				return f.client.Sessions.LogoutAllSessions(ctx)
			},
			status: http.StatusUnauthorized,
		},
		{
			name:  "logout all, change made, 504 body cut",
			fault: vaulttest.Fault{Route: vaulttest.RouteLogoutAllSessions, Action: vaulttest.ApplyThenCutBody, Status: http.StatusGatewayTimeout},
			call: func(ctx context.Context, f *fixture) (*vault.MessageResponse, error) {
				return f.client.Sessions.LogoutAllSessions(ctx)
			},
			status: http.StatusUnauthorized,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.srv.Faults().Add(tt.fault)
			msg, err := tt.call(context.Background(), f)
			require.NoError(t, err)
			assert.Equal(t, vault.MessageEarlierAttemptApplied, msg.Message)

			reqs := f.srv.Requests()
			require.Len(t, reqs, 2)
			assert.True(t, reqs[0].Fault)
			assert.Equal(t, tt.status, reqs[1].Status)
			target, _ := f.srv.Session(targetSessionID)
			assert.True(t, target.Revoked, "the change is in place")
		})
	}
}

// TestRevokeOwnSessionWithLostAnswer is the case the outcome soak found:
// revoking the caller's own current session, whose answer is lost, makes
// the retry's token invalid. The 401 cannot tell that from an expired
// token, so the call fails, but says that its outcome is unknown.
func TestRevokeOwnSessionWithLostAnswer(t *testing.T) {
	f := newFixture(t)
	own := f.srv.Sessions("alice")[0]
	require.Equal(t, secretToken, own.Token)
	f.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, SessionID: own.ID, Action: vaulttest.ApplyThenReset})

	_, err := f.client.Sessions.RevokeSession(context.Background(), own.ID)
	require.ErrorIs(t, err, vault.ErrOutcomeUnknown)
	assert.ErrorIs(t, err, vault.ErrUnauthorized)
	got, _ := f.srv.Session(own.ID)
	assert.True(t, got.Revoked)
}
