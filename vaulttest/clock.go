package vaulttest

import (
	"fmt"
	"time"
)

// The server's clock runs, following the clock of WithClock (time.Now by
// default) moved on by Advance, until Freeze or SetNow stops it; Unfreeze
// lets it run again from the time it shows. Session expiry, timestamps
// and rate-limit windows all follow it.

// Now returns the server's current time.
func (h *Handler) Now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.nowLocked()
}

// lastInstant is the latest time the clock reads: a running clock stops
// there, as the times after it have no RFC 3339 form to answer with.
var lastInstant = time.Date(9999, time.December, 31, 23, 59, 59, 999999999, time.UTC)

func (h *Handler) nowLocked() time.Time {
	if h.frozen {
		return h.now
	}
	real := h.cfg.clock()
	if h.runAt.IsZero() {
		return real
	}
	if now := h.runFrom.Add(real.Sub(h.runAt)); now.Before(lastInstant) {
		return now
	}
	return lastInstant
}

// runLocked lets the clock run from t, as shown now. The clock keeps the
// time it runs from, not its distance from the real time, which a
// time.Duration cannot hold beyond about 292 years.
func (h *Handler) runLocked(t time.Time) {
	h.runFrom, h.runAt, h.frozen = t.UTC(), h.cfg.clock(), false
}

// SetNow freezes the server's clock at t, until Unfreeze or Reset.
func (h *Handler) SetNow(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.frozen = true
	h.now = t.UTC()
}

// Advance moves the server's clock forward by d, or back for a negative
// d. A running clock keeps running, d ahead of where it was; a frozen one
// stays frozen, at its time plus d.
func (h *Handler) Advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.frozen {
		h.now = h.now.Add(d)
		return
	}
	h.runLocked(h.nowLocked().Add(d))
}

// Freeze stops the server's clock at the time it shows, until Unfreeze
// or Reset. A frozen clock stays frozen.
func (h *Handler) Freeze() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.frozen {
		h.now = h.nowLocked().UTC()
		h.frozen = true
	}
}

// Unfreeze lets a frozen clock run again from the time it shows. A
// running clock keeps running.
func (h *Handler) Unfreeze() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.frozen {
		h.runLocked(h.now)
	}
}

// Frozen reports whether the server's clock is frozen.
func (h *Handler) Frozen() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.frozen
}

// changeClock sets the clock to now, if not nil, which freezes it unless
// frozen is false, moves it by d, then freezes it or lets it run as
// frozen says, if not nil: all at once, or not at all if the clock would
// then read a time outside the years 1 to 9999, which have no RFC 3339
// form to answer with.
func (h *Handler) changeClock(now *time.Time, d time.Duration, frozen *bool) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	next := h.nowLocked()
	if now != nil {
		next = *now
	}
	if next = next.Add(d); next.Year() < 1 || next.Year() > 9999 {
		return fmt.Errorf("the clock would read %s, outside the years 1 to 9999", next.Format(time.RFC3339))
	}
	if now != nil {
		h.frozen, h.now = true, now.UTC()
	}
	if h.frozen {
		h.now = h.now.Add(d)
	} else {
		h.runLocked(h.nowLocked().Add(d))
	}
	if frozen != nil && *frozen != h.frozen {
		if *frozen {
			h.now, h.frozen = h.nowLocked().UTC(), true
		} else {
			h.runLocked(h.now)
		}
	}
	return nil
}
