package vault

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIErrorFromEnvelope(t *testing.T) {
	client, ts := setup(t)
	reset := time.Now().Add(time.Hour).Unix()
	ts.mux.HandleFunc("/users/me/sessions/missing", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-123")
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Remaining", "99")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
		writeJSON(w, http.StatusNotFound, `{"error":{"code":"NOT_FOUND","message":"Resource not found","details":{"resource":"session"}}}`)
	})
	_, err := client.Sessions.RevokeSession(context.Background(), "missing")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "vault: revoke session: 404 NOT_FOUND: Resource not found", err.Error())
	assert.Equal(t, "revoke session", apiErr.Operation)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "NOT_FOUND", apiErr.Code)
	assert.Equal(t, "Resource not found", apiErr.Message)
	assert.Equal(t, map[string]any{"resource": "session"}, apiErr.Details)
	assert.Equal(t, "req-123", apiErr.RequestID)
	assert.Equal(t, RateLimit{Limit: 100, Remaining: 99, Reset: time.Unix(reset, 0)}, apiErr.RateLimit)
	assert.Equal(t, 1, apiErr.Attempts)
	assert.Zero(t, apiErr.RetryAfter)
	assert.Empty(t, apiErr.Body)
	assert.True(t, errors.Is(err, ErrNotFound))
	assert.False(t, errors.Is(err, ErrUnauthorized))
}

func TestAPIErrorFromNonJSONBody(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.MaxRetries = -1 })
	page := "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>" + strings.Repeat("nginx ", 100) + "</body></html>"
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(page))
	})
	_, err := client.Sessions.ListSessions(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Empty(t, apiErr.Code)
	assert.True(t, strings.HasPrefix(apiErr.Body, "<html> <head><title>502 Bad Gateway</title></head>"), apiErr.Body)
	assert.LessOrEqual(t, len(apiErr.Body), excerptLen+len("…"))
	assert.NotContains(t, apiErr.Body, "\n")
	assert.True(t, strings.HasPrefix(err.Error(), "vault: list sessions: 502: <html>"), err.Error())
	assert.ErrorIs(t, err, ErrServer)
}

func TestAPIErrorWithoutEnvelopeKeepsItsStatus(t *testing.T) {
	// The Vault server answers some errors with no body (401 from its
	// authentication layer) or with plain text (500).
	bodies := []struct {
		name, contentType, body, wantBody string
	}{
		{"empty", "", "", ""},
		{"plain text", "text/plain; charset=utf-8", "Internal Server Error\n", "Internal Server Error"},
		{"plain text on lines", "text/plain", "upstream failed:\r\n  timeout\n", "upstream failed: timeout"},
	}
	statuses := []struct {
		status   int
		sentinel error
	}{
		{http.StatusBadRequest, nil},
		{http.StatusUnauthorized, ErrUnauthorized},
		{http.StatusForbidden, ErrForbidden},
		{http.StatusInternalServerError, ErrServer},
	}
	for _, st := range statuses {
		for _, b := range bodies {
			t.Run(strconv.Itoa(st.status)+" "+b.name, func(t *testing.T) {
				client, ts := setup(t, func(c *Configuration) { c.MaxRetries = -1 })
				ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
					if b.contentType != "" {
						w.Header().Set("Content-Type", b.contentType)
					}
					w.WriteHeader(st.status)
					_, _ = w.Write([]byte(b.body))
				})
				for _, call := range []func() error{
					func() error { _, err := client.Sessions.ListSessions(context.Background()); return err },
					func() error { _, err := client.Sessions.LogoutAllSessions(context.Background()); return err },
				} {
					err := call()
					var apiErr *APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, st.status, apiErr.StatusCode)
					assert.Empty(t, apiErr.Code)
					assert.Empty(t, apiErr.Message)
					assert.Equal(t, b.wantBody, apiErr.Body)
					want := b.wantBody
					if want == "" {
						want = http.StatusText(st.status)
					}
					assert.True(t, strings.HasSuffix(err.Error(), ": "+strconv.Itoa(st.status)+": "+want), err.Error())
					if st.sentinel != nil {
						assert.ErrorIs(t, err, st.sentinel)
					}
					var decodeErr *DecodeError
					assert.False(t, errors.As(err, &decodeErr), "an error status is never a decoding failure")
				}
			})
		}
	}
}

