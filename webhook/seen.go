package webhook

import (
	"context"
	"sync"
)

// DefaultRemember is how many delivery IDs a [Handler] remembers having
// handled. The server sends a delivery again within hours (six attempts
// with growing backoff); at the rate of a busy tenant's session changes,
// ten thousand IDs cover that window, and they take about 1 MB for the
// server's 36-byte IDs.
const DefaultRemember = 10000

// seen is the bounded memory of handled delivery IDs: the most recent
// ones in a ring, the oldest forgotten first, and the deliveries being
// handled now, so that a copy arriving meanwhile waits for the first.
type seen struct {
	mu       sync.Mutex
	limit    int
	ring     []string
	next     int
	done     map[string]struct{}
	inFlight map[string]chan struct{}
}

// claim returns handled true when id was handled successfully already.
// Otherwise the caller owns id until it calls release, and a concurrent
// claim of the same id waits for that.
func (s *seen) claim(ctx context.Context, id string, limit int) (handled bool, err error) {
	for {
		s.mu.Lock()
		if s.done == nil {
			s.limit = limit
			s.done = make(map[string]struct{})
			s.inFlight = make(map[string]chan struct{})
		}
		if _, ok := s.done[id]; ok {
			s.mu.Unlock()
			return true, nil
		}
		wait, busy := s.inFlight[id]
		if !busy {
			s.inFlight[id] = make(chan struct{})
			s.mu.Unlock()
			return false, nil
		}
		s.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
}

// release ends the handling of id, remembering it if it succeeded.
func (s *seen) release(id string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.inFlight[id])
	delete(s.inFlight, id)
	if !ok {
		return
	}
	if len(s.ring) < s.limit {
		s.ring = append(s.ring, id)
	} else {
		delete(s.done, s.ring[s.next])
		s.ring[s.next] = id
		s.next = (s.next + 1) % s.limit
	}
	s.done[id] = struct{}{}
}
