package vaulttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWaitersCostLittlePerRequest checks that requests waited for do not
// make every request of the API pay for every wait: with waits pending,
// one per worker of a suite, a request allocates about what it allocates
// without them, not a copy of the log per wait, nor a decoding of its
// path per wait.
func TestWaitersCostLittlePerRequest(t *testing.T) {
	const (
		waiters  = 20
		requests = 20
	)
	tests := []struct {
		name string
		opts []vaulttest.Option
		// logged requests fill the log before the waits start; path is
		// the path of each request, below BasePath.
		logged int
		path   func(i int) string
		// filter and n are the waits', which the requests measured do
		// not complete.
		filter vaulttest.RequestFilter
		n      int
	}{
		{
			name:   "a full log, every request matching",
			logged: 1000, // vault-mock's default -request-log
			path:   func(i int) string { return fmt.Sprintf("/users/me/sessions?n=%d", i) },
			filter: vaulttest.RequestFilter{Method: http.MethodGet},
			n:      1000 + 2*requests + 1,
		},
		{
			// A session ID as long as vault-mock's bound on headers lets
			// it be, percent-encoded.
			name:   "waits by route, paths long to decode",
			opts:   []vaulttest.Option{vaulttest.WithRequestLog(100)},
			logged: requests,
			path:   func(i int) string { return fmt.Sprintf("/users/me/sessions/{%s%d", strings.Repeat("%41", 20000), i) },
			filter: vaulttest.RequestFilter{Route: "GET /users/me/sessions"},
			n:      1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := vaulttest.NewHandler(tt.opts...)
			serve := func(i int) {
				req := httptest.NewRequest(http.MethodGet, vaulttest.BasePath+tt.path(i), nil)
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
			for i := 0; i < tt.logged; i++ {
				serve(i)
			}
			// What requests allocate with no wait pending.
			alone := allocatedBy(func() {
				for i := 0; i < requests; i++ {
					serve(i)
				}
			})

			ctx, cancel := context.WithCancel(context.Background())
			var wg sync.WaitGroup
			for w := 0; w < waiters; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, _ = h.WaitRequests(ctx, tt.filter, tt.n)
				}()
			}
			t.Cleanup(func() { cancel(); wg.Wait() })
			require.Eventually(t, func() bool { return vaulttest.PendingWaits(h) == waiters }, 10*time.Second, time.Millisecond)
			settle()

			with := allocatedBy(func() {
				for i := 0; i < requests; i++ {
					serve(i)
				}
			})
			t.Logf("%d requests allocated %d KiB alone, %d KiB with %d waits pending", requests, alone>>10, with>>10, waiters)
			assert.Less(t, with, 2*alone+1<<20, "%d pending waits multiply what each request allocates", waiters)
		})
	}
}

// allocatedBy returns the bytes allocated by every goroutine while f
// runs and until they have settled.
func allocatedBy(f func()) uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	f()
	settle()
	runtime.ReadMemStats(&m)
	return m.TotalAlloc - before
}

// settle returns once the bytes allocated stop growing, as the
// goroutines woken by the last change have run.
func settle() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	last := m.TotalAlloc
	for stable := 0; stable < 5; {
		time.Sleep(20 * time.Millisecond)
		runtime.ReadMemStats(&m)
		if m.TotalAlloc == last {
			stable++
		} else {
			stable, last = 0, m.TotalAlloc
		}
	}
}
