package vault

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

// The outcome tests check what a call reports when the network loses an
// answer: a change that happened is never reported as failed, and a
// status that arrived is never lost with its body.

// cutBody answers with status and a Content-Length of declared bytes,
// sends only the first sent bytes of body, and closes the connection.
func cutBody(status int, contentType, body string, declared, sent int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		var head strings.Builder
		head.WriteString("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n")
		if contentType != "" {
			head.WriteString("Content-Type: " + contentType + "\r\n")
		}
		head.WriteString("Content-Length: " + strconv.Itoa(declared) + "\r\n\r\n")
		_, _ = brw.WriteString(head.String())
		_, _ = brw.WriteString(body[:min(sent, len(body))])
		_ = brw.Flush()
	}
}

// messageCall runs one of the two operations that change state.
type messageCall struct {
	name string
	path string
	call func(ctx context.Context, c *Client, opts ...RequestOption) (*MessageResponse, error)
	// done is the status that confirms an earlier attempt's change.
	done int
}

var messageCalls = []messageCall{
	{
		name: "revoke", path: "DELETE /users/me/sessions/sess_2", done: http.StatusNotFound,
		call: func(ctx context.Context, c *Client, opts ...RequestOption) (*MessageResponse, error) {
			return c.Sessions.RevokeSession(ctx, "sess_2", opts...)
		},
	},
	{
		name: "logout all", path: "DELETE /users/me/sessions", done: http.StatusUnauthorized,
		call: func(ctx context.Context, c *Client, opts ...RequestOption) (*MessageResponse, error) {
			return c.Sessions.LogoutAllSessions(ctx, opts...)
		},
	},
}

func TestLostAnswerThenDoneStatusIsSuccess(t *testing.T) {
	const okBody = `{"message":"Session revoked, all is well"}` // 40 bytes
	tests := []struct {
		name  string
		first http.HandlerFunc
		// applied reports whether the call must succeed with
		// MessageEarlierAttemptApplied; otherwise it must fail with the
		// done status.
		applied bool
	}{
		{"reset after the request was written", resetConnection, true},
		{"200 body cut mid-way", cutBody(http.StatusOK, "application/json", okBody, 40, 16), true},
		{"200 body cut, no Content-Type", cutBody(http.StatusOK, "", okBody, 40, 16), true},
		{"502 from a gateway", status(http.StatusBadGateway), true},
		{"504 from a gateway", status(http.StatusGatewayTimeout), true},
		{"500 is the API's own answer", status(http.StatusInternalServerError), false},
		{"503 is the API's own answer", status(http.StatusServiceUnavailable), false},
		{"no earlier attempt", nil, false},
	}
	for _, mc := range messageCalls {
		for _, tt := range tests {
			t.Run(mc.name+"/"+tt.name, func(t *testing.T) {
				var logged syncbuf.Buffer
				client, ts := setup(t, func(c *Configuration) {
					c.Logger = slog.New(slog.NewTextHandler(&logged, nil))
				})
				steps := []http.HandlerFunc{status(mc.done)}
				if tt.first != nil {
					steps = append([]http.HandlerFunc{tt.first}, steps...)
				}
				ts.mux.HandleFunc(mc.path, sequence(steps...))

				var resp *http.Response
				msg, err := mc.call(context.Background(), client, WithHTTPResponse(&resp))
				assert.EqualValues(t, len(steps), ts.requests.Load(), "attempts")
				require.NotNil(t, resp, "the real last response is captured")
				assert.Equal(t, mc.done, resp.StatusCode)
				if !tt.applied {
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, mc.done, apiErr.StatusCode)
					assert.Nil(t, msg)
					assert.NotContains(t, logged.String(), "earlier attempt took effect")
					return
				}
				require.NoError(t, err)
				assert.Equal(t, MessageEarlierAttemptApplied, msg.Message)
				assert.Contains(t, logged.String(), `msg="vault: earlier attempt took effect" operation=`)
				assert.Contains(t, logged.String(), "status="+strconv.Itoa(mc.done))
			})
		}
	}
}

