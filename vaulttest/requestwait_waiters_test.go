package vaulttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWaitersCostLittlePerRequest checks that requests waited for do not
// make every request of the API pay for every wait: with a full request
// log and waits pending, as a suite of parallel workers leaves them, an
// API request allocates about what it allocates without them, not a
// copy of the log per wait.
func TestWaitersCostLittlePerRequest(t *testing.T) {
	const (
		logSize  = 1000 // vault-mock's default -request-log
		waiters  = 20
		requests = 20
	)
	h := vaulttest.NewHandler()
	serve := func(i int) {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("%s/users/me/sessions?n=%d", vaulttest.BasePath, i), nil)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for i := 0; i < logSize; i++ {
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
			// Every request matches, and the wait is for one more than
			// the requests below send.
			_, _ = h.WaitRequests(ctx, vaulttest.RequestFilter{Method: http.MethodGet}, logSize+2*requests+1)
		}()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	settle()

	with := allocatedBy(func() {
		for i := 0; i < requests; i++ {
			serve(i)
		}
	})
	t.Logf("%d requests allocated %d KiB alone, %d KiB with %d waits pending", requests, alone>>10, with>>10, waiters)
	assert.Less(t, with, 2*alone+1<<20, "%d pending waits multiply what each request allocates", waiters)
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
