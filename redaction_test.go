package vault

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

func TestEscapedTokenIsRedacted(t *testing.T) {
	// The server escapes the token in JSON (\/ as PHP does, \u003c as
	// encoding/json does): the raw bytes do not hold it, the parsed
	// message does.
	const token = "abc/def+ghi<jkl"
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, `{"error":{"code":"UNAUTHORIZED","message":"token abc\/def+ghi\u003cjkl is invalid","details":{"token":"abc\/def+ghi\u003cjkl"}}}`)
	})
	_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "token [REDACTED] is invalid", apiErr.Message)
	assert.Equal(t, "[REDACTED]", apiErr.Details["token"])
	assert.NotContains(t, fmt.Sprintf("%v %+v", err, *apiErr), token)
}

func TestPercentEncodedTokenInLocationIsRedacted(t *testing.T) {
	const token = "abc/def+ghi<jkl"
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://elsewhere.example/login?t=abc%2Fdef%2Bghi%3Cjkl")
		w.WriteHeader(http.StatusFound)
	})
	_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
	require.ErrorIs(t, err, ErrRedirect)
	assert.NotContains(t, err.Error(), token)
	assert.Contains(t, err.Error(), "[REDACTED]")
}

func TestCutErrorBodyHidesTheTokensStart(t *testing.T) {
	body := `{"error":{"code":"UNAUTHORIZED","message":"token ` + testToken + ` is invalid"}}`
	cut := strings.Index(body, testToken) + len(testToken) - 3
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", cutBody(http.StatusUnauthorized, "application/json", body, len(body), cut))
	_, err := client.Sessions.ListSessions(context.Background())
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), testToken[:8])
}

func TestErrorBodyCutAtTheLimitHidesTheTokensStart(t *testing.T) {
	body := `{"error":{"code":"UNAUTHORIZED","message":"token ` + testToken + ` is invalid"}}`
	limit := strings.Index(body, testToken) + 10
	client, ts := setup(t, func(c *Configuration) { c.MaxResponseBytes = int64(limit) })
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, body)
	})
	_, err := client.Sessions.ListSessions(context.Background())
	require.ErrorIs(t, err, ErrUnauthorized)
	assert.NotContains(t, err.Error(), testToken[:8])
}

func TestCapturedResponseHeaderHasNoEchoedToken(t *testing.T) {
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		writeJSON(w, http.StatusUnauthorized, `{"error":{"code":"UNAUTHORIZED","message":"no"}}`)
	})
	var resp *http.Response
	_, err := client.Sessions.ListSessions(context.Background(), WithHTTPResponse(&resp))
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.NotContains(t, fmt.Sprint(resp.Header), testToken)
	assert.Equal(t, "Bearer [REDACTED]", resp.Header.Get("X-Echo"))
}

func TestRequestIDEchoingTheTokenIsRedacted(t *testing.T) {
	var logged syncbuf.Buffer
	var info CallInfo
	client, ts := setup(t, func(c *Configuration) {
		c.Logger = slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c.Hooks.End = func(_ context.Context, ci CallInfo) { info = ci }
	})
	ts.mux.HandleFunc("/users/me/sessions/s1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+testToken)
		status(http.StatusNotFound)(w, r)
	})
	_, err := client.Sessions.RevokeSession(context.Background(), "s1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "req-[REDACTED]", apiErr.RequestID)
	assert.Equal(t, "req-[REDACTED]", info.RequestID)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("the error", "err", apiErr)
	assert.NotContains(t, logged.String(), testToken)
	assert.NotContains(t, fmt.Sprintf("%+v", *apiErr), testToken)
}

func TestQuotedTokenInAnyErrorBodyIsRedacted(t *testing.T) {
	// Bodies that are not the API's envelope are quoted in APIError.Body:
	// the token must not show there in any form the server wrote it.
	const token = "abc/def+ghi<jkl"
	tests := []struct {
		name string
		body string
	}{
		{"gateway JSON, escaped slash", `{"error":"invalid_token","token":"abc\/def+ghi<jkl"}`},
		{"unicode escapes", `{"token":"abc\u002fdef\u002Bghi\u003cjkl"}`},
		{"percent-encoded in a text body", `bad token: abc%2Fdef%2Bghi%3Cjkl`},
		{"raw in plain text", `token abc/def+ghi<jkl refused`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusUnauthorized, tt.body)
			})
			_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Contains(t, apiErr.Body, "[REDACTED]")
			for _, leak := range []string{token, `abc\/def`, `abc\u002fdef`, "abc%2Fdef"} {
				assert.NotContains(t, fmt.Sprintf("%v %+v", err, *apiErr), leak)
			}
		})
	}
}

func TestTokenInUndecodable2xxIsRedacted(t *testing.T) {
	// A 2xx that does not decode is quoted by its *DecodeError: the JSON
	// pointer names the members it was in, a time that does not parse is
	// quoted whole, and the Content-Type is quoted as it came.
	const token = "abc/def+ghi<jkl"
	tests := []struct {
		name, contentType, body string
	}{
		{"member name, then a syntax error", "application/json", `[{"abc\/def+ghi<jkl":{"x":]}]`},
		{"time that does not parse", "application/json", `[{"id":"s1","current":true,"createdAt":"abc\/def+ghi<jkl","lastActivityAt":"2026-11-01T09:00:00Z","expiresAt":"2026-12-01T09:00:00Z"}]`},
		{"echoed in the Content-Type", "text/html; x=abc/def+ghi<jkl", `<html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			for _, leak := range []string{token, "abc~1def"} { // ~1: a JSON pointer's "/"
				assert.NotContains(t, err.Error(), leak)
				assert.NotContains(t, fmt.Sprintf("%+v %v", *decErr, decErr.Err), leak)
			}
		})
	}
}
