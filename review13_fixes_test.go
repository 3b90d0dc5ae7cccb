package vault

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

// Regression tests for what a reading of the hooks, log levels and
// RetryAfter found: each failed before its fix.

func TestRequestIDEchoingTheTokenIsRedacted(t *testing.T) {
	var logged syncbuf.Buffer
	var info CallInfo
	client, ts := setup(t, func(c *Configuration) {
		c.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.Hooks.End = func(_ context.Context, ci CallInfo) { info = ci }
	})
	ts.mux.HandleFunc("/users/me/sessions/s1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+testToken)
		status(http.StatusNotFound)(w, r)
	})
	_, err := client.Sessions.RevokeSession(context.Background(), "s1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "req-[REDACTED]", apiErr.RequestID)
	assert.Equal(t, "req-[REDACTED]", info.RequestID)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("the error", "err", apiErr)
	assert.NotContains(t, logged.String(), testToken)
	assert.NotContains(t, fmt.Sprintf("%+v", *apiErr), testToken)
}

func TestHookPanicInRevokeOtherSessionsReachesTheCaller(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.Start = func(ctx context.Context, op string) context.Context {
			if op == "revoke session" {
				panic("hook bug")
			}
			return ctx
		}
	})
	ts.mux.HandleFunc("/users/me/sessions", listOK)
	ts.mux.HandleFunc("/users/me/sessions/sess_2", ok)
	assert.PanicsWithValue(t, "hook bug", func() {
		_, _ = client.Sessions.RevokeOtherSessions(context.Background())
	}, "the panic is raised on the caller's goroutine, where it can be recovered")
}

// loopingError unwraps to itself.
type loopingError struct{}

func (e *loopingError) Error() string { return "loop" }
func (e *loopingError) Unwrap() error { return e }

func TestRetryAfterOnOddErrors(t *testing.T) {
	wait, ok := RetryAfter((*APIError)(nil))
	assert.False(t, ok)
	assert.Zero(t, wait)

	wait, ok = RetryAfter(&loopingError{})
	assert.False(t, ok, "an Unwrap chain that loops ends")
	assert.Zero(t, wait)
}

func TestCancelledInTheWaitKeepsTheLastAnswer(t *testing.T) {
	answered := make(chan struct{}, 1)
	client, ts := setup(t, func(c *Configuration) { c.RetryWaitMax = time.Minute })
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		status(http.StatusServiceUnavailable, "Retry-After", "30")(w, r)
		answered <- struct{}{}
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-answered; time.Sleep(10 * time.Millisecond); cancel() }()
	_, err := client.Sessions.ListSessions(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrServer, "the 503 that asked for the wait is still reachable")
	wait, ok := RetryAfter(err)
	assert.True(t, ok)
	assert.Equal(t, 30*time.Second, wait)
	assert.Contains(t, err.Error(), "vault: list sessions: context canceled while waiting to retry after: 503")
}

func TestCallWithAnEndedContextSendsNothing(t *testing.T) {
	var info CallInfo
	client, ts := setup(t, func(c *Configuration) {
		c.Hooks.End = func(_ context.Context, ci CallInfo) { info = ci }
	})
	ts.mux.HandleFunc("/users/me/sessions", listOK)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := client.Sessions.ListSessions(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.False(t, errors.Is(err, ErrOutcomeUnknown))
	assert.Zero(t, ts.requests.Load())
	assert.Zero(t, info.Attempts, "no request was sent")
}
