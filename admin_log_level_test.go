package vault

import (
	"context"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdminCallFailedLevel holds the admin operations to the levels of
// failureLevel: a 404 names a user or session that is not in the tenant,
// an answer a support tool meets in its normal course (debug); a 403 to
// the Client's own token says the service's credential is not an
// administrator's (warn), while to a token passed for one call it is
// that caller's (debug).
func TestAdminCallFailedLevel(t *testing.T) {
	tests := []struct {
		name   string
		status int
		opts   []RequestOption
		want   slog.Level
	}{
		{"404: the user or session is not in the tenant", http.StatusNotFound, nil, slog.LevelDebug},
		{"403 to the Client's token: not an administrator's", http.StatusForbidden, nil, slog.LevelWarn},
		{"403 to a token for one call", http.StatusForbidden, []RequestOption{WithAccessToken("user-token-0001")}, slog.LevelDebug},
		{"401 to the Client's token: its credential is broken", http.StatusUnauthorized, nil, slog.LevelWarn},
		{"401 to a token for one call", http.StatusUnauthorized, []RequestOption{WithAccessToken("user-token-0001")}, slog.LevelDebug},
		{"429", http.StatusTooManyRequests, nil, slog.LevelInfo},
		{"500", http.StatusInternalServerError, nil, slog.LevelWarn},
	}
	for _, op := range adminCalls {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				rec := newLevelRecorder()
				client, ts := setup(t, func(c *Configuration) {
					c.MaxRetries = -1
					c.Logger = slog.New(rec)
				})
				ts.mux.HandleFunc(op.path, status(tt.status))
				err := op.call(context.Background(), client, "usr_42", "ses_1", tt.opts...)
				require.Error(t, err)
				assert.Equal(t, []slog.Level{tt.want}, rec.of("vault: call failed"), "for %v", err)
				assert.Empty(t, rec.of("vault: earlier attempt took effect"))
			})
		}
	}
}

func TestAdminRefusedCallLeavesNoRecord(t *testing.T) {
	rec := newLevelRecorder()
	client, _ := setup(t, func(c *Configuration) { c.Logger = slog.New(rec) })
	_, err := client.AdminSessions.RevokeUserSession(context.Background(), "usr_42", "../x")
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Empty(t, rec.of("vault: call failed"))
	assert.Empty(t, rec.of("vault: attempt"))
}
