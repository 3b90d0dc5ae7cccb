package vaulttest

import (
	"context"
	"fmt"
)

// The waits of WaitRequests and GET /requests/wait. Each pending wait
// keeps count of the records of the log that it matches, updated as a
// record is added, answered or dropped, so that a request costs every
// pending wait one match of that record, not a scan and a copy of the
// log.

// requestWait is a pending wait for n records that m matches.
type requestWait struct {
	m     *requestMatcher
	n     int
	count int           // of the records of the log that m matches
	done  chan struct{} // closed once count reaches n
}

// addWaitLocked returns a wait for n records that m matches, its done
// closed already if the log holds them. h.mu must be held.
func (h *Handler) addWaitLocked(m *requestMatcher, n int) *requestWait {
	w := &requestWait{m: m, n: n, done: make(chan struct{})}
	for _, rec := range h.requests.all() {
		if m.match(rec) {
			w.count++
		}
	}
	if w.count >= n {
		close(w.done)
		return w
	}
	if h.waits == nil {
		h.waits = make(map[*requestWait]struct{})
	}
	h.waits[w] = struct{}{}
	return w
}

// removeWaitLocked forgets w, a wait that ended. h.mu must be held.
func (h *Handler) removeWaitLocked(w *requestWait) {
	delete(h.waits, w)
}

// recordAddedLocked counts rec, just added to the log, for the waits it
// matches, and ends those it completes. h.mu must be held.
func (h *Handler) recordAddedLocked(rec *record) {
	for w := range h.waits {
		if w.m.match(rec) {
			w.count++
			h.endIfCompleteLocked(w)
		}
	}
}

// recordDroppedLocked takes rec, which the log drops, out of the counts
// of the waits it matches. h.mu must be held.
func (h *Handler) recordDroppedLocked(rec *record) {
	for w := range h.waits {
		if w.m.match(rec) {
			w.count--
		}
	}
}

// changeRecordLocked applies change to rec, the record of a request
// being answered, and recounts it for the waits if the log still holds
// it. h.mu must be held: the status and the fault of a record change
// under it.
func (h *Handler) changeRecordLocked(rec *record, change func(*Request)) {
	if len(h.waits) == 0 || !h.requests.contains(rec) {
		change(&rec.Request)
		return
	}
	old := *rec
	change(&rec.Request)
	for w := range h.waits {
		switch before, after := w.m.match(&old), w.m.match(rec); {
		case after && !before:
			w.count++
			h.endIfCompleteLocked(w)
		case !after && before:
			w.count--
		}
	}
}

// logClearedLocked sets the counts of the waits to zero: the log was
// emptied. h.mu must be held.
func (h *Handler) logClearedLocked() {
	for w := range h.waits {
		w.count = 0
	}
}

// endIfCompleteLocked ends w if it has its n records. h.mu must be held.
func (h *Handler) endIfCompleteLocked(w *requestWait) {
	if w.count >= w.n {
		close(w.done)
		delete(h.waits, w)
	}
}

// waitMatching waits until at least n records of the log match m. If
// ctx ends first, it returns the error of ctx, wrapped, with how many
// matched.
func (h *Handler) waitMatching(ctx context.Context, m *requestMatcher, n int) error {
	h.mu.Lock()
	w := h.addWaitLocked(m, n)
	h.mu.Unlock()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
	}
	h.mu.Lock()
	h.removeWaitLocked(w)
	got, dropped := w.count, h.requests.dropped
	h.mu.Unlock()
	select {
	case <-w.done:
		// Completed as ctx ended.
		return nil
	default:
	}
	return &waitError{got: got, n: n, dropped: dropped, err: ctx.Err()}
}

// waitError is the error of a wait that ended before its requests
// arrived.
type waitError struct {
	// got of the n requests waited for are in the log; it has dropped
	// dropped requests, matching or not, since it was last emptied.
	got, n, dropped int
	err             error
}

func (e *waitError) Error() string {
	return fmt.Sprintf("vaulttest: the request log holds %d of the %d requests waited for%s: %v", e.got, e.n, e.droppedNote(), e.err)
}

// droppedNote says, if the log dropped requests, that those it holds
// may not be all that arrived.
func (e *waitError) droppedNote() string {
	if e.dropped == 0 {
		return ""
	}
	return fmt.Sprintf(" (it dropped the oldest %d requests, matching or not, to stay within its bounds)", e.dropped)
}

func (e *waitError) Unwrap() error { return e.err }