func TestAPIErrorSentinels(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{http.StatusUnauthorized, ErrUnauthorized},
		{http.StatusForbidden, ErrForbidden},
		{http.StatusNotFound, ErrNotFound},
		{http.StatusTooManyRequests, ErrRateLimited},
		{http.StatusInternalServerError, ErrServer},
		{http.StatusNotImplemented, ErrServer},
		{http.StatusTemporaryRedirect, ErrRedirect},
		{http.StatusBadRequest, nil},
	}
	all := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer, ErrRedirect}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			err := error(&APIError{StatusCode: tt.status})
			for _, sentinel := range all {
				assert.Equal(t, sentinel == tt.want, errors.Is(err, sentinel), "errors.Is(%d, %v)", tt.status, sentinel)
			}
		})
	}
}

func TestAPIErrorMessageFallbacks(t *testing.T) {
	tests := []struct {
		err  APIError
		want string
	}{
		{APIError{Operation: "list sessions", StatusCode: 401, Code: "UNAUTHORIZED", Message: "Authentication required"},
			"vault: list sessions: 401 UNAUTHORIZED: Authentication required"},
		{APIError{Operation: "list sessions", StatusCode: 503}, "vault: list sessions: 503: Service Unavailable"},
		{APIError{Operation: "list sessions", StatusCode: 429, Code: "RATE_LIMITED", Message: "slow down", RetryAfter: time.Minute},
			"vault: list sessions: 429 RATE_LIMITED: slow down (retry after 1m0s)"},
		{APIError{StatusCode: 502, Body: "<html>"}, "vault: 502: <html>"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		op     func(*Client) error
		status int
		body   string
	}{
		{"list html", listCall, 200, "<html><body>maintenance</body></html>"},
		{"list truncated", listCall, 200, `[{"id":"s1","current":tr`},
		{"list null", listCall, 200, "null"},
		{"list object without sessions", listCall, 200, `{"items":[]}`},
		{"list object with null sessions", listCall, 200, `{"sessions":null,"currentSessions":0,"maxSessions":5}`},
		{"list object with sessions not an array", listCall, 200, `{"sessions":{}}`},
		{"list object with sessions twice", listCall, 200, `{"sessions":[],"sessions":[]}`},
		{"list object with a limit not a number", listCall, 200, `{"sessions":[],"maxSessions":"5"}`},
		{"list object truncated", listCall, 200, `{"sessions":[],"maxSe`},
		{"list empty object", listCall, 200, `{}`},
		{"list wrong field type", listCall, 200, `[{"id":"s1","current":"yes"}]`},
		{"list null element", listCall, 200, `[null]`},
		{"list element without id", listCall, 200, `[{"current":true}]`},
		{"list trailing data", listCall, 200, `[] []`},
		{"list empty body", listCall, 200, ``},
		{"logout null", logoutCall, 200, "null"},
		{"logout array", logoutCall, 200, "[]"},
		{"logout no message", logoutCall, 200, "{}"},
		{"revoke html", revokeCall, 200, "<!doctype html>"},
		{"revoke message not a string", revokeCall, 200, `{"message":42}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tt.status, tt.body)
			})
			err := tt.op(client)
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.Equal(t, tt.status, decErr.StatusCode)
			assert.Contains(t, err.Error(), decErr.Operation)
			assert.Contains(t, err.Error(), strconv.Itoa(tt.status))
			assert.EqualValues(t, 1, ts.requests.Load(), "a malformed body is not retried")
		})
	}
}

func listCall(c *Client) error {
	sessions, err := c.Sessions.ListSessions(context.Background())
	if err == nil && sessions == nil {
		return errors.New("nil list with nil error")
	}
	return err
}

func logoutCall(c *Client) error {
	msg, err := c.Sessions.LogoutAllSessions(context.Background())
	if err == nil && msg == nil {
		return errors.New("nil message with nil error")
	}
	return err
}

func revokeCall(c *Client) error {
	msg, err := c.Sessions.RevokeSession(context.Background(), "s1")
	if err == nil && msg == nil {
		return errors.New("nil message with nil error")
	}
	return err
}

func TestResponseTooLarge(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.MaxResponseBytes = 1024 })
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, "["+strings.Repeat(" ", 4096)+"]")
	})
	_, err := client.Sessions.ListSessions(context.Background())
	require.ErrorIs(t, err, ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "vault: list sessions: ")
	assert.Contains(t, err.Error(), "1024")
}

func TestRaisedMaxResponseBytesAllowsLargeLists(t *testing.T) {
	client, ts := setup(t, func(c *Configuration) { c.MaxResponseBytes = 64 << 20 })
	element := `{"id":"s","mfaVerified":false,"createdAt":"2026-11-01T09:00:00Z","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-11-02T09:00:00Z","current":false}`
	const n = 100_000
	ts.mux.HandleFunc("/users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, "["+strings.Repeat(element+",", n-1)+element+"]")
	})
	sessions, err := client.Sessions.ListSessions(context.Background())
	require.NoError(t, err)
	assert.Len(t, sessions, n)
}
