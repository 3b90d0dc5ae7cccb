package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLatencyFlagLeavesControlFaultsToFire starts vault-mock with
// -latency, which delays every response, queues a fault through the
// control API, and checks that the fault answers the next request it
// selects: -latency is queued as a fault for every request, first in the
// queue, and a fault queued after it that it shadows must fire or be
// refused, not be accepted and never answer.
func TestLatencyFlagLeavesControlFaultsToFire(t *testing.T) {
	o, err := parseFlags([]string{"-latency", "1ms"}, io.Discard)
	require.NoError(t, err)
	h, demo, _ := newHandler(o, discardLogger())

	req := httptest.NewRequest(http.MethodPost, "/__vault/faults", strings.NewReader(`{"status":503,"route":"GET /users/me/sessions"}`))
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusCreated {
		assert.Equal(t, http.StatusBadRequest, rec.Code, "refused, or queued: %s", rec.Body)
		return
	}

	req = httptest.NewRequest(http.MethodGet, "/api/v1/users/me/sessions", nil)
	req.Header.Set("Authorization", "Bearer "+demo.Token)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "the fault queued through the control API answers: %s", rec.Body)
}
