package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMemoryStaysFlat answers 30,000 requests with the handler vault-mock
// builds from its default flags, its logger included, and checks that
// the heap in use after them is within a few MB of what it was once the
// request log had filled: the log keeps the last -request-log requests,
// and nothing else grows with the number of requests.
func TestMemoryStaysFlat(t *testing.T) {
	n := 30000
	if testing.Short() {
		n = 5000
	}
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	h, demo, _ := newHandler(o, discardLogger())
	serve := func(i int) {
		var req *http.Request
		switch i % 4 {
		case 0:
			req = httptest.NewRequest(http.MethodDelete, "/api/v1/users/me/sessions/ses_missing", nil)
		case 1:
			req = httptest.NewRequest(http.MethodGet, "/__vault/faults", nil)
		default:
			req = httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/users/me/sessions?page=%d", i), nil)
		}
		req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
		req.Header.Set("Authorization", "Bearer "+demo.Token)
		req.Header.Set("User-Agent", "vault-go/1.0.0 (go1.26; linux/amd64) checkout-service/4.2.1 (+https://example.com/checkout)")
		req.Header.Set("Traceparent", fmt.Sprintf("00-%032x-%016x-01", i, i))
		req.Header.Set("X-Forwarded-For", "203.0.113.24, 198.51.100.7, 192.0.2.15")
		req.Header.Set("Cookie", fmt.Sprintf("session=%064x; theme=dark; consent=analytics,functional,marketing", i))
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	warm := 2 * o.requestLog
	for i := 0; i < warm; i++ {
		serve(i)
	}
	before := heapInUse()
	for i := warm; i < n; i++ {
		serve(i)
	}
	after := heapInUse()

	assert.Len(t, h.Requests(), o.requestLog, "the log holds the last -request-log requests")
	growth := int64(after) - int64(before)
	t.Logf("heap in use: %d KiB with a full log, %d KiB after %d requests", before>>10, after>>10, n)
	assert.Less(t, growth, int64(4<<20), "the heap grew by %d KiB", growth>>10)
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