func TestProxyPageIsNotTheAPIsAnswer(t *testing.T) {
	// A 200 with a proxy's HTML page, whole or cut, is not the API's
	// answer: a *DecodeError at once, never taken for a change made.
	for _, mc := range messageCalls {
		for name, h := range map[string]http.HandlerFunc{
			"whole": func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				_, _ = io.WriteString(w, "<html><body>Sign in</body></html>")
			},
			"cut": cutBody(http.StatusOK, "text/html", "<html><body>Bad gateway</body></html>", 100, 10),
		} {
			t.Run(mc.name+"/"+name, func(t *testing.T) {
				client, ts := setup(t)
				ts.mux.HandleFunc(mc.path, sequence(h, status(mc.done)))
				_, err := mc.call(context.Background(), client)
				var decErr *DecodeError
				require.ErrorAs(t, err, &decErr)
				assert.Equal(t, "text/html", decErr.ContentType)
				assert.EqualValues(t, 1, ts.requests.Load(), "attempts")
			})
		}
	}
}

func TestLostAnswerThenSuccessKeepsTheAPIsMessage(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("DELETE /users/me/sessions/sess_2", sequence(resetConnection, ok))
	msg, err := client.Sessions.RevokeSession(context.Background(), "sess_2")
	require.NoError(t, err)
	assert.Equal(t, "done", msg.Message)
	assert.EqualValues(t, 2, ts.requests.Load())
}

func TestListIsNeverTakenForAChange(t *testing.T) {
	// A list changes nothing: a lost answer followed by a 401 is a 401.
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", sequence(resetConnection, status(http.StatusUnauthorized)))
	_, err := client.Sessions.ListSessions(context.Background())
	require.ErrorIs(t, err, ErrUnauthorized)
}

func TestLostErrorBodyKeepsItsStatus(t *testing.T) {
	const envelope = `{"error":{"code":"NOT_FOUND","message":"Session not found, or not yours"}}`
	tests := []struct {
		status   int
		sentinel error
		attempts int64
	}{
		{http.StatusBadRequest, nil, 1},
		{http.StatusUnauthorized, ErrUnauthorized, 1},
		{http.StatusForbidden, ErrForbidden, 1},
		{http.StatusNotFound, ErrNotFound, 1},
		// A retryable status keeps its retries, and still ends as its
		// status.
		{http.StatusServiceUnavailable, ErrServer, 4},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			client, ts := setup(t, func(c *Configuration) { c.MaxRetries = 3 })
			ts.mux.HandleFunc("GET /users/me/sessions", cutBody(tt.status, "application/json", envelope, 100, 10))
			_, err := client.Sessions.ListSessions(context.Background())
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.EqualValues(t, tt.attempts, ts.requests.Load(), "attempts")
			if tt.sentinel != nil {
				assert.ErrorIs(t, err, tt.sentinel)
			}
		})
	}
}

