package vault

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdminNoContentToARevocationIsSuccess holds the admin revocations to
// what a 204 No Content means for RevokeSession and LogoutAllSessions
// (TestNoContentToAChangeIsSuccess): the change is made, and the call
// succeeds with an empty Message. A server or gateway that answers a
// DELETE with 204 must not turn every run of a sign-out job, however
// often it is repeated, into a *DecodeError.
func TestAdminNoContentToARevocationIsSuccess(t *testing.T) {
	tests := []struct {
		name string
		path string
		call func(*Client) (*MessageResponse, error)
	}{
		{"RevokeUserSession", "DELETE /admin/users/usr_42/sessions/ses_1", func(c *Client) (*MessageResponse, error) {
			return c.AdminSessions.RevokeUserSession(context.Background(), "usr_42", "ses_1")
		}},
		{"RevokeAllUserSessions", "DELETE /admin/users/usr_42/sessions", func(c *Client) (*MessageResponse, error) {
			return c.AdminSessions.RevokeAllUserSessions(context.Background(), "usr_42")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc(tt.path, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
			msg, err := tt.call(client)
			require.NoError(t, err, "a 204 to a revocation is its success, as for RevokeSession")
			require.NotNil(t, msg)
			assert.Empty(t, msg.Message, "a 204 has no message")
			assert.EqualValues(t, 1, ts.requests.Load())
		})
	}
}
