package vault

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHTTPResponseBeforeSending checks what WithHTTPResponse leaves in
// *dst when a call fails before anything is sent: nil once the option has
// been applied, the caller's value when the call was refused before.
func TestHTTPResponseBeforeSending(t *testing.T) {
	stale := &http.Response{StatusCode: http.StatusTeapot}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	failingSource := func(context.Context) (string, error) { return "", errors.New("vault unreachable") }

	tests := []struct {
		name      string
		source    func(context.Context) (string, error) // Configuration.TokenSource
		call      func(*Client, *(*http.Response)) error
		wantStale bool // *dst is left as it was
	}{
		{"a TokenSource error", failingSource, func(c *Client, dst **http.Response) error {
			_, err := c.Sessions.ListSessions(context.Background(), WithHTTPResponse(dst))
			return err
		}, false},
		{"a context already done", nil, func(c *Client, dst **http.Response) error {
			_, err := c.Sessions.LogoutAllSessions(cancelled, WithHTTPResponse(dst))
			return err
		}, false},
		{"an option after it refused", nil, func(c *Client, dst **http.Response) error {
			_, err := c.Sessions.ListSessions(context.Background(), WithHTTPResponse(dst), WithHeader("Authorization", "x"))
			return err
		}, false},
		{"an option before it refused", nil, func(c *Client, dst **http.Response) error {
			_, err := c.Sessions.ListSessions(context.Background(), WithHeader("Authorization", "x"), WithHTTPResponse(dst))
			return err
		}, true},
		{"an invalid session ID", nil, func(c *Client, dst **http.Response) error {
			_, err := c.Sessions.RevokeSession(context.Background(), "../all", WithHTTPResponse(dst))
			return err
		}, true},
		{"a nil context", nil, func(c *Client, dst **http.Response) error {
			var nilCtx context.Context
			_, err := c.Sessions.ListSessions(nilCtx, WithHTTPResponse(dst))
			return err
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t, func(c *Configuration) { c.TokenSource = tt.source })
			resp := stale
			require.Error(t, tt.call(client, &resp))
			assert.Zero(t, ts.requests.Load(), "nothing was sent")
			if tt.wantStale {
				assert.Same(t, stale, resp)
			} else {
				assert.Nil(t, resp)
			}
		})
	}
}
