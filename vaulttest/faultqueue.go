package vaulttest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Faults is a queue of pending faults. Each request consumes one answer
// of the first pending fault that matches it. Each fault gets an ID,
// such as "flt-000001", by which List shows it and Remove removes it. It
// is safe for concurrent use.
type Faults struct {
	mu      sync.Mutex
	pending []*pendingFault
	bytes   int // about the bytes the pending faults hold
	seq     int // of the last ID given
}

type pendingFault struct {
	id    string
	f     Fault
	sel   selector
	left  int // Unlimited, or the answers still to give
	fired int
	size  int // about the bytes it holds
}

// PendingFault is a fault of the queue, as List returns it.
type PendingFault struct {
	// ID identifies the fault, such as "flt-000001". IDs are given in
	// the order faults are queued, and start over when the handler is
	// reset.
	ID string
	// Fault is the fault as it was queued, Count included.
	Fault Fault
	// Remaining is the number of answers the fault still gives, or
	// Unlimited.
	Remaining int
	// Fired is the number of requests the fault has answered.
	Fired int
}

// Add appends faults to the queue. Like httptest on a misused server, it
// panics on a fault that is a mistake in the test itself, with the error
// of Fault.Validate, so that the test fails where the fault is written
// rather than with a fault that never fires. Nothing is queued if any of
// the faults is refused.
func (fs *Faults) Add(faults ...Fault) {
	for _, f := range faults {
		if err := f.Validate(); err != nil {
			panic("vaulttest: " + err.Error())
		}
	}
	fs.add(faults, queueBound{})
}

// queueBound bounds the pending faults of a queue: at most faults of
// them, holding at most bytes, when positive.
type queueBound struct {
	faults, bytes int
}

// add queues faults that are valid, unless the queue would then pass
// bound, and returns them as queued, or false.
func (fs *Faults) add(faults []Fault, bound queueBound) ([]PendingFault, bool) {
	add := make([]*pendingFault, 0, len(faults))
	for _, f := range faults {
		sel, _ := parseRoute(f.Route)
		left := f.Count
		if left == 0 {
			left = 1
		}
		f.Header = f.Header.Clone()
		if f.Body != nil {
			f.Body = append([]byte{}, f.Body...)
		}
		add = append(add, &pendingFault{f: f, sel: sel, left: left, size: faultSize(&f)})
	}
	size := 0
	for _, p := range add {
		size += p.size
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if (bound.faults > 0 && len(fs.pending)+len(add) > bound.faults) ||
		(bound.bytes > 0 && fs.bytes+size > bound.bytes) {
		return nil, false
	}
	fs.bytes += size
	out := make([]PendingFault, len(add))
	for i, p := range add {
		fs.seq++
		p.id = fmt.Sprintf("flt-%06d", fs.seq)
		out[i] = p.snapshot()
	}
	fs.pending = append(fs.pending, add...)
	return out, true
}

// Clear removes every pending fault. IDs keep counting.
func (fs *Faults) Clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.pending = nil
	fs.bytes = 0
}

// reset removes every pending fault and starts the IDs over.
func (fs *Faults) reset() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.pending = nil
	fs.bytes = 0
	fs.seq = 0
}

// Pending reports how many faults are still queued; a fault stays queued
// until it has given all its answers.
func (fs *Faults) Pending() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.pending)
}

// heldBytes returns about the bytes the pending faults hold.
func (fs *Faults) heldBytes() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.bytes
}

// List returns the pending faults, in the order they match requests.
func (fs *Faults) List() []PendingFault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]PendingFault, len(fs.pending))
	for i, p := range fs.pending {
		out[i] = p.snapshot()
	}
	return out
}

// Get returns the pending fault with the given ID, and whether there is
// one.
func (fs *Faults) Get(id string) (PendingFault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, p := range fs.pending {
		if p.id == id {
			return p.snapshot(), true
		}
	}
	return PendingFault{}, false
}

// Remove removes the pending fault with the given ID and reports whether
// there was one.
func (fs *Faults) Remove(id string) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, p := range fs.pending {
		if p.id == id {
			fs.removeLocked(i)
			return true
		}
	}
	return false
}

// removeLocked removes the i-th pending fault. fs.mu must be held.
func (fs *Faults) removeLocked(i int) {
	fs.bytes -= fs.pending[i].size
	fs.pending = append(fs.pending[:i:i], fs.pending[i+1:]...)
}

// Bytes a pending fault holds beyond its strings, its body and its
// headers: the fault, its ID and its place in the queue.
const faultOverhead = 300

// faultSize returns about the bytes a pending fault of f holds.
func faultSize(f *Fault) int {
	return faultOverhead + len(f.Route) + len(f.SessionID) + len(f.Token) + len(f.UserID) +
		len(f.Code) + len(f.RetryAfter) + cap(f.Body) + headerBytes(f.Header)
}

// issued reports whether id is one the queue has given since its IDs
// last started over.
func (fs *Faults) issued(id string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "flt-"))
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return err == nil && strings.HasPrefix(id, "flt-") && n >= 1 && n <= fs.seq
}

func (p *pendingFault) snapshot() PendingFault {
	f := p.f
	f.Header = f.Header.Clone()
	if f.Body != nil {
		f.Body = append([]byte{}, f.Body...)
	}
	return PendingFault{ID: p.id, Fault: f, Remaining: p.left, Fired: p.fired}
}

// target is what a fault can select a request by.
type target struct {
	method    string
	rt        route
	token     string // the bearer token, or empty
	userID    string // of the token's session, or empty
	sessionID string // the token's session, or empty
}

func (p *pendingFault) matches(t target) bool {
	f := p.f
	switch {
	case p.sel.method != "" && p.sel.method != t.method,
		p.sel.pattern != "" && (!t.rt.found || p.sel.pattern != t.rt.pattern),
		f.SessionID != "" && !p.selectsSession(t),
		f.Token != "" && f.Token != t.token,
		f.UserID != "" && f.UserID != t.userID:
		return false
	}
	return true
}

// selectsSession reports whether t is a request the fault's SessionID
// selects: one that names the session and revokes it, or reads it when
// the fault's Route has the method GET.
func (p *pendingFault) selectsSession(t target) bool {
	method := http.MethodDelete
	if p.sel.method == http.MethodGet {
		method = http.MethodGet
	}
	return t.method == method && t.rt.found && hasSessionID(t.rt.pattern) && t.rt.sessionID == p.f.SessionID
}

// take consumes one answer of the first fault matching a request, and
// returns the fault and its ID.
func (fs *Faults) take(t target) (Fault, string, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, p := range fs.pending {
		if !p.matches(t) {
			continue
		}
		p.fired++
		if p.left != Unlimited {
			p.left--
			if p.left == 0 {
				fs.removeLocked(i)
			}
		}
		return p.f, p.id, true
	}
	return Fault{}, "", false
}
