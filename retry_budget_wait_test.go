package vault

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCancelledWaitGivesBackTheBudget(t *testing.T) {
	// The retry is paid for as the wait starts; the context ends in the
	// wait, so no retry is sent and none may stay paid for.
	retrying := &signalOn{msg: "vault: retrying", ch: make(chan struct{}, 1)}
	client, ts := setup(t, func(c *Configuration) {
		c.RetryWaitMin, c.RetryWaitMax = time.Minute, time.Minute
		c.Logger = slog.New(retrying)
	})
	ts.mux.HandleFunc("GET /users/me/sessions", status(http.StatusServiceUnavailable))
	before := client.budget.available()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-retrying.ch; cancel() }()
	_, err := client.Sessions.ListSessions(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualValues(t, 1, ts.requests.Load())
	assert.Equal(t, before, client.budget.available(), "no retry was sent, none is paid for")
}

// signalOn is a slog.Handler that signals ch on each record whose
// message is msg.
type signalOn struct {
	msg string
	ch  chan struct{}
}

func TestRetryBudgetTooLargeIsRefused(t *testing.T) {
	_, err := NewClient(Configuration{AccessToken: testToken, RetryBudget: math.MaxInt})
	var cfgErr *ConfigError
	require.ErrorAs(t, err, &cfgErr)
	assert.Equal(t, "RetryBudget", cfgErr.Field)

	_, err = NewClient(Configuration{AccessToken: testToken, RetryBudget: maxRetryBudget})
	assert.NoError(t, err, "the largest budget is accepted")
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
