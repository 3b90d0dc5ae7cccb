package main

import (
	"net/http"
	"os"
	"runtime/debug"
	"sync/atomic"

	"github.com/vault-dev/vault-go/vaulttest"
)

// releaser serves h and, after a control request that empties the
// request log (a reset, or DELETE /requests), gives the memory the log
// held back to the operating system, so that the resident memory of a
// long run comes back down between test suites instead of staying at
// its peak until the runtime's own scavenger gets to it.
type releaser struct {
	h    http.Handler
	busy atomic.Bool // a release is running; the next one would add nothing
}

func (rl *releaser) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rl.h.ServeHTTP(w, r)
	p := r.URL.Path
	if (r.Method == http.MethodPost && p == vaulttest.ControlPath+"/reset") ||
		(r.Method == http.MethodDelete && p == vaulttest.ControlPath+"/requests") {
		if rl.busy.CompareAndSwap(false, true) {
			go func() {
				defer rl.busy.Store(false)
				debug.FreeOSMemory()
			}()
		}
	}
}

// Bounds of vault-mock's resident memory, which docs/vault-mock.md
// gives: the request log takes at most -request-log-bytes, and the rest
// of the process, its code and runtime included, less than
// memoryHeadroom. The runtime is asked to collect garbage before the
// memory it manages passes -request-log-bytes plus memoryLimitHeadroom,
// the rest of memoryHeadroom being the program's code and the memory
// the runtime does not count.
const (
	memoryHeadroom      = 24 << 20
	memoryLimitHeadroom = 12 << 20
)

// limitMemory sets the soft memory limit of the runtime from the flags,
// unless GOMEMLIMIT sets one: without it, the heap may grow to twice what
// the request log holds before a collection.
func limitMemory(o options) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(o.requestLogBytes) + memoryLimitHeadroom)
}
