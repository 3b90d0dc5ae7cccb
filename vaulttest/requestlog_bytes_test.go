package vaulttest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// bigRequest is a request with about kb kilobytes of headers.
func bigRequest(i, kb int) *http.Request {
	req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/users/me/sessions?n=%d", i), nil)
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
	for j := 0; j < kb; j++ {
		req.Header.Set(fmt.Sprintf("X-Padding-%03d", j), fmt.Sprintf("%08d-%s", i, strings.Repeat("p", 1000)))
	}
	return req
}

// TestRequestLogIsBoundedInBytes fills a log bounded in bytes with
// requests of 50 KB of headers, and checks that it keeps the newest of
// them that fit, and that a request larger than the bound is kept alone.
func TestRequestLogIsBoundedInBytes(t *testing.T) {
	h := vaulttest.NewHandler(vaulttest.WithRequestLog(1000), vaulttest.WithRequestLogBytes(1<<20))
	for i := 1; i <= 100; i++ {
		h.ServeHTTP(httptest.NewRecorder(), bigRequest(i, 50))
	}
	reqs := h.Requests()
	require.NotEmpty(t, reqs)
	size := 0
	for _, r := range reqs {
		for k, vs := range r.Header {
			size += len(k) + len(strings.Join(vs, ""))
		}
	}
	assert.LessOrEqual(t, size, 1<<20, "the headers kept fit in the bound")
	assert.Greater(t, len(reqs), 15, "as many as fit are kept")
	assert.Equal(t, "n=100", reqs[len(reqs)-1].RawQuery, "the newest is kept")

	h.ServeHTTP(httptest.NewRecorder(), bigRequest(101, 1100))
	reqs = h.Requests()
	require.Len(t, reqs, 1, "one larger than the bound is kept alone")
	assert.Equal(t, "n=101", reqs[0].RawQuery)
}

// peakWriter discards what it is written and samples the heap in use as
// it goes.
type peakWriter struct {
	header http.Header
	peak   uint64
}

func (w *peakWriter) Header() http.Header { return w.header }
func (w *peakWriter) WriteHeader(int)     {}
func (w *peakWriter) Write(b []byte) (int, error) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.peak = max(w.peak, m.HeapAlloc)
	return len(b), nil
}

// TestControlRequestsStreams reads a log of about 10 MB through the
// control API and checks that the answer is written as it is encoded:
// the heap never holds a copy of the whole log, as it would if the
// answer were built first.
func TestControlRequestsStreams(t *testing.T) {
	h := vaulttest.NewHandler(vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	for i := 0; i < 200; i++ {
		h.ServeHTTP(httptest.NewRecorder(), bigRequest(i, 50))
	}
	const logSize = 200 * 50 * 1000
	req := httptest.NewRequest(http.MethodGet, "/__vault/requests", nil)
	req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
	// Garbage is collected soon, so that the heap sampled is about what
	// the answer holds.
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.HeapAlloc
	w := &peakWriter{header: http.Header{}}
	h.ServeHTTP(w, req)
	growth := int64(w.peak) - int64(before)
	t.Logf("heap: %d KiB before the answer, %d KiB more at its peak", before>>10, growth>>10)
	assert.Less(t, growth, int64(logSize/2), "the answer holds at most a part of the log at once")
	assert.Equal(t, "application/json", w.header.Get("Content-Type"))
}

// TestResetGivesTheLogsMemoryBack fills the log and checks that a reset
// lets the heap come back to what it was before.
func TestResetGivesTheLogsMemoryBack(t *testing.T) {
	h := vaulttest.NewHandler(vaulttest.WithRequestLog(1000))
	before := heapInUse()
	for i := 0; i < 200; i++ {
		h.ServeHTTP(httptest.NewRecorder(), bigRequest(i, 50))
	}
	full := heapInUse()
	h.Reset()
	after := heapInUse()
	t.Logf("heap in use: %d KiB, %d KiB with the log full, %d KiB after a reset", before>>10, full>>10, after>>10)
	assert.Greater(t, int64(full)-int64(before), int64(5<<20), "the log held its requests")
	assert.Less(t, int64(after)-int64(before), int64(2<<20), "and gave them back")
}
