package vault

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLastResponseIsReportedWhenTheContextEndsInTheWait(t *testing.T) {
	// A 503 asks for a wait of a few seconds; the context ends during it.
	// The response that arrived is the call's last, whatever ended the
	// call: WithHTTPResponse and CallInfo both report it.
	var info CallInfo
	client, ts := setup(t, func(c *Configuration) {
		c.RetryWaitMax = time.Minute
		c.Hooks.End = func(_ context.Context, call CallInfo) { info = call }
	})
	var served atomic.Bool
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		served.Store(true)
		status(http.StatusServiceUnavailable, "Retry-After", "30", "X-Request-Id", "req-503")(w, r)
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for !served.Load() {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // into the wait
		cancel()
	}()
	var resp *http.Response
	_, err := client.Sessions.ListSessions(ctx, WithHTTPResponse(&resp))
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, ErrServer)
	require.NotNil(t, resp, "a response arrived")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, http.StatusServiceUnavailable, info.StatusCode)
	assert.Equal(t, "req-503", info.RequestID)
	assert.Equal(t, 1, info.Attempts)
}

func TestLastResponseIsTheLastThatArrived(t *testing.T) {
	// A 503, then a connection reset: the 503 is the last response.
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", sequence(status(http.StatusServiceUnavailable), resetConnection))
	var resp *http.Response
	_, err := client.Sessions.ListSessions(context.Background(), WithHTTPResponse(&resp))
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}

func TestNoResponseLeavesNil(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.MaxRetries = -1 })
	ts.mux.HandleFunc("GET /users/me/sessions", resetConnection)
	resp := &http.Response{}
	_, err := client.Sessions.ListSessions(context.Background(), WithHTTPResponse(&resp))
	require.Error(t, err)
	assert.Nil(t, resp)
}
