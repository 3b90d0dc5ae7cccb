package vault

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHooksLetGoOfTheCallsContextWhenEndPanics(t *testing.T) {
	// Start returns a context not derived from the caller's, so the SDK
	// ties the caller's cancellation to it (an AfterFunc on the caller's
	// context, a child of Start's). A panic in End, recovered by the
	// caller, must not leave that tie in place for the life of a
	// long-lived context: the call's context is let go of as the call
	// ends, whether the call was sent or refused before sending.
	tests := []struct {
		name string
		call func(context.Context, *Client) error
	}{
		{"sent", func(ctx context.Context, c *Client) error {
			_, err := c.Sessions.RevokeSession(ctx, "sess_2")
			return err
		}},
		{"refused before sending", func(ctx context.Context, c *Client) error {
			_, err := c.Sessions.RevokeSession(ctx, "")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ended context.Context
			client, ts := setup(t, func(c *Configuration) {
				c.Hooks.Start = func(context.Context, string) context.Context {
					return context.WithValue(context.Background(), startedKey{}, true)
				}
				c.Hooks.End = func(ctx context.Context, _ CallInfo) {
					ended = ctx
					panic("hook bug")
				}
			})
			ts.mux.HandleFunc("DELETE /users/me/sessions/sess_2", ok)

			longLived, cancel := context.WithCancel(context.Background())
			defer cancel()
			assert.PanicsWithValue(t, "hook bug", func() { _ = tt.call(longLived, client) })
			require.NotNil(t, ended)
			assert.Error(t, ended.Err(), "the call's context is still tied to the caller's after the call returned")
		})
	}
}
