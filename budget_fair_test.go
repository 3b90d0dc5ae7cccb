package vault

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One Client acting for many users: user A's rate limit must not spend
// the retries that protect every user from an outage.

const (
	tokenA = "token-of-user-a-0001"
	tokenB = "token-of-user-b-0002"
)

// perUser answers a request with the handler of its bearer token.
func perUser(handlers map[string]http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		handlers[token](w, r)
	}
}

func TestRateLimitWithWaitSpendsNoBudget(t *testing.T) {
	const budget = 3
	client, ts := setup(t, func(c *Configuration) { c.RetryBudget = budget })
	var bCalls atomic.Int64
	ts.mux.HandleFunc("/users/me/sessions", perUser(map[string]http.HandlerFunc{
		tokenA: status(http.StatusTooManyRequests, "Retry-After", "0"),
		tokenB: func(w http.ResponseWriter, r *http.Request) {
			if bCalls.Add(1) == 1 {
				status(http.StatusServiceUnavailable)(w, r)
				return
			}
			writeJSON(w, http.StatusOK, "[]")
		},
	}))
	ctx := context.Background()

	// A burst of A's calls, each retried MaxRetries times on 429.
	for i := 0; i < 10; i++ {
		_, err := client.Sessions.ListSessions(ctx, WithAccessToken(tokenA))
		require.ErrorIs(t, err, ErrRateLimited)
		assert.NotErrorIs(t, err, ErrRetryBudgetExhausted)
	}
	assert.EqualValues(t, 10*(DefaultMaxRetries+1), ts.requests.Load(), "every 429 was retried")
	assert.Equal(t, budget, client.budget.available(), "A's rate limit spent nothing")

	// B meets one 503, and its retry finds the budget intact.
	sessions, err := client.Sessions.ListSessions(ctx, WithAccessToken(tokenB))
	require.NoError(t, err)
	assert.NotNil(t, sessions)
	assert.EqualValues(t, 2, bCalls.Load())
}

func TestBudgetStillBoundsOutagesAndWaitlessRateLimits(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
	}{
		{"503", status(http.StatusServiceUnavailable)},
		{"503 with Retry-After", status(http.StatusServiceUnavailable, "Retry-After", "0")},
		{"429 without a wait", status(http.StatusTooManyRequests)},
		{"connection reset", resetConnection},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const budget, calls = 3, 10
			client, ts := setup(t, func(c *Configuration) { c.RetryBudget = budget })
			ts.mux.HandleFunc("/users/me/sessions", tt.answer)
			exhausted := 0
			for i := 0; i < calls; i++ {
				_, err := client.Sessions.ListSessions(context.Background())
				require.Error(t, err)
				if errors.Is(err, ErrRetryBudgetExhausted) {
					exhausted++
					assert.Contains(t, err.Error(), "retry budget exhausted")
				}
			}
			assert.LessOrEqual(t, ts.requests.Load(), int64(calls+budget), "retries are bounded by the budget")
			assert.Equal(t, calls-1, exhausted, "after the first call spent the budget, every call stopped at once")
		})
	}
}

func TestRateLimitMixedWithOutage(t *testing.T) {
	// A's 429s with a wait and B's 503s on one Client: B's outage spends
	// the budget, A's rate limit does not, and A keeps all its retries
	// after B has spent the budget.
	const budget = 2
	client, ts := setup(t, func(c *Configuration) { c.RetryBudget = budget })
	ts.mux.HandleFunc("/users/me/sessions", perUser(map[string]http.HandlerFunc{
		tokenA: status(http.StatusTooManyRequests, "Retry-After", "0"),
		tokenB: status(http.StatusServiceUnavailable),
	}))
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		_, errA := client.Sessions.ListSessions(ctx, WithAccessToken(tokenA))
		assert.NotErrorIs(t, errA, ErrRetryBudgetExhausted)
		_, errB := client.Sessions.ListSessions(ctx, WithAccessToken(tokenB))
		require.ErrorIs(t, errB, ErrServer)
	}
	assert.Zero(t, client.budget.available(), "B's outage spent the budget")

	before := ts.requests.Load()
	_, err := client.Sessions.ListSessions(ctx, WithAccessToken(tokenA))
	require.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrRetryBudgetExhausted)
	assert.EqualValues(t, DefaultMaxRetries+1, ts.requests.Load()-before, "A still gets every retry")
}
