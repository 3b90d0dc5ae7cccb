package vault

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestArgumentErrorNamesTheRefusedID checks that a refused ID comes back
// as an *ArgumentError that says which argument it was, so that a caller
// passing a user ID and a session ID can tell them apart, while the
// message and ErrInvalidArgument stay as they were.
func TestArgumentErrorNamesTheRefusedID(t *testing.T) {
	tests := []struct {
		name         string
		call         func(c *Client) error
		arg, value   string
		reason, want string
	}{
		{
			name: "a blank user ID",
			call: func(c *Client) error {
				_, err := c.AdminSessions.RevokeUserSession(context.Background(), " ", "ses_1")
				return err
			},
			arg: "user ID", value: " ", reason: "is empty",
			want: "vault: revoke user session: invalid argument: user ID is empty",
		},
		{
			name: "a user ID of two dots, with a bad session ID too",
			call: func(c *Client) error {
				_, err := c.AdminSessions.RevokeUserSession(context.Background(), "..", "a/b")
				return err
			},
			arg: "user ID", value: "..", reason: "is a path segment of its own",
			want: `vault: revoke user session: invalid argument: user ID ".." is a path segment of its own`,
		},
		{
			name: "a session ID with a slash",
			call: func(c *Client) error {
				_, err := c.AdminSessions.GetUserSession(context.Background(), "usr_42", "a/b")
				return err
			},
			arg: "session ID", value: "a/b", reason: "contains a path separator",
			want: `vault: get user session: invalid argument: session ID "a/b" contains a path separator`,
		},
		{
			name: "a user's own session ID with a control character",
			call: func(c *Client) error {
				_, err := c.Sessions.RevokeSession(context.Background(), "a\nb")
				return err
			},
			arg: "session ID", value: "a\nb", reason: "contains a control character",
			want: `vault: revoke session: invalid argument: session ID "a\nb" contains a control character`,
		},
		{
			name: "a user ID of a list",
			call: func(c *Client) error {
				_, err := c.AdminSessions.ListUserSessions(context.Background(), `a\b`)
				return err
			},
			arg: "user ID", value: `a\b`, reason: "contains a path separator",
			want: `vault: list user sessions: invalid argument: user ID "a\\b" contains a path separator`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			err := tt.call(client)
			require.ErrorIs(t, err, ErrInvalidArgument)
			var ae *ArgumentError
			require.True(t, errors.As(err, &ae), "%v", err)
			assert.Equal(t, tt.arg, ae.Argument)
			assert.Equal(t, tt.value, ae.Value)
			assert.Equal(t, tt.reason, ae.Reason)
			assert.Equal(t, tt.want, err.Error())
			assert.Zero(t, ts.requests.Load(), "nothing is sent")
		})
	}
}
