package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlagsAndControlRefuseTheSameFaults checks that a fault the -fail
// flags refuse is refused by the control API too, naming the member that
// stands for the flag.
func TestFlagsAndControlRefuseTheSameFaults(t *testing.T) {
	tests := []struct {
		flags  []string
		body   string
		member string
	}{
		{[]string{"-fail-status", "503", "-fail-count", "0"}, `{"status":503,"count":0}`, "count"},
		{[]string{"-fail-status", "503", "-fail-count", "-2"}, `{"status":503,"count":-2}`, "count"},
		{[]string{"-fail-status", "503", "-retry-after", "soon"}, `{"status":503,"retryAfter":"soon"}`, "retryAfter"},
		{[]string{"-latency", "1m"}, `{"latency":"1m"}`, "latency"},
		{[]string{"-fail-status", "503", "-latency", "2m"}, `{"status":503,"latency":"2m"}`, "latency"},
		{[]string{"-fail-status", "42"}, `{"status":42}`, "status"},
		{[]string{"-fail-mode", "reset", "-fail-status", "503"}, `{"action":"ResetBeforeResponse","status":503}`, "status"},
		{[]string{"-fail-status", "503", "-fail-route", "GET /nope"}, `{"status":503,"route":"GET /nope"}`, "route"},
		{[]string{"-fail-status", "503", "-fail-route", "GET /users/me/sessions", "-fail-session", "s1"}, `{"status":503,"route":"GET /users/me/sessions","sessionId":"s1"}`, "sessionId"},
		{[]string{"-fail-status", "503", "-fail-route", ""}, `{"status":503,"route":""}`, "route"},
		{[]string{"-fail-status", "503", "-fail-session", ""}, `{"status":503,"sessionId":""}`, "sessionId"},
		{[]string{"-fail-status", "503", "-fail-mode", ""}, `{"status":503,"action":""}`, "action"},
		{[]string{"-fail-status", "503", "-retry-after", ""}, `{"status":503,"retryAfter":""}`, "retryAfter"},
	}
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	h, _, _ := newHandler(o, discardLogger())
	for _, tt := range tests {
		t.Run(strings.Join(tt.flags, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(context.Background(), tt.flags, &stdout, &stderr), "the flags are refused")

			req := httptest.NewRequest(http.MethodPost, "/__vault/faults", strings.NewReader(tt.body))
			req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			require.Equal(t, http.StatusBadRequest, w.Code, "%s", w.Body)
			var e struct {
				Error struct {
					Code  string `json:"code"`
					Field string `json:"field"`
				} `json:"error"`
			}
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
			assert.Equal(t, "INVALID_FAULT", e.Error.Code)
			assert.Equal(t, tt.member, e.Error.Field, "%s", w.Body)
		})
	}
}

// TestRunHidesTokensOnStandardError makes requests that carry the demo's
// token in the path, the query and a header, and checks that standard
// error never shows it, unless -show-tokens asks for it.
func TestRunHidesTokensOnStandardError(t *testing.T) {
	for _, show := range []bool{false, true} {
		var args []string
		if show {
			args = append(args, "-show-tokens")
		}
		m := startMock(t, args...)
		send(t, "DELETE", m.baseURL+"/users/me/sessions/"+m.token, m.token, "")
		send(t, "GET", m.baseURL+"/users/me/sessions?token="+m.token, m.token, "")
		req, err := http.NewRequest(http.MethodGet, m.baseURL+"/users/me/sessions", nil)
		require.NoError(t, err)
		req.Header.Set("X-Api-Key", m.token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		_, log := send(t, "GET", m.controlURL+"/requests", "", "")
		assert.Equal(t, 0, m.stop(t))
		if show {
			assert.Contains(t, m.stderr.String(), m.token, "-show-tokens")
			assert.Contains(t, log, m.token, "-show-tokens")
			continue
		}
		assert.NotContains(t, m.stderr.String(), m.token)
		assert.NotContains(t, log, m.token)
		assert.Contains(t, m.stderr.String(), "path=/api/v1/users/me/sessions/[REDACTED]")
	}
}
