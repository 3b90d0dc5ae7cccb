package vault

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHooksStartKeepsACancellationThatCameBeforeTheCall(t *testing.T) {
	// The caller's context is cancelled before the call; Hooks.Start
	// returns a context not derived from it, as a tracer that starts a
	// span from context.Background() does. Without hooks, or with a
	// derived context, such a call ends before anything is sent, with the
	// context's error. The caller's cancellation must reach the call's
	// context before the first attempt, not some time after it.
	var sent atomic.Int64
	transport := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       io.NopCloser(strings.NewReader(`{"message":"Session revoked"}`)),
			Request:    r,
		}, nil
	})
	client, err := NewClient(Configuration{
		BaseURL:     "https://api.example.test/api/v1",
		AccessToken: testToken,
		HTTPClient:  &http.Client{Transport: transport},
		Hooks: Hooks{Start: func(context.Context, string) context.Context {
			return context.WithValue(context.Background(), startedKey{}, true)
		}},
	})
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range 100 {
		_, err := client.Sessions.RevokeSession(ctx, "sess_2")
		require.ErrorIs(t, err, context.Canceled, "call %d", i)
		require.NotErrorIs(t, err, ErrOutcomeUnknown, "call %d: nothing was sent", i)
	}
	assert.Zero(t, sent.Load(), "revocations sent for a caller that had already cancelled")
}
