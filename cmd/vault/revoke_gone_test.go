package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// Revoking a session that is already gone is a 404, as RevokeSession
// reports it: the API answers the same for a mistyped ID.
func TestRevokeSessionAlreadyGone(t *testing.T) {
	h := newHarness(t)
	requireCode(t, exitOK, h.run("sessions", "revoke", h.demo[1].ID))
	r := h.run("sessions", "revoke", h.demo[1].ID)
	requireCode(t, exitFailure, r)
	assert.Empty(t, r.stdout)
	line := oneLine(t, r)
	assert.Contains(t, line, "vault: revoke session "+h.demo[1].ID+": 404 NOT_FOUND")
	assert.Contains(t, line, "(hint: no such session")
}

// applyThenDrop applies the first DELETE it gets and drops the connection
// instead of answering, as when a connection breaks after the server
// acted.
func applyThenDrop(h http.Handler) http.Handler {
	var dropped atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodDelete || dropped.Swap(true) {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
}

// A revoke whose first answer was lost and whose retry gets 404 was done
// by the first attempt: the SDK reports it as done, and so does vault.
func TestRevokeDoneByAnEarlierAttempt(t *testing.T) {
	h := newHarness(t)
	api := vaulttest.NewHandler()
	demo := api.SeedDemo(vaulttest.Demo{})
	ts := httptest.NewServer(applyThenDrop(api))
	t.Cleanup(ts.Close)
	h.env[envBaseURL] = ts.URL + vaulttest.BasePath
	h.env[envToken] = h.secret(demo[0].Token)

	r := h.run("sessions", "revoke", demo[1].ID)
	requireCode(t, exitOK, r)
	assert.Equal(t, "revoked "+demo[1].ID+"\n", r.stdout)
	assert.Empty(t, r.stderr)
	got, ok := api.Session(demo[1].ID)
	require.True(t, ok)
	assert.True(t, got.Revoked)
	assert.Len(t, api.Requests(), 2, "the lost attempt and the retry")
}
