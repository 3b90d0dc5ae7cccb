package verify

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// keySet is the keys a token's signature is tried against: the Config's
// own, then the key set's. It is never changed once published.
type keySet struct {
	keys []ed25519.PublicKey
	// fetched is whether the keys include the key set's: false until a
	// fetch succeeds, when only the Config's keys are known.
	fetched bool
}

// verify reports whether any key of s verifies sig over msg.
func (s *keySet) verify(msg, sig []byte) bool {
	for _, k := range s.keys {
		if ed25519.Verify(k, msg, sig) {
			return true
		}
	}
	return false
}

// keySource keeps the keys of a Verifier and fetches the key set: on
// first need, and again when a signature verifies with no cached key, at
// most once per RefetchInterval, one fetch at a time (later callers wait
// for the fetch in flight). A failed fetch keeps the cached keys.
type keySource struct {
	url    string // "" when only the Config's keys are trusted
	client *http.Client
	now    func() time.Time
	static []ed25519.PublicKey
	// timeout bounds a fetch: FetchTimeout, shorter in tests.
	timeout time.Duration

	set atomic.Pointer[keySet] // read without the lock on every Verify

	mu       sync.Mutex
	last     time.Time  // when the last fetch began; zero before the first
	inflight *fetchCall // the fetch in flight, or nil
	lastErr  error      // the last fetch's failure, nil after a success
}

// fetchCall is one fetch of the key set, which callers wait for.
type fetchCall struct {
	done chan struct{}
	set  *keySet // the keys after the fetch, failed or not
	err  error
}

func newKeySource(url string, client *http.Client, static []ed25519.PublicKey, now func() time.Time) *keySource {
	s := &keySource{url: url, client: client, now: now, static: static, timeout: FetchTimeout}
	s.set.Store(&keySet{keys: static})
	return s
}

// current returns the cached keys.
func (s *keySource) current() *keySet { return s.set.Load() }

// errThrottled is refresh's answer when the last fetch began less than
// RefetchInterval ago and succeeded: there is nothing newer to try.
var errThrottled = errors.New("key set fetched less than 5s ago")

// waitEnded is refresh's error when the caller's context ended while it
// waited for a fetch: the fetch goes on for others, and whether its keys
// verify the token is not known.
type waitEnded struct{ err error }

func (e *waitEnded) Error() string { return "stopped waiting for the key set: " + e.err.Error() }

func (e *waitEnded) Unwrap() error { return e.err }

// refresh returns keys newer than seen: those another caller fetched
// since seen was read, or those of a fetch it starts or joins. With no
// key set URL, or within RefetchInterval of the last fetch, it returns
// seen and errThrottled, or the last fetch's error if that failed. When
// ctx ends first, it returns seen and a *waitEnded.
func (s *keySource) refresh(ctx context.Context, seen *keySet) (*keySet, error) {
	if s.url == "" {
		return seen, errThrottled
	}
	s.mu.Lock()
	if cur := s.set.Load(); cur != seen {
		s.mu.Unlock()
		return cur, nil
	}
	call := s.inflight
	if call == nil {
		now := s.now()
		if !s.last.IsZero() && !now.Before(s.last) && now.Sub(s.last) < RefetchInterval {
			err := s.lastErr
			s.mu.Unlock()
			if err == nil {
				err = errThrottled
			}
			return seen, err
		}
		s.last = now
		call = &fetchCall{done: make(chan struct{})}
		s.inflight = call
		// The fetch runs on a goroutine of its own, bounded by
		// FetchTimeout, so that the caller who started it can give up
		// (its context ends) without failing those who wait with it.
		go s.fetch(call)
	}
	s.mu.Unlock()
	select {
	case <-call.done:
		return call.set, call.err
	case <-ctx.Done():
		return seen, &waitEnded{err: ctx.Err()}
	}
}

// fetch runs call: it fetches the key set and publishes its keys beside
// the static ones, or keeps the cached keys when the fetch fails.
func (s *keySource) fetch(call *fetchCall) {
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	keys, err := fetchKeySet(ctx, s.client, s.url)
	cancel()
	s.mu.Lock()
	if err == nil {
		set := &keySet{keys: make([]ed25519.PublicKey, 0, len(s.static)+len(keys)), fetched: true}
		set.keys = append(append(set.keys, s.static...), keys...)
		s.set.Store(set)
	}
	call.set, call.err = s.set.Load(), err
	s.lastErr = err
	s.inflight = nil
	s.mu.Unlock()
	close(call.done)
}
