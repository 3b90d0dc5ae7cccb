package vaulttest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWaitTimeoutDoesNotUndercountDroppedRequests sends ten requests
// with large headers to a server whose request log holds three of them
// in its bytes, then waits for five. The wait ends by its time-out, as
// the docs say; its message must not tell the suite that only the three
// the log still holds arrived, when ten did: a suite reading "3 of 5
// arrived" looks for a client bug that is not there.
func TestWaitTimeoutDoesNotUndercountDroppedRequests(t *testing.T) {
	srv := newControlServer(t, vaulttest.WithRequestLogBytes(64<<10))
	pad := strings.Repeat("p", 20000)
	for i := 0; i < 10; i++ {
		call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", "", "X-Pad", pad)
	}
	require.Less(t, len(srv.Requests()), 5, "the log dropped the oldest requests")

	r := ctl(t, srv, http.MethodGet, "/requests/wait?count=5&timeout=100ms", "")
	require.Equal(t, http.StatusRequestTimeout, r.status, "body: %s", r.body)
	msg := decode[controlError](t, r.body).Error.Message
	held := len(srv.Requests())
	assert.NotContains(t, msg, itoa(held)+" of 5 matching requests arrived", "ten arrived: %s", msg)
}
