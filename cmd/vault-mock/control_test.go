package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// send sends a request with a JSON body, if not empty, and returns the
// status and the body of the answer.
func send(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestRunControl(t *testing.T) {
	m := startMock(t, "-sessions", "2", "-fail-status", "503", "-fail-route", vaulttest.RouteLogoutAllSessions)
	require.Len(t, m.lines, 5)
	assert.Equal(t, strings.TrimSuffix(m.baseURL, "/api/v1")+"/__vault", m.controlURL)

	status, body := send(t, "GET", m.controlURL+"/faults", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, pending(t, body), "the flags' fault")

	// The fault, then a logout-all that ends every session of the demo.
	status, _ = send(t, "DELETE", m.baseURL+"/users/me/sessions", m.token, "")
	assert.Equal(t, http.StatusServiceUnavailable, status)
	status, _ = send(t, "DELETE", m.baseURL+"/users/me/sessions", m.token, "")
	require.Equal(t, http.StatusOK, status)
	status, _ = send(t, "GET", m.baseURL+"/users/me/sessions", m.token, "")
	require.Equal(t, http.StatusUnauthorized, status)

	// A new session for the demo user, without a restart.
	status, body = send(t, "POST", m.controlURL+"/users/"+vaulttest.DemoUserID+"/sessions", "", `{"userAgent":"curl/8.5.0"}`)
	require.Equal(t, http.StatusCreated, status, body)
	var minted struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &minted))
	status, _ = send(t, "GET", m.baseURL+"/users/me/sessions", minted.Token, "")
	assert.Equal(t, http.StatusOK, status)

	// Reset: the demo as it started, its printed token included, and the
	// flags' fault queued again.
	status, _ = send(t, "POST", m.controlURL+"/reset", "", "")
	require.Equal(t, http.StatusNoContent, status)
	status, body = send(t, "GET", m.baseURL+"/users/me/sessions", m.token, "")
	require.Equal(t, http.StatusOK, status, body)
	var sessions []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &sessions))
	assert.Len(t, sessions, 2)
	status, _ = send(t, "GET", m.baseURL+"/users/me/sessions", minted.Token, "")
	assert.Equal(t, http.StatusUnauthorized, status, "the minted session is gone")
	status, body = send(t, "GET", m.controlURL+"/faults", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, pending(t, body))

	status, body = send(t, "GET", m.controlURL+"/requests", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.NotContains(t, body, m.token)
	assert.Equal(t, 0, m.stop(t))
	logs := m.stderr.String()
	assert.Contains(t, logs, "msg=control method=POST path=/__vault/reset status=204")
	assert.NotContains(t, logs, m.token)
	assert.NotContains(t, logs, minted.Token)
}

func TestRunWithoutControl(t *testing.T) {
	m := startMock(t, "-control=false")
	assert.Len(t, m.lines, 4, "no control URL")
	status, _ := send(t, "GET", strings.TrimSuffix(m.baseURL, "/api/v1")+"/__vault/health", "", "")
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, 0, m.stop(t))
}

func TestRunControlRemote(t *testing.T) {
	health := func(args ...string) int {
		o, err := parseFlags(args, io.Discard)
		require.NoError(t, err)
		h, _, _ := newHandler(o, discardLogger())
		req := httptest.NewRequest(http.MethodGet, "/__vault/health", nil)
		req.RemoteAddr, req.Host = "203.0.113.5:40000", "localhost"
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	assert.Equal(t, http.StatusForbidden, health(), "loopback only by default")
	assert.Equal(t, http.StatusOK, health("-control-remote"))
}

func TestRunControlOfTheServerDialect(t *testing.T) {
	m := startMock(t, "-dialect", "server")
	status, body := send(t, "GET", m.controlURL+"/health", "", "")
	require.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"status":"ok","dialect":"server"}`, body)
	status, body = send(t, "POST", m.controlURL+"/users/"+vaulttest.DemoUserID+"/tokens", "", "")
	require.Equal(t, http.StatusCreated, status, body)
	var tok struct {
		Token string `json:"token"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &tok))
	status, body = send(t, "DELETE", m.baseURL+"/users/me/sessions", tok.Token, "")
	assert.Equal(t, http.StatusBadRequest, status, "the server's logout-all needs a session: %s", body)
	assert.Equal(t, 0, m.stop(t))
}

// pending returns the member pending of an answer of /faults.
func pending(t *testing.T, body string) int {
	t.Helper()
	var v struct {
		Pending *int `json:"pending"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	require.NotNil(t, v.Pending, body)
	return *v.Pending
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
