package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestControlFaultLatencyJustUnderTheWriteTimeoutIsAnswered queues,
// through the control API of a vault-mock started with -write-timeout,
// a fault whose latency is a microsecond shorter than the write timeout.
// The control API refuses a latency that the write timeout would cut,
// so one it accepts must be answered: either it is refused, naming
// latency, or the client gets the fault's answer rather than a dropped
// connection that the request log records as answered.
func TestControlFaultLatencyJustUnderTheWriteTimeoutIsAnswered(t *testing.T) {
	m := startMock(t, "-write-timeout", "1s")
	status, body := send(t, http.MethodPost, m.controlURL+"/faults", "", `{"status":503,"latency":"999999us","route":"GET /users/me/sessions"}`)
	if status == http.StatusBadRequest {
		assert.Contains(t, body, `"field":"latency"`)
		return
	}
	require.Equal(t, http.StatusCreated, status, body)

	req, err := http.NewRequest(http.MethodGet, m.baseURL+"/users/me/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+m.token)
	// A connection of its own, which the client does not retry on.
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	require.NoError(t, err, "the fault was accepted, but its answer is cut by the write timeout")
	defer resp.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}
