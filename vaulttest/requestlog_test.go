package vaulttest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestRequestLogKeepsTheNewest(t *testing.T) {
	srv := newServer(t, vaulttest.WithRequestLog(3))
	me := srv.AddSession("alice", vaulttest.SessionSeed{})
	for i := 1; i <= 2; i++ {
		call(t, srv.Client(), http.MethodGet, fmt.Sprintf("%s/users/me/sessions?n=%d", srv.URL, i), me.Token)
	}
	assert.Equal(t, []string{"n=1", "n=2"}, queries(srv.Requests()), "fewer than the limit")

	for i := 3; i <= 7; i++ {
		call(t, srv.Client(), http.MethodGet, fmt.Sprintf("%s/users/me/sessions?n=%d", srv.URL, i), me.Token)
	}
	reqs := srv.Requests()
	assert.Equal(t, []string{"n=5", "n=6", "n=7"}, queries(reqs), "the newest three, oldest first")
	assert.Equal(t, "req-000005", reqs[0].ID, "IDs tell how many were dropped")

	srv.ResetRequests()
	assert.Empty(t, srv.Requests())
	for i := 8; i <= 12; i++ {
		call(t, srv.Client(), http.MethodGet, fmt.Sprintf("%s/users/me/sessions?n=%d", srv.URL, i), me.Token)
	}
	assert.Equal(t, []string{"n=10", "n=11", "n=12"}, queries(srv.Requests()))
}

func TestRequestLogUnboundedByDefault(t *testing.T) {
	h := vaulttest.NewHandler()
	for i := 0; i < 2000; i++ {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/users/me/sessions", nil))
	}
	assert.Len(t, h.Requests(), 2000)
}

func queries(reqs []vaulttest.Request) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.RawQuery)
	}
	return out
}

// TestRequestLogMemoryStaysFlat answers requests such as a test suite
// sends for hours, with headers of a realistic size, and checks that a
// Handler with a bounded log holds no more memory at the end than after
// its first requests. Each record holds a copy of the request's headers,
// about a kilobyte here: 30,000 of them would take some 30 MB.
func TestRequestLogMemoryStaysFlat(t *testing.T) {
	n := 30000
	if testing.Short() {
		n = 3000
	}
	const ring = 100
	h := vaulttest.NewHandler(vaulttest.WithRequestLog(ring))
	demo := h.SeedDemo(vaulttest.Demo{})
	tokens := make([]string, len(demo))
	for i, s := range demo {
		tokens[i] = s.Token
	}
	serve := func(i int) {
		var req *http.Request
		if i%3 == 2 {
			req = httptest.NewRequest(http.MethodDelete, "/api/v1/users/me/sessions/ses_missing", nil)
		} else {
			req = httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/users/me/sessions?page=%d", i), nil)
		}
		req.Header.Set("Authorization", "Bearer "+tokens[i%len(tokens)])
		req.Header.Set("User-Agent", "vault-go/1.0.0 (go1.26; linux/amd64) checkout-service/4.2.1 (+https://example.com/checkout)")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("X-Trace-Id", fmt.Sprintf("00-%032x-%016x-01", i, i))
		req.Header.Set("Traceparent", fmt.Sprintf("00-%032x-%016x-01", i*7, i*7))
		req.Header.Set("X-Forwarded-For", "203.0.113.24, 198.51.100.7, 192.0.2.15")
		req.Header.Set("Cookie", fmt.Sprintf("session=%064x; theme=dark; consent=analytics,functional,marketing", i))
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	for i := 0; i < 2*ring; i++ {
		serve(i)
	}
	before := heapInUse()
	for i := 2 * ring; i < n; i++ {
		serve(i)
	}
	after := heapInUse()

	reqs := h.Requests()
	require.Len(t, reqs, ring)
	assert.Equal(t, fmt.Sprintf("req-%06d", n), reqs[ring-1].ID)
	growth := int64(after) - int64(before)
	t.Logf("heap in use: %d KiB before, %d KiB after %d requests", before>>10, after>>10, n)
	assert.Less(t, growth, int64(4<<20), "the heap grew by %d KiB over %d requests", growth>>10, n)
}

// heapInUse returns the bytes of the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
