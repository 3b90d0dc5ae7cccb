package vault

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testAttemptTimeout bounds the attempts of these tests. A stalled
// attempt waits for it to pass; a local answer takes a millisecond or
// so, which leaves a loaded machine ample room.
const testAttemptTimeout = time.Second

// stall answers nothing until the client gives up on the request.
func stall(w http.ResponseWriter, r *http.Request) {
	<-r.Context().Done()
}

// stallMidBody sends the headers and the start of the body, then waits
// until the client gives up on the request.
func stallMidBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(sessionsJSON)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(sessionsJSON[:40]))
	_ = http.NewResponseController(w).Flush()
	<-r.Context().Done()
}

func listOK(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, sessionsJSON) }

func TestAttemptTimeout(t *testing.T) {
	t.Parallel() // the stalled attempts wait out their timeout
	tests := []struct {
		name     string
		handlers []http.HandlerFunc
		attempts int64
	}{
		{"fast attempt is unaffected", []http.HandlerFunc{listOK}, 1},
		{"attempt stalled before the headers is retried", []http.HandlerFunc{stall, listOK}, 2},
		{"attempt stalled in the body is retried", []http.HandlerFunc{stallMidBody, listOK}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			client, ts := setup(t, func(c *Configuration) { c.AttemptTimeout = testAttemptTimeout })
			ts.mux.HandleFunc("/users/me/sessions", sequence(tt.handlers...))
			sessions, err := client.Sessions.ListSessions(context.Background())
			require.NoError(t, err)
			assert.Len(t, sessions, 2)
			assert.Equal(t, tt.attempts, ts.requests.Load())
		})
	}
}

func TestAttemptTimeoutOnEveryAttempt(t *testing.T) {
	t.Parallel() // waits out two attempt timeouts
	client, ts := setup(t, func(c *Configuration) {
		c.AttemptTimeout = testAttemptTimeout
		c.MaxRetries = 1
	})
	ts.mux.HandleFunc("/users/me/sessions", stall)
	_, err := client.Sessions.ListSessions(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "a timed-out attempt wraps the deadline")
	assert.Contains(t, err.Error(), "vault: list sessions: ")
	assert.EqualValues(t, 2, ts.requests.Load())
}

func TestAttemptTimeoutSetting(t *testing.T) {
	tests := []struct {
		name    string
		client  *http.Client
		attempt time.Duration
		want    time.Duration
	}{
		{"default has none", nil, 0, 0},
		{"AttemptTimeout alone", nil, 5 * time.Second, 5 * time.Second},
		{"HTTPClient.Timeout alone", &http.Client{Timeout: 7 * time.Second}, 0, 7 * time.Second},
		{"AttemptTimeout wins", &http.Client{Timeout: 7 * time.Second}, 5 * time.Second, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, err := NewClient(Configuration{HTTPClient: tt.client, AttemptTimeout: tt.attempt})
			require.NoError(t, err)
			assert.Equal(t, tt.want, client.httpClient.Timeout)
		})
	}
}

func TestAttemptTimeoutMustNotBeNegative(t *testing.T) {
	_, err := NewClient(Configuration{AttemptTimeout: -time.Second})
	var cfgErr *ConfigError
	require.ErrorAs(t, err, &cfgErr)
	assert.Equal(t, "AttemptTimeout", cfgErr.Field)
}

func TestHTTPClientWithoutTransportKeepsThePool(t *testing.T) {
	client, err := NewClient(Configuration{HTTPClient: &http.Client{Timeout: 5 * time.Second}})
	require.NoError(t, err)
	assert.NotSame(t, http.DefaultTransport, client.transport)
	transport, ok := client.transport.(*http.Transport)
	require.True(t, ok, "got %T", client.transport)
	assert.Equal(t, newPooledTransport().MaxIdleConnsPerHost, transport.MaxIdleConnsPerHost)
}
