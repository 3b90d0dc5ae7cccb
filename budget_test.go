package vault

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryBudgetBoundsLoadDuringOutage(t *testing.T) {
	const (
		goroutines = 64
		callsEach  = 4
		budget     = 10
	)
	var down atomic.Bool
	down.Store(true)
	client, ts := setup(t, func(c *Configuration) { c.RetryBudget = budget })
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			status(http.StatusServiceUnavailable)(w, r)
			return
		}
		writeJSON(w, http.StatusOK, "[]")
	})

	var exhausted atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < callsEach; i++ {
				err := listCall(client)
				var apiErr *APIError
				if assert.ErrorAs(t, err, &apiErr) {
					assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
				}
				if errors.Is(err, ErrRetryBudgetExhausted) {
					exhausted.Add(1)
					assert.Contains(t, err.Error(), "retry budget exhausted")
					assert.Contains(t, err.Error(), "503")
				}
			}
		}()
	}
	wg.Wait()

	calls := int64(goroutines * callsEach)
	attempts := ts.requests.Load()
	t.Logf("%d calls made %d attempts", calls, attempts)
	assert.LessOrEqual(t, attempts, calls+budget, "retries are bounded by the budget, not by calls x (MaxRetries+1)")
	assert.Greater(t, exhausted.Load(), calls/2)
	assert.Zero(t, client.budget.available())

	// The API recovers: successes earn the budget back, and retries return.
	down.Store(false)
	for i := 0; i < retryCost; i++ {
		require.NoError(t, listCall(client))
	}
	assert.Equal(t, 1, client.budget.available())
	ts.mux = http.NewServeMux()
	ts.mux.HandleFunc("/users/me/sessions", sequence(status(http.StatusServiceUnavailable), func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, "[]")
	}))
	before := ts.requests.Load()
	require.NoError(t, listCall(client), "a retry is allowed again")
	assert.Equal(t, before+2, ts.requests.Load())
}

func TestRetryBudgetSwitchedOff(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.RetryBudget = -1 })
	ts.mux.HandleFunc("/", status(http.StatusServiceUnavailable))
	for i := 0; i < 40; i++ {
		err := listCall(client)
		require.ErrorIs(t, err, ErrServer)
		require.NotErrorIs(t, err, ErrRetryBudgetExhausted)
	}
	assert.EqualValues(t, 40*(DefaultMaxRetries+1), ts.requests.Load())
}

func TestRetryBudgetRefillIsCapped(t *testing.T) {
	b := newRetryBudget(2)
	for i := 0; i < 100; i++ {
		b.earn()
	}
	assert.Equal(t, 2, b.available())
	assert.True(t, b.spend())
	assert.True(t, b.spend())
	assert.False(t, b.spend())
	assert.Nil(t, newRetryBudget(-1))
	assert.Equal(t, DefaultRetryBudget, newRetryBudget(0).available())
	var unlimited *retryBudget
	assert.True(t, unlimited.spend())
}

func TestRetryBudgetErrorStillReachesContextAndAPIError(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.RetryBudget = 1 })
	ts.mux.HandleFunc("/", status(http.StatusBadGateway))
	_ = listCall(client) // spends the budget
	_, err := client.Sessions.ListSessions(context.Background())
	require.ErrorIs(t, err, ErrRetryBudgetExhausted)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.ErrorIs(t, err, ErrServer)
}

func TestRetryBudgetRefundsRetriesThatSucceed(t *testing.T) {
	// Every call fails once and succeeds on its retry: the API is up, and a
	// budget of a single retry must last for any number of such calls.
	client, ts := setup(t, func(c *Configuration) { c.RetryBudget = 1 })
	var n atomic.Int64
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 1 {
			status(http.StatusInternalServerError)(w, r)
			return
		}
		writeJSON(w, http.StatusOK, "[]")
	})
	for i := 0; i < 20; i++ {
		require.NoError(t, listCall(client), "call %d", i)
	}
	assert.EqualValues(t, 40, ts.requests.Load())
	assert.Equal(t, 1, client.budget.available())
}
