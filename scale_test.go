package vault

import (
	"context"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// largeListBytes is the MaxResponseBytes the large lists need: 100,000
// realistic sessions take about 30 MB of JSON.
const largeListBytes = 64 << 20

// BenchmarkListSessionsScale lists 10, 1,000 and 100,000 sessions and
// reports the time and the bytes allocated per session, which stay about
// the same at every size when both grow linearly.
func BenchmarkListSessionsScale(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10, 1_000, 100_000} {
		s := newFixedServer(b, encodeSessions(b, n), nil)
		b.Run("n="+strconv.Itoa(n)+"/SDK", func(b *testing.B) {
			c := benchClient(b, s, func(c *Configuration) { c.MaxResponseBytes = largeListBytes })
			runPerSession(b, n, func() error { _, err := c.Sessions.ListSessions(ctx); return err })
		})
		b.Run("n="+strconv.Itoa(n)+"/Baseline", func(b *testing.B) {
			bl := newBaseline(b, s)
			runPerSession(b, n, func() error { _, err := bl.listSessions(ctx); return err })
		})
	}
}

func runPerSession(b *testing.B, n int, call func() error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	runSerial(b, call)
	b.StopTimer()
	runtime.ReadMemStats(&after)
	calls := float64(b.N + 1) // runSerial's warm-up call included
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/calls/float64(n), "B/session")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/session")
}

// TestListSessionsPeakHeap lists 100,000 sessions, in the spec's array
// and in the Vault server's object form, and checks that the heap never
// holds more than 1.5 times the decoded list: no copy of the whole body
// sits beside it while it is decoded. What the peak holds beyond the
// list is mostly the slice of sessions before its last growth.
func TestListSessionsPeakHeap(t *testing.T) {
	const n = 100_000
	if testing.Short() {
		t.Skipf("decodes %d sessions twice; run without -short", n)
	}
	array := encodeSessions(t, n)
	object := append(append([]byte(`{"sessions":`), array...), `,"currentSessions":100000,"maxSessions":5,"warning":"limit_reached"}`...)
	for name, body := range map[string][]byte{"array": array, "object": object} {
		t.Run(name, func(t *testing.T) {
			s := newFixedServer(t, body, nil)
			client := benchClient(t, s, func(c *Configuration) { c.MaxResponseBytes = largeListBytes })
			var sessions []SessionResponse
			peak, decoded := peakHeap(func() {
				var err error
				sessions, err = client.Sessions.ListSessions(context.Background())
				require.NoError(t, err)
			}, func() { runtime.KeepAlive(sessions) })
			require.Len(t, sessions, n)
			t.Logf("decoded list %d KiB, peak heap %d KiB (%.2fx)", decoded>>10, peak>>10, float64(peak)/float64(decoded))
			assert.LessOrEqual(t, float64(peak), 1.5*float64(decoded), "peak heap against the decoded list")
		})
	}
}

// peakHeap runs call and returns the highest heap growth sampled while it
// ran and the growth left once it returned and the heap was collected,
// keep still holding call's result. A low GC target keeps the sampled
// heap close to the live one, so garbage does not pass for a copy.
func peakHeap(call, keep func()) (peak, retained uint64) {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	var ms runtime.MemStats
	collect()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc

	var high atomic.Uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > high.Load() {
				high.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	call()
	close(done)
	<-sampled

	collect()
	runtime.ReadMemStats(&ms)
	keep()
	return high.Load() - base, ms.HeapAlloc - base
}

// collect runs the garbage collector twice: the first collection only
// moves the buffers kept in sync.Pools (json.Marshal's among them) aside,
// the second frees them.
func collect() {
	runtime.GC()
	runtime.GC()
}
