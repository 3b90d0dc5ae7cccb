package verify

import (
	"context"
	"slices"
	"sync"
	"time"
)

// RevocationStore holds the revocation records of a Revocations. The
// in-memory store of NewRevocations is the default; a service whose
// instances share their revocations (a fleet behind a load balancer gets
// each webhook on one instance only) implements this interface over a
// shared store, such as Redis with keys that expire at Revocation.Expires
// and a local cache kept fresh by pub/sub, and passes it in
// RevocationsConfig.Store. The Verifier is the same either way.
//
// A store is safe for concurrent use. It may drop a record after its
// Expires: no token it matches can be accepted any more.
type RevocationStore interface {
	// Add records r.
	Add(ctx context.Context, r Revocation) error
	// Revoked reports whether a record matches a token of userID and
	// sessionID issued at issuedAt: a session record of sessionID, or a
	// user record of userID whose Before is after issuedAt and whose
	// Keep does not hold sessionID.
	Revoked(ctx context.Context, userID, sessionID string, issuedAt time.Time) (bool, error)
}

// Revocation is one record of a RevocationStore: a session's tokens, or
// a user's tokens issued before a time, except those of the sessions the
// user keeps.
type Revocation struct {
	// SessionID, when set, revokes every token of that session; the other
	// fields but Expires are then empty.
	SessionID string
	// UserID, when set, revokes the user's tokens issued before Before,
	// except those of the sessions in Keep. Revocations sets Before to
	// the second after the revocation's time, since a token's iat is a
	// whole second: a token of the revocation's second is revoked.
	UserID string
	Before time.Time
	Keep   []string
	// Expires is when no token the record matches can be accepted any
	// more: the store may drop the record after it.
	Expires time.Time
}

// userRule is a user record as the memory store keeps it.
type userRule struct {
	before  time.Time
	keep    []string
	expires time.Time
}

// matches reports whether r revokes a token of sessionID issued at iat.
func (r *userRule) matches(sessionID string, iat time.Time) bool {
	return iat.Before(r.before) && !slices.Contains(r.keep, sessionID)
}

// subsumes reports whether r revokes every token that o revokes.
func (r *userRule) subsumes(o *userRule) bool {
	if r.before.Before(o.before) {
		return false
	}
	for _, id := range r.keep {
		if !slices.Contains(o.keep, id) {
			return false
		}
	}
	return true
}

// maxRulesPerUser bounds the user records the memory store keeps for one
// user. Past it, the two oldest merge into one that revokes more (the
// later Before, the sessions both keep): more tokens refused for a while,
// never one accepted that a record revokes.
const maxRulesPerUser = 4

// memoryStore is the default RevocationStore: two maps behind a lock, so
// that a check costs two map lookups and a scan of the token's user's
// rules (at most maxRulesPerUser), whatever the number of records.
// Records are dropped once they expire, by a sweep that an Add runs when
// the records have doubled since the last sweep or a minute has passed:
// memory stays within twice the records that can still match a valid
// token, and a sweep costs each Add O(1) on average.
type memoryStore struct {
	now func() time.Time

	mu        sync.RWMutex
	sessions  map[string]time.Time // session ID → expires
	users     map[string][]userRule
	sweepSize int       // the record count that triggers the next sweep
	sweepAt   time.Time // the time that triggers the next sweep
}

// minSweepSize is the fewest records that trigger a sweep, and
// sweepEvery the longest time between two sweeps while records are added.
const (
	minSweepSize = 64
	sweepEvery   = time.Minute
)

func newMemoryStore(now func() time.Time) *memoryStore {
	return &memoryStore{
		now:       now,
		sessions:  make(map[string]time.Time),
		users:     make(map[string][]userRule),
		sweepSize: minSweepSize,
	}
}

func (m *memoryStore) Add(_ context.Context, r Revocation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.SessionID != "" {
		if old, ok := m.sessions[r.SessionID]; !ok || r.Expires.After(old) {
			m.sessions[r.SessionID] = r.Expires
		}
	} else {
		m.addUserLocked(r)
	}
	if len(m.sessions)+len(m.users) >= m.sweepSize || !m.now().Before(m.sweepAt) {
		m.sweepLocked()
	}
	return nil
}

func (m *memoryStore) addUserLocked(r Revocation) {
	rule := userRule{before: r.Before, keep: slices.Clone(r.Keep), expires: r.Expires}
	rules := m.users[r.UserID]
	for _, old := range rules {
		if old.subsumes(&rule) {
			return
		}
	}
	rules = slices.DeleteFunc(rules, func(old userRule) bool { return rule.subsumes(&old) })
	rules = append(rules, rule)
	if len(rules) > maxRulesPerUser {
		a, b := rules[0], rules[1]
		merged := userRule{before: a.before, keep: nil, expires: a.expires}
		if b.before.After(merged.before) {
			merged.before = b.before
		}
		if b.expires.After(merged.expires) {
			merged.expires = b.expires
		}
		for _, id := range a.keep {
			if slices.Contains(b.keep, id) {
				merged.keep = append(merged.keep, id)
			}
		}
		rules = append([]userRule{merged}, rules[2:]...)
	}
	m.users[r.UserID] = rules
}

func (m *memoryStore) Revoked(_ context.Context, userID, sessionID string, iat time.Time) (bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if sessionID != "" {
		if _, ok := m.sessions[sessionID]; ok {
			return true, nil
		}
	}
	for i := range m.users[userID] {
		if m.users[userID][i].matches(sessionID, iat) {
			return true, nil
		}
	}
	return false, nil
}

// sweepLocked drops the expired records and sets the size of the next
// sweep to twice what is left.
func (m *memoryStore) sweepLocked() {
	now := m.now()
	for id, exp := range m.sessions {
		if now.After(exp) {
			delete(m.sessions, id)
		}
	}
	for id, rules := range m.users {
		rules = slices.DeleteFunc(rules, func(r userRule) bool { return now.After(r.expires) })
		if len(rules) == 0 {
			delete(m.users, id)
		} else {
			m.users[id] = rules
		}
	}
	m.sweepSize = max(minSweepSize, 2*(len(m.sessions)+len(m.users)))
	m.sweepAt = now.Add(sweepEvery)
}

// len returns the number of records, for tests.
func (m *memoryStore) len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n := len(m.sessions)
	for _, rules := range m.users {
		n += len(rules)
	}
	return n
}
