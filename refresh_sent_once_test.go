package vault

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

// TestRefreshIsNeverSentTwice checks that a refresh whose request may
// have reached the server is not sent again, whatever came back: the
// server rotates the refresh token as it reads it, and takes a second
// copy for a stolen token.
func TestRefreshIsNeverSentTwice(t *testing.T) {
	emptyStatus := func(code int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
	}
	cutBody := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(refreshAnswer)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(refreshAnswer[:40]))
		http.NewResponseController(w).Flush()
		resetConnection(w, r)
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		config  func(*Configuration)
		unknown bool // the error matches ErrOutcomeUnknown
	}{
		{name: "connection cut once the request was written", handler: resetConnection, unknown: true},
		{name: "body cut", handler: cutBody, unknown: true},
		{name: "503", handler: status(http.StatusServiceUnavailable, "Retry-After", "0"), unknown: true},
		{name: "500 with an empty body", handler: emptyStatus(http.StatusInternalServerError), unknown: true},
		{name: "502", handler: emptyStatus(http.StatusBadGateway), unknown: true},
		{name: "504", handler: emptyStatus(http.StatusGatewayTimeout), unknown: true},
		{name: "200 without the tokens", handler: func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, `{"accessToken":"","refreshToken":"","user":null}`)
		}, unknown: true},
		{name: "204", handler: emptyStatus(http.StatusNoContent), unknown: true},
		{name: "attempt timed out", handler: func(w http.ResponseWriter, r *http.Request) {
			// Read the body first: only then does net/http's server
			// notice that the client went away.
			_, _ = io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
		}, config: func(c *Configuration) { c.AttemptTimeout = 200 * time.Millisecond }, unknown: true},
		{name: "429", handler: status(http.StatusTooManyRequests, "Retry-After", "0")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logs := new(syncbuf.Buffer)
			client, ts := setup(t, func(c *Configuration) {
				c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				if tt.config != nil {
					tt.config(c)
				}
			})
			ts.mux.HandleFunc("/auth/refresh", tt.handler)

			resp, err := client.Auth.RefreshToken(context.Background(), testRefreshToken)
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.Equal(t, int64(1), ts.requests.Load(), "refreshes the server received")
			assert.Equal(t, tt.unknown, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown: %v", err)
			if tt.unknown {
				assert.Contains(t, err.Error(), "vault: refresh token: outcome unknown, the refresh token may have been rotated: ")
			}
			assert.NotContains(t, logs.String(), "vault: retrying")
			for _, secret := range []string{testRefreshToken, "rt-5ecret-refresh-0002", "at-5ecret-access-0002"} {
				assert.NotContains(t, err.Error(), secret)
				assert.NotContains(t, logs.String(), secret)
			}
		})
	}
}

// TestRefreshNeverSentIsRetried checks that a refresh whose connection
// was refused, which never reached the server, is sent again.
func TestRefreshNeverSentIsRetried(t *testing.T) {
	var dials atomic.Int32
	dialer := new(net.Dialer)
	transport := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
		}
		return dialer.DialContext(ctx, network, addr)
	}}
	t.Cleanup(transport.CloseIdleConnections)
	client, ts := setup(t, func(c *Configuration) { c.HTTPClient = &http.Client{Transport: transport} })
	ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, refreshAnswer)
	})

	var attempts int
	client.hooks.End = func(_ context.Context, info CallInfo) { attempts = info.Attempts }
	resp, err := client.Auth.RefreshToken(context.Background(), testRefreshToken)
	require.NoError(t, err)
	assert.Equal(t, "rt-5ecret-refresh-0002", resp.RefreshToken)
	assert.Equal(t, 2, attempts, "the refused attempt, then the one that arrived")
	assert.Equal(t, int64(1), ts.requests.Load())
}

// TestRefreshCutByTheCallerIsUnknown checks that a refresh cancelled by
// its caller after the request was sent is not sent again, and says the
// refresh token may be spent.
func TestRefreshCutByTheCallerIsUnknown(t *testing.T) {
	client, ts := setup(t)
	arrived := make(chan struct{})
	ts.mux.HandleFunc("/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		close(arrived)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := client.Auth.RefreshToken(ctx, testRefreshToken)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.True(t, strings.Contains(err.Error(), "the refresh token may have been rotated"), err.Error())
	assert.Equal(t, int64(1), ts.requests.Load())
}
