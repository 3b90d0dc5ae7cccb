package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPendingFaultsStayWithinTheMemoryBound queues faults whose bodies
// fill most of a control request each, as a suite that answers with a
// large page does, and checks that vault-mock with its default flags
// either refuses them or holds them within the bound of its memory that
// docs/vault-mock.md gives, -request-log-bytes plus memoryHeadroom: the
// fault queue is bounded in faults (10,000), each of which may carry
// almost 1 MiB.
func TestPendingFaultsStayWithinTheMemoryBound(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	h, _, _ := newHandler(o, discardLogger())
	page := strings.Repeat("x", 1000*1000)
	accepted := 0
	for i := 0; i < 48; i++ {
		body := fmt.Sprintf(`{"status":503,"userId":"usr_nobody_%d","body":%q}`, i, page)
		req := httptest.NewRequest(http.MethodPost, "/__vault/faults", strings.NewReader(body))
		req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code == http.StatusCreated {
			accepted++
		}
	}
	live := heapLive()
	runtime.KeepAlive(h)
	t.Logf("%d faults of 1 MB queued; live heap: %d KiB", accepted, live>>10)
	bound := uint64(defaultRequestLogBytes + memoryHeadroom)
	assert.Less(t, live, bound, "%d pending faults hold more than -request-log-bytes plus %d MiB", accepted, memoryHeadroom>>20)
}
