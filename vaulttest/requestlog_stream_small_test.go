package vaulttest_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// pausedWriter is the connection of a client that reads an answer
// slowly: its first Write waits until release is closed.
type pausedWriter struct {
	header  http.Header
	once    sync.Once
	started chan struct{}
	release chan struct{}
}

func (w *pausedWriter) Header() http.Header { return w.header }
func (w *pausedWriter) WriteHeader(int)     {}
func (w *pausedWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.started) })
	<-w.release
	return len(p), nil
}

// TestControlRequestsStreamsALogOfSmallRequests fills a log bounded in
// bytes with many small requests, has a client that reads slowly ask for
// GET /requests, and checks that while the answer is written the heap
// holds about the log alone: the answer is written as the log is read,
// not after a copy of every record, which for small requests is a third
// of what the log holds.
func TestControlRequestsStreamsALogOfSmallRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a request log of 32 MiB")
	}
	const bound = 32 << 20
	h := vaulttest.NewHandler(vaulttest.WithRequestLogBytes(bound), vaulttest.WithControlAPI(vaulttest.ControlOptions{}))
	req := httptest.NewRequest(http.MethodGet, "/api/v1/users/me/sessions", nil)
	req.Header.Set("Authorization", "Bearer vt_0bb2826b8d3362025fa0beb8673c021e5a2aa299")
	req.Header.Set("User-Agent", "vault-go/1.0.0")
	req.Header.Set("Accept", "application/json")
	for i := 0; i < 2*bound/700; i++ {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	full := heapLive()

	reader := &pausedWriter{header: http.Header{}, started: make(chan struct{}), release: make(chan struct{})}
	get := httptest.NewRequest(http.MethodGet, "/__vault/requests", nil)
	get.RemoteAddr, get.Host = "127.0.0.1:40000", "localhost"
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		h.ServeHTTP(reader, get)
	}()
	<-reader.started
	reading := heapLive()
	close(reader.release)
	wg.Wait()
	runtime.KeepAlive(h)

	t.Logf("live heap: %d KiB with the log full, %d KiB while GET /requests is read", full>>10, reading>>10)
	assert.Less(t, reading, full+4<<20, "reading the log holds %d KiB more than the log", (reading-full)>>10)
}
