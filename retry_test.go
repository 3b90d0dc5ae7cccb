package vault

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetriedStatuses(t *testing.T) {
	tests := []struct {
		status    int
		retried   bool
		sentinel  error
		operation func(*Client) error
	}{
		{http.StatusTooManyRequests, true, ErrRateLimited, listCall},
		{http.StatusInternalServerError, true, ErrServer, logoutCall},
		{http.StatusBadGateway, true, ErrServer, revokeCall},
		{http.StatusServiceUnavailable, true, ErrServer, listCall},
		{http.StatusGatewayTimeout, true, ErrServer, revokeCall},
		{http.StatusNotImplemented, false, ErrServer, listCall},
		{http.StatusBadRequest, false, nil, listCall},
		{http.StatusUnauthorized, false, ErrUnauthorized, logoutCall},
		{http.StatusForbidden, false, ErrForbidden, listCall},
		{http.StatusNotFound, false, ErrNotFound, revokeCall},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/", status(tt.status))
			err := tt.operation(client)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			wantAttempts := 1
			if tt.retried {
				wantAttempts = DefaultMaxRetries + 1
			}
			assert.EqualValues(t, wantAttempts, ts.requests.Load(), "attempts the server saw")
			assert.Equal(t, wantAttempts, apiErr.Attempts)
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
			assert.NotContains(t, err.Error(), "giving up", "the caller gets the last response's error")
		})
	}
}

func TestRetryThenSuccess(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", sequence(status(503), status(502), func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sessionsJSON)
	}))
	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Len(t, sessions, 2)
	assert.EqualValues(t, 3, ts.requests.Load())
}

func TestMaxRetries(t *testing.T) {
	for _, tt := range []struct {
		maxRetries int
		attempts   int64
	}{{-1, 1}, {0, DefaultMaxRetries + 1}, {1, 2}, {5, 6}} {
		t.Run(strconv.Itoa(tt.maxRetries), func(t *testing.T) {
			client, ts := setup(t, func(c *Configuration) { c.MaxRetries = tt.maxRetries })
			ts.mux.HandleFunc("/", status(http.StatusServiceUnavailable))
			err := listCall(client)
			require.ErrorIs(t, err, ErrServer)
			assert.Equal(t, tt.attempts, ts.requests.Load())
		})
	}
}

func TestNetworkErrorsAreRetried(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions/s1", sequence(resetConnection, resetConnection, ok))
	msg, err := client.Sessions.RevokeSession(context.Background(), "s1")
	require.NoError(t, err)
	assert.Equal(t, "done", msg.Message)
	assert.EqualValues(t, 3, ts.requests.Load())
}

func TestNetworkErrorAfterLastAttempt(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.MaxRetries = 2 })
	ts.mux.HandleFunc("/", resetConnection)
	err := listCall(client)
	require.Error(t, err)
	var apiErr *APIError
	assert.False(t, errors.As(err, &apiErr))
	assert.Contains(t, err.Error(), "vault: list sessions: ")
	assert.EqualValues(t, 3, ts.requests.Load())
}

func TestConnectionLostMidBodyIsRetried(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("/users/me/sessions", sequence(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(sessionsJSON)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(sessionsJSON[:40]))
		http.NewResponseController(w).Flush()
		resetConnection(w, r)
	}, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, sessionsJSON)
	}))
	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Len(t, sessions, 2)
	assert.EqualValues(t, 2, ts.requests.Load())
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel() // each case waits a second or two
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"429 seconds", status(429, "Retry-After", "1")},
		{"503 seconds", status(503, "Retry-After", "1")},
		{"429 http date", func(w http.ResponseWriter, r *http.Request) {
			status(429, "Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))(w, r)
		}},
		{"429 rate-limit reset", func(w http.ResponseWriter, r *http.Request) {
			status(429, "X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(2*time.Second).Unix(), 10))(w, r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, ts := setup(t, func(c *Configuration) { c.RetryWaitMax = 30 * time.Second })
			ts.mux.HandleFunc("/", sequence(tt.handler, ok))
			start := time.Now()
			require.NoError(t, revokeCall(client))
			elapsed := time.Since(start)
			assert.EqualValues(t, 2, ts.requests.Load())
			// Whole seconds on the wire: the wait is at least the part of a
			// second left, far more than the 1ms backoff, and far less than
			// RetryWaitMax.
			assert.GreaterOrEqual(t, elapsed, 900*time.Millisecond)
			assert.Less(t, elapsed, 10*time.Second)
		})
	}
}

func TestRetryAfterLongerThanRetryWaitMaxReturnsAtOnce(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.RetryWaitMax = 30 * time.Second })
	ts.mux.HandleFunc("/", status(429, "Retry-After", "120"))
	start := time.Now()
	err := listCall(client)
	elapsed := time.Since(start)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 2*time.Minute, apiErr.RetryAfter)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.EqualValues(t, 1, ts.requests.Load())
	assert.Less(t, elapsed, 10*time.Second, "neither the two minutes asked nor RetryWaitMax")
	assert.Contains(t, err.Error(), "retry after 2m0s")
}

func TestWaitPastDeadlineReturnsAtOnce(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) {
		c.RetryWaitMin = 40 * time.Second
		c.RetryWaitMax = time.Minute
	})
	ts.mux.HandleFunc("/", status(http.StatusServiceUnavailable))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err := client.Sessions.ListSessions(ctx)
	elapsed := time.Since(start)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.StatusCode)
	assert.EqualValues(t, 1, ts.requests.Load())
	// Sleeping towards the deadline would take the whole ten seconds.
	assert.Less(t, elapsed, 5*time.Second)
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) {
		c.RetryWaitMin = time.Minute
		c.RetryWaitMax = time.Minute
	})
	ts.mux.HandleFunc("/", status(http.StatusServiceUnavailable))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ts.requests.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	_, err := client.Sessions.ListSessions(ctx)
	elapsed := time.Since(start)
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "vault: list sessions: ")
	assert.Less(t, elapsed, 10*time.Second, "far less than the minute of backoff")
	assert.EqualValues(t, 1, ts.requests.Load())
}

func TestBackoff(t *testing.T) {
	min, max := 100*time.Millisecond, time.Second
	for n, step := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 70: time.Second} {
		for i := 0; i < 50; i++ {
			d := backoff(min, max, n)
			assert.GreaterOrEqual(t, d, step/2, "retry %d", n)
			assert.LessOrEqual(t, d, step, "retry %d", n)
		}
	}
	assert.Zero(t, backoff(0, 0, 1))
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"0", 0, true},
		{" 30 ", 30 * time.Second, true},
		{"Fri, 27 Nov 2026 12:01:00 GMT", time.Minute, true},
		{"Friday, 27-Nov-26 12:00:10 GMT", 10 * time.Second, true},
		{"Fri, 27 Nov 2026 11:00:00 GMT", 0, true},
		{"99999999999999999999", 0, false},
		{"9223372036854775807", secondsToDuration(maxSeconds), true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		assert.Equal(t, tt.wantOK, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}
