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

// TestControlFaultLatencyCountsTheLatencyFlag queues, through the
// control API of a vault-mock started with -latency, faults whose own
// latency the write timeout allows alone but not added to -latency's,
// and checks that they are refused as a latency the write timeout would
// cut is refused, naming both, while one that fits is queued.
func TestControlFaultLatencyCountsTheLatencyFlag(t *testing.T) {
	o, err := parseFlags([]string{"-latency", "20s", "-write-timeout", "1m"}, io.Discard)
	require.NoError(t, err)
	h, _, _ := newHandler(o, discardLogger())
	tests := []struct {
		latency string
		status  int
	}{
		{latency: "39s", status: http.StatusCreated},
		{latency: "40s", status: http.StatusBadRequest},
		{latency: "45s", status: http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.latency, func(t *testing.T) {
			body := `{"status":503,"userId":"nobody","latency":"` + tt.latency + `"}`
			req := httptest.NewRequest(http.MethodPost, "/__vault/faults", strings.NewReader(body))
			req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tt.status, rec.Code, "%s", rec.Body)
			if tt.status == http.StatusBadRequest {
				assert.Contains(t, rec.Body.String(), `"field":"latency"`)
				assert.Contains(t, rec.Body.String(), "20s for every answer")
				assert.Contains(t, rec.Body.String(), "write timeout of 1m0s")
			}
		})
	}
}
