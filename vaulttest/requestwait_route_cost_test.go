package vaulttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWaitersByRouteCostLittlePerRequest checks that waits with a route
// filter, one per worker of a suite, do not make a request pay for its
// path once per wait: a request whose session ID is percent-encoded,
// as long as vault-mock's bound on headers lets it be, allocates with
// twenty such waits pending about what it allocates without them. A
// wait that finds the route of every record it is shown again, as the
// record arrives and each time its status or fault is set, decodes the
// path each time, under the handler's lock.
func TestWaitersByRouteCostLittlePerRequest(t *testing.T) {
	const (
		waiters  = 20
		requests = 20
	)
	h := vaulttest.NewHandler(vaulttest.WithRequestLog(100))
	target := vaulttest.BasePath + "/users/me/sessions/{" + strings.Repeat("%41", 20000)
	serve := func(i int) {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("%s%d", target, i), nil)
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	for i := 0; i < requests; i++ {
		serve(i)
	}
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
			// Waits for the list of sessions, which the requests below
			// are not.
			_, _ = h.WaitRequests(ctx, vaulttest.RequestFilter{Route: "GET /users/me/sessions"}, 1)
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
	t.Logf("%d requests allocated %d KiB alone, %d KiB with %d waits by route pending", requests, alone>>10, with>>10, waiters)
	assert.Less(t, with, 2*alone+1<<20, "%d pending waits by route multiply what a request allocates", waiters)
}
