// Package leakcheck finds goroutines that outlive a test: every server,
// connection and retry loop a test starts must end with it. It reads the
// runtime's goroutine dump, so that the SDK's own module needs no
// dependency for it.
package leakcheck

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DefaultWait is how long Main and Verify wait for goroutines to end. A
// goroutine that is on its way out, such as a server connection whose
// client just closed it, needs a moment; on a loaded machine more than
// one. A real leak never ends, so a long wait only delays a failure.
const DefaultWait = 10 * time.Second

// Snapshot is the set of goroutines running at one moment, by ID.
type Snapshot map[uint64]bool

// Take returns the goroutines running now.
func Take() Snapshot {
	s := Snapshot{}
	for _, g := range goroutines() {
		s[g.id] = true
	}
	return s
}

// Leaked returns the stacks of the goroutines that are running now, were
// not in before and are not the runtime's or the testing package's own,
// once they have had up to wait to end. It returns nil when there are
// none.
func Leaked(before Snapshot, wait time.Duration) []string {
	deadline := time.Now().Add(wait)
	pause := time.Millisecond
	for {
		var leaked []string
		for _, g := range goroutines() {
			if !before[g.id] && !ignored(g.stack) {
				leaked = append(leaked, g.stack)
			}
		}
		if len(leaked) == 0 || time.Now().After(deadline) {
			return leaked
		}
		time.Sleep(pause)
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// Verify fails t if a goroutine that was not in before is still running
// after DefaultWait.
func Verify(t testing.TB, before Snapshot) {
	t.Helper()
	verify(t, before, DefaultWait)
}

func verify(t testing.TB, before Snapshot, wait time.Duration) {
	t.Helper()
	if leaked := Leaked(before, wait); leaked != nil {
		t.Errorf("%d goroutines outlived the test:\n\n%s", len(leaked), strings.Join(leaked, "\n\n"))
	}
}

// Main runs the tests of m and exits. When they pass but a goroutine they
// started is still running after DefaultWait, it prints the goroutine's
// stack and exits with status 1.
func Main(m *testing.M) {
	os.Exit(run(m, DefaultWait, os.Stderr))
}

// run runs the tests of m and returns the exit status of Main, writing
// the stacks of leaked goroutines to w.
func run(m interface{ Run() int }, wait time.Duration, w io.Writer) int {
	before := Take()
	code := m.Run()
	if code != 0 {
		return code
	}
	if leaked := Leaked(before, wait); leaked != nil {
		fmt.Fprintf(w, "leakcheck: %d goroutines outlived the tests:\n\n%s\n", len(leaked), strings.Join(leaked, "\n\n"))
		return 1
	}
	return 0
}

// goroutine is one entry of the runtime's goroutine dump.
type goroutine struct {
	id    uint64
	stack string
}

// goroutines returns every goroutine's ID and stack, as runtime.Stack
// prints them: a "goroutine N [state]:" line, then the calls.
func goroutines() []goroutine {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var gs []goroutine
	for _, entry := range bytes.Split(buf, []byte("\n\n")) {
		header, _, _ := bytes.Cut(entry, []byte("\n"))
		idText, ok := bytes.CutPrefix(header, []byte("goroutine "))
		if !ok {
			continue
		}
		idText, _, _ = bytes.Cut(idText, []byte(" "))
		id, err := strconv.ParseUint(string(idText), 10, 64)
		if err != nil {
			continue
		}
		gs = append(gs, goroutine{id: id, stack: string(entry)})
	}
	return gs
}

// ignoredFuncs are functions whose goroutines belong to the runtime or
// the testing package and end on their own or live as long as the
// process: the signal loop that os/signal starts once, and the runners of
// tests still unwinding.
var ignoredFuncs = []string{
	"os/signal.signal_recv(",
	"os/signal.loop(",
	"testing.(*T).Run(",
	"testing.runTests(",
	"testing.(*M).Run(",
}

func ignored(stack string) bool {
	for _, f := range ignoredFuncs {
		if strings.Contains(stack, "\n"+f) {
			return true
		}
	}
	return false
}
