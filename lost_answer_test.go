package vault

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResentRequestIsAmbiguous(t *testing.T) {
	// net/http resends a written DELETE that carries Idempotency-Key when
	// its reused connection fails: the SDK sees one attempt ending in 404,
	// but the first copy revoked the session.
	client, ts := setup(t)
	var revoked atomic.Bool
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, sessionsJSON) })
	ts.mux.HandleFunc("DELETE /users/me/sessions/sess_2", func(w http.ResponseWriter, r *http.Request) {
		if revoked.CompareAndSwap(false, true) {
			resetConnection(w, r)
			return
		}
		status(http.StatusNotFound)(w, r)
	})
	_, err := client.Sessions.ListSessions(context.Background()) // a kept-alive connection to reuse
	require.NoError(t, err)

	msg, err := client.Sessions.RevokeSession(context.Background(), "sess_2", WithHeader("Idempotency-Key", "k1"))
	require.NoError(t, err)
	assert.Equal(t, MessageEarlierAttemptApplied, msg.Message)
}

func TestLateWriteReportStaysWithItsAttempt(t *testing.T) {
	// HTTP/2 may report a request written after RoundTrip returned on the
	// context. The report must not make another call's attempt, which
	// never left, look ambiguous.
	var n atomic.Int64
	fired := make(chan struct{})
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		switch n.Add(1) {
		case 1: // call A: its context ends, the write is reported later
			trace := httptrace.ContextClientTrace(r.Context())
			<-r.Context().Done()
			go func() {
				time.Sleep(20 * time.Millisecond)
				trace.WroteRequest(httptrace.WroteRequestInfo{})
				close(fired)
			}()
			return nil, r.Context().Err()
		case 2: // call B: the dial fails, nothing is written
			<-fired
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		default: // call B's retry: the session never existed
			return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{"Content-Type": {"application/json"}}, Body: http.NoBody, Request: r}, nil
		}
	})
	client, err := NewClient(Configuration{
		BaseURL: "https://vault.example/api/v1", AccessToken: testToken,
		HTTPClient:   &http.Client{Transport: rt},
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond,
	})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, errA := client.Sessions.RevokeSession(ctx, "sess_a")
	require.ErrorIs(t, errA, context.DeadlineExceeded)

	_, errB := client.Sessions.RevokeSession(context.Background(), "sess_never_existed")
	require.ErrorIs(t, errB, ErrNotFound)
	assert.NotErrorIs(t, errB, ErrOutcomeUnknown)
}

func TestConnectedButUnreportedWriteIsAmbiguous(t *testing.T) {
	// A connection was had and no write was reported, failed or not (as
	// HTTP/2 may leave it when the context ends): the request may have
	// arrived.
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		httptrace.ContextClientTrace(r.Context()).GotConn(httptrace.GotConnInfo{})
		return nil, errors.New("stream reset")
	})
	client, err := NewClient(Configuration{
		BaseURL: "https://vault.example/api/v1", AccessToken: testToken,
		HTTPClient: &http.Client{Transport: rt}, MaxRetries: -1,
	})
	require.NoError(t, err)
	_, err = client.Sessions.LogoutAllSessions(context.Background())
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
}

func TestUndecodable2xxToAChangeIsOutcomeUnknown(t *testing.T) {
	// The API answered success, in a body that does not decode: the
	// change is likely made, and the error must not read as a plain
	// failure. A list has no change to report.
	tests := []struct {
		name, contentType, body string
		unknown                 bool
	}{
		{"null message", "application/json", `{"message":null}`, true},
		{"cut but complete JSON framing", "application/json", `{"message":"Sess`, true},
		{"HTML page", "text/html", `<html>login</html>`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("DELETE /users/me/sessions/sess_2", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := client.Sessions.RevokeSession(context.Background(), "sess_2")
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, tt.unknown, errors.Is(err, ErrOutcomeUnknown))
		})
	}
}

func (h *signalOn) Enabled(context.Context, slog.Level) bool { return true }
func (h *signalOn) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *signalOn) WithGroup(string) slog.Handler            { return h }
func (h *signalOn) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		select {
		case h.ch <- struct{}{}:
		default:
		}
	}
	return nil
}

func TestContextEndingAsALostAnswerArrivesIsOutcomeUnknown(t *testing.T) {
	// The request is written, the connection drops, and the caller's
	// context ends before the retry could start: the call ends as if in
	// the wait, with the context's error and an unknown outcome.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var sent atomic.Int64
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		if trace := httptrace.ContextClientTrace(r.Context()); trace != nil && trace.WroteRequest != nil {
			trace.WroteRequest(httptrace.WroteRequestInfo{})
		}
		cancel()
		return nil, errors.New("read: connection reset by peer")
	})
	client, err := NewClient(Configuration{BaseURL: "https://vault.example/api/v1", AccessToken: testToken, HTTPClient: &http.Client{Transport: rt}})
	require.NoError(t, err)
	_, err = client.Sessions.LogoutAllSessions(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.EqualValues(t, 1, sent.Load())
}
