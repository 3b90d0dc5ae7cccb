package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stalledWriter is the connection of a client that sends GET /requests
// and does not read the answer: its first Write blocks until release is
// closed.
type stalledWriter struct {
	header  http.Header
	once    sync.Once
	started chan struct{}
	release chan struct{}
}

func (w *stalledWriter) Header() http.Header { return w.header }
func (w *stalledWriter) WriteHeader(int)     {}
func (w *stalledWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.started) })
	<-w.release
	return len(p), nil
}

// TestSlowReadersOfTheLogStayWithinTheMemoryBound fills vault-mock's
// request log with requests of 50 KB of headers, lets a few clients ask
// for GET /requests without reading the answer, refilling the log
// between them, and checks that its memory stays within the bound
// docs/vault-mock.md gives, -request-log-bytes plus memoryHeadroom,
// "however large the requests' headers": a reader's answer may not hold
// on to the requests the log has dropped.
func TestSlowReadersOfTheLogStayWithinTheMemoryBound(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	h, demo, _ := newHandler(o, discardLogger())
	n := 0
	fill := func() {
		// Twice what -request-log-bytes holds.
		for i := 0; i < 2*defaultRequestLogBytes/(50*1000); i++ {
			n++
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/users/me/sessions?n=%d", n), nil)
			req.Header.Set("Authorization", "Bearer "+demo.Token)
			for j := 0; j < 50; j++ {
				// A value of its own, as one read from a connection is.
				req.Header.Set(fmt.Sprintf("X-Padding-%02d", j), fmt.Sprintf("%0999d", n*100+j))
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
		}
	}

	const readers = 6
	release := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() { close(release); wg.Wait() })
	for r := 0; r < readers; r++ {
		fill()
		w := &stalledWriter{header: http.Header{}, started: make(chan struct{}), release: release}
		req := httptest.NewRequest(http.MethodGet, "/__vault/requests", nil)
		req.RemoteAddr, req.Host = "127.0.0.1:40000", "localhost"
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(w, req)
		}()
		<-w.started
	}
	fill()
	live := heapLive()
	runtime.KeepAlive(h)
	t.Logf("live heap with %d readers that do not read: %d KiB", readers, live>>10)
	bound := uint64(defaultRequestLogBytes + memoryHeadroom)
	assert.Less(t, live, bound, "%d slow readers of GET /requests hold more than -request-log-bytes plus %d MiB", readers, memoryHeadroom>>20)
}

// heapLive returns the bytes of the objects the heap holds after a
// collection: less than the resident memory, which adds the spans they
// leave partly empty and the runtime's own.
func heapLive() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