// cancelOnClose is a response body that ends its call's context when it
// is closed, as a handler's request context ends when the handler
// returns.
type cancelOnClose struct {
	io.Reader
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error { b.cancel(); return nil }

func TestResponseReadInFullSurvivesTheContext(t *testing.T) {
	tests := []struct {
		name string
		body string
		call func(ctx context.Context, c *Client) error
	}{
		{"list", sessionsJSON, func(ctx context.Context, c *Client) error {
			sessions, err := c.Sessions.ListSessions(ctx)
			if err == nil && len(sessions) != 2 {
				return errors.New("wrong list")
			}
			return err
		}},
		{"revoke", `{"message":"Session revoked"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Sessions.RevokeSession(ctx, "sess_2")
			return err
		}},
		{"logout all", `{"message":"All sessions revoked"}`, func(ctx context.Context, c *Client) error {
			_, err := c.Sessions.LogoutAllSessions(ctx)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var sent atomic.Int64
			rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sent.Add(1)
				return &http.Response{
					StatusCode: http.StatusOK,
					Header:     http.Header{"Content-Type": {"application/json"}},
					Body:       cancelOnClose{Reader: bytes.NewReader([]byte(tt.body)), cancel: cancel},
					Request:    r,
				}, nil
			})
			client, err := NewClient(Configuration{
				BaseURL: "https://vault.example/api/v1", AccessToken: testToken,
				HTTPClient: &http.Client{Transport: rt},
			})
			require.NoError(t, err)
			require.NoError(t, tt.call(ctx, client), "the answer was read in full before the context ended")
			assert.Error(t, ctx.Err(), "the context ended while the body was closed")
			assert.EqualValues(t, 1, sent.Load())
		})
	}
}

func TestShortTokenDoesNotRewriteTheMessage(t *testing.T) {
	tests := []struct {
		token, body, want string
	}{
		{"tok", `{"error":{"code":"UNAUTHORIZED","message":"Invalid or expired token"}}`, "401 UNAUTHORIZED: Invalid or expired token"},
		{"B", `{"error":{"code":"UNAVAILABLE","message":"Try later"}}`, "401 UNAVAILABLE: Try later"},
		{testToken, `{"error":{"code":"UNAUTHORIZED","message":"Token ` + testToken + ` is invalid"}}`, "401 UNAUTHORIZED: Token [REDACTED] is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusUnauthorized, tt.body)
			})
			_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(tt.token))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestLostAnswerThenOtherErrorIsOutcomeUnknown(t *testing.T) {
	tests := []struct {
		name    string
		steps   []http.HandlerFunc
		want    error // besides ErrOutcomeUnknown
		unknown bool
	}{
		{"reset, then 401 to a revoke", []http.HandlerFunc{resetConnection, status(http.StatusUnauthorized)}, ErrUnauthorized, true},
		{"reset, then 503 to the last attempt", []http.HandlerFunc{resetConnection, status(http.StatusServiceUnavailable)}, ErrServer, true},
		{"reset, then 403", []http.HandlerFunc{resetConnection, status(http.StatusForbidden)}, ErrForbidden, true},
		{"503 only: nothing was applied", []http.HandlerFunc{status(http.StatusServiceUnavailable)}, ErrServer, false},
		{"401 only", []http.HandlerFunc{status(http.StatusUnauthorized)}, ErrUnauthorized, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("DELETE /users/me/sessions/sess_2", sequence(tt.steps...))
			_, err := client.Sessions.RevokeSession(context.Background(), "sess_2")
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, tt.unknown, errors.Is(err, ErrOutcomeUnknown), "ErrOutcomeUnknown")
			var apiErr *APIError
			assert.ErrorAs(t, err, &apiErr, "the last answer is still reachable")
			if tt.unknown {
				assert.Contains(t, err.Error(), "vault: revoke session: outcome unknown, the change may have been made: ")
			}
		})
	}

	t.Run("list never has an unknown outcome", func(t *testing.T) {
		client, ts := setup(t)
		ts.mux.HandleFunc("GET /users/me/sessions", sequence(resetConnection, status(http.StatusServiceUnavailable)))
		_, err := client.Sessions.ListSessions(context.Background())
		require.ErrorIs(t, err, ErrServer)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	})

	t.Run("cancelled in the wait after a lost answer", func(t *testing.T) {
		reset := make(chan struct{}, 4)
		client, ts := setup(t, func(c *Configuration) {
			c.RetryWaitMin, c.RetryWaitMax = time.Minute, time.Minute
		})
		ts.mux.HandleFunc("DELETE /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
			resetConnection(w, r)
			reset <- struct{}{}
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { <-reset; cancel() }()
		_, err := client.Sessions.LogoutAllSessions(ctx)
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, ErrOutcomeUnknown)
	})
}
