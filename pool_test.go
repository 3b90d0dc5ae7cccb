package vault

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Connection reuse under concurrency: these tests count the TCP
// connections the server accepts, not time.

const (
	poolGoroutines = 32
	poolCalls      = 10_000
	// poolMaxConns is two connections per goroutine. A pool that is
	// reused stays near one per goroutine; one that churns opens one per
	// call, thousands here. On a loaded machine net/http may dial a new
	// connection while an idle one is on its way back to the pool, which
	// is still reuse, so the bound leaves room for that.
	poolMaxConns = 2 * poolGoroutines
)

// callConcurrently makes n calls from poolGoroutines goroutines and
// returns the error of each call.
func callConcurrently(n int, call func(i int) error) []error {
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < poolGoroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				errs[i] = call(i)
			}
		}()
	}
	wg.Wait()
	return errs
}

func TestConcurrentCallsReuseConnections(t *testing.T) {
	s := newFixedServer(t, []byte(sessionsJSON), nil)
	client := benchClient(t, s) // a default Configuration
	ctx := context.Background()

	errs := callConcurrently(poolCalls, func(int) error {
		_, err := client.Sessions.ListSessions(ctx)
		return err
	})
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, s.conns.Load(), int64(poolMaxConns), "connections for %d goroutines", poolGoroutines)
}

// TestFailingCallsKeepIdleConnections fails one call in ten after all its
// retries, with its connection reset on every attempt. go-retryablehttp
// closes the idle connections of its HTTP client after a call that ends
// in a transport error; the SDK must not let that drop the connections
// the other goroutines are about to reuse. The goroutines work a little
// between calls, as a service does, so that at any moment some of the
// connections are idle.
func TestFailingCallsKeepIdleConnections(t *testing.T) {
	var resets atomic.Int64
	s := newFixedServer(t, nil, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Fail") != "" {
			resets.Add(1)
			resetConnection(w, r)
			return
		}
		writeJSON(w, http.StatusOK, sessionsJSON)
	})
	client := benchClient(t, s, func(c *Configuration) {
		c.RetryBudget = -1
		c.RetryWaitMin = time.Microsecond
		c.RetryWaitMax = time.Millisecond
	})
	ctx := context.Background()

	const calls = 2_000
	errs := callConcurrently(calls, func(i int) error {
		var opts []RequestOption
		if i%10 == 0 {
			opts = append(opts, WithHeader("X-Fail", "1"))
		}
		_, err := client.Sessions.ListSessions(ctx, opts...)
		time.Sleep(200 * time.Microsecond)
		return err
	})
	for i, err := range errs {
		if i%10 == 0 {
			require.Error(t, err, "call %d", i)
		} else {
			require.NoError(t, err, "call %d", i)
		}
	}
	require.GreaterOrEqual(t, resets.Load(), int64(calls/10*(DefaultMaxRetries+1)), "every failing call used all its attempts")
	// Each reset costs its connection; any other new connection is one
	// the pool lost.
	assert.LessOrEqual(t, s.conns.Load()-resets.Load(), int64(poolMaxConns), "connections besides the reset ones")
}
