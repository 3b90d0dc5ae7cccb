package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// DefaultRemember is how many deliveries a [Handler] remembers having
// handled. The server sends a delivery again within hours (six attempts
// with growing backoff); at the rate of a busy tenant's session changes,
// ten thousand deliveries cover that window. Each is remembered as a
// 32-byte digest of its ID and body, about 100 bytes with the bookkeeping
// around it whatever the ID's and the body's length, so about 1 MB in
// all.
const DefaultRemember = 10000

// deliveryKey names a delivery by its ID and its body together: the
// server sends every attempt of a delivery with the same ID and the same
// body, and X-Webhook-ID alone is not signed in the timestamp form.
type deliveryKey [sha256.Size]byte

// keyOf returns the SHA-256 of the ID's length, the ID and the body, so
// that no two (ID, body) pairs share their bytes.
func keyOf(id string, body []byte) deliveryKey {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(id)))])
	h.Write([]byte(id))
	h.Write(body)
	var k deliveryKey
	h.Sum(k[:0])
	return k
}

// seen is the bounded memory of handled deliveries: the keys of the most
// recent ones in a ring, the oldest forgotten first, and the deliveries
// being handled now, so that a copy arriving meanwhile waits for the
// first. It holds fixed-size keys only, never an ID or a body.
type seen struct {
	mu       sync.Mutex
	limit    int
	ring     []deliveryKey
	next     int
	done     map[deliveryKey]struct{}
	inFlight map[deliveryKey]chan struct{}
}

// claim returns handled true when the delivery of key was handled
// successfully already. Otherwise the caller owns key until it calls
// release, and a concurrent claim of the same key waits for that.
func (s *seen) claim(ctx context.Context, key deliveryKey, limit int) (handled bool, err error) {
	for {
		s.mu.Lock()
		if s.done == nil {
			s.limit = limit
			s.done = make(map[deliveryKey]struct{})
			s.inFlight = make(map[deliveryKey]chan struct{})
		}
		if _, ok := s.done[key]; ok {
			s.mu.Unlock()
			return true, nil
		}
		wait, busy := s.inFlight[key]
		if !busy {
			s.inFlight[key] = make(chan struct{})
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

// release ends the handling of key, remembering it if it succeeded.
func (s *seen) release(key deliveryKey, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.inFlight[key])
	delete(s.inFlight, key)
	if !ok {
		return
	}
	if len(s.ring) < s.limit {
		s.ring = append(s.ring, key)
	} else {
		delete(s.done, s.ring[s.next])
		s.ring[s.next] = key
		s.next = (s.next + 1) % s.limit
	}
	s.done[key] = struct{}{}
}
