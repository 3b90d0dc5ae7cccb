package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunServerDialect(t *testing.T) {
	m := startMock(t, "-dialect", "server", "-sessions", "4")
	resp := get(t, m.baseURL+"/users/me/sessions", m.token)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("X-Request-Id"))
	var list struct {
		Sessions        []map[string]any `json:"sessions"`
		CurrentSessions int              `json:"currentSessions"`
		MaxSessions     int              `json:"maxSessions"`
		Warning         *string          `json:"warning"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	assert.Len(t, list.Sessions, 4)
	assert.Equal(t, 4, list.CurrentSessions)
	assert.Equal(t, 5, list.MaxSessions)
	require.NotNil(t, list.Warning)
	assert.Equal(t, "near_limit", *list.Warning)

	resp = get(t, m.baseURL+"/users/me/sessions", "vt_unknown")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Zero(t, resp.ContentLength, "the server's 401 has no body")

	assert.Equal(t, 0, m.stop(t))
	assert.Contains(t, m.stderr.String(), "dialect=server")
}

func TestRunSpecDialectByDefault(t *testing.T) {
	m := startMock(t)
	resp := get(t, m.baseURL+"/users/me/sessions", m.token)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var sessions []map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sessions), "a JSON array")
	assert.Equal(t, 0, m.stop(t))
	assert.Contains(t, m.stderr.String(), "dialect=spec")
}

func TestRunUnknownDialect(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run(context.Background(), []string{"-dialect", "typescript"}, &stdout, &stderr))
	assert.Empty(t, stdout.String())
	assert.Equal(t, `vault-mock: invalid value "typescript" for flag -dialect: unknown dialect "typescript": use spec or server (vault-mock -h lists the flags)`+"\n", stderr.String())
}
