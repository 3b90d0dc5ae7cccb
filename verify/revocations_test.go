package verify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/jwtsign"
)

// revocationsFixture is a Verifier with Revocations on one clock.
type revocationsFixture struct {
	clk  *clock
	s    *jwtsign.Signer
	revs *Revocations
	v    *Verifier
}

func newRevocationsFixture(t *testing.T, cfg RevocationsConfig) *revocationsFixture {
	t.Helper()
	f := &revocationsFixture{clk: newClock(), s: newSigner(t)}
	if cfg.Now == nil {
		cfg.Now = f.clk.Now
	}
	var err error
	f.revs, err = NewRevocationsWithConfig(cfg)
	require.NoError(t, err)
	f.v = staticVerifier(t, f.s, f.clk, func(c *Config) { c.Revocations = f.revs })
	return f
}

// token returns a token of user and session issued at iat.
func (f *revocationsFixture) token(t *testing.T, user, session string, iat time.Time) string {
	c := accessClaims(iat)
	c.Sub, c.SessionID = user, jwtsign.Ptr(session)
	if session == "" {
		c.SessionID = nil
	}
	return sign(t, f.s, c)
}

func (f *revocationsFixture) verify(t *testing.T, token string) error {
	_, err := f.v.Verify(ctx, token)
	return err
}

func TestRevokeSession(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{})
	phone := f.token(t, "u1", "phone", f.clk.Now())
	laptop := f.token(t, "u1", "laptop", f.clk.Now())
	require.NoError(t, f.verify(t, phone))

	require.NoError(t, f.revs.RevokeSession("phone"))
	err := f.verify(t, phone)
	assert.ErrorIs(t, err, ErrRevoked)
	assert.NotErrorIs(t, err, ErrInvalidToken)
	assert.NoError(t, f.verify(t, laptop), "another session of the user")
	assert.NoError(t, f.verify(t, f.token(t, "u2", "tablet", f.clk.Now())), "another user")

	f.clk.Advance(time.Minute)
	assert.ErrorIs(t, f.verify(t, f.token(t, "u1", "phone", f.clk.Now())), ErrRevoked, "a later token of the session")

	assert.Error(t, f.revs.RevokeSession(""))
}

func TestRevokeUser(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{})
	t0 := f.clk.Now()
	before := f.token(t, "u1", "phone", t0)
	sessionless := f.token(t, "u1", "", t0)
	f.clk.Advance(10 * time.Second)
	require.NoError(t, f.revs.RevokeUser("u1", f.clk.Now()))

	assert.ErrorIs(t, f.verify(t, before), ErrRevoked, "issued before")
	assert.ErrorIs(t, f.verify(t, sessionless), ErrRevoked, "issued before, outside a session")
	assert.ErrorIs(t, f.verify(t, f.token(t, "u1", "phone", f.clk.Now())), ErrRevoked, "issued in the revocation's second: perhaps before it")
	f.clk.Advance(time.Second)
	assert.NoError(t, f.verify(t, f.token(t, "u1", "new", f.clk.Now())), "issued in a later second: a new sign-in")
	assert.NoError(t, f.verify(t, f.token(t, "u2", "phone", t0)), "another user")

	// Tokens carry whole seconds: one issued in the revocation's second,
	// before it, is revoked.
	require.NoError(t, f.revs.RevokeUser("u3", f.clk.Now().Add(500*time.Millisecond)))
	assert.ErrorIs(t, f.verify(t, f.token(t, "u3", "s", f.clk.Now())), ErrRevoked)

	assert.Error(t, f.revs.RevokeUser("", f.clk.Now()))
	assert.Error(t, f.revs.RevokeUser("u1", time.Time{}))
}

func TestRevokeUserExcept(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{})
	t0 := f.clk.Now()
	current := f.token(t, "u1", "current", t0)
	other := f.token(t, "u1", "other", t0)
	f.clk.Advance(time.Second)
	require.NoError(t, f.revs.RevokeUserExcept("u1", f.clk.Now(), "current"))
	assert.NoError(t, f.verify(t, current))
	assert.ErrorIs(t, f.verify(t, other), ErrRevoked)

	// A later revocation of everything wins over the kept session.
	f.clk.Advance(time.Second)
	require.NoError(t, f.revs.RevokeUser("u1", f.clk.Now()))
	assert.ErrorIs(t, f.verify(t, current), ErrRevoked)
}

func TestRevocationsForgetWhatNoValidTokenMatches(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{})
	mem := f.revs.memory
	const n = 10_000
	for i := range n {
		require.NoError(t, f.revs.RevokeSession(fmt.Sprint("s", i)))
		require.NoError(t, f.revs.RevokeUser(fmt.Sprint("u", i), f.clk.Now()))
	}
	assert.Equal(t, 2*n, mem.len())
	revokedToken := f.token(t, "u1", "s1", f.clk.Now())
	assert.ErrorIs(t, f.verify(t, revokedToken), ErrRevoked)

	// Until the last moment a token they match can be accepted, the
	// records stay, even as new ones come.
	f.clk.Advance(DefaultTokenLifetime + DefaultRevocationLeeway)
	require.NoError(t, f.revs.RevokeSession("late"))
	assert.Greater(t, mem.len(), 2*n-1)

	// Past it (a session's record waits a second leeway, for an issuer's
	// clock running ahead), they go with the next sweep.
	f.clk.Advance(DefaultRevocationLeeway + time.Second)
	require.NoError(t, f.revs.RevokeSession("later"))
	assert.Equal(t, 2, mem.len(), "the two records made since")

	// A record of tokens that have all expired is not kept at all: those
	// of the second before before's, and earlier, were last accepted a
	// second ago.
	require.NoError(t, f.revs.RevokeUser("old", f.clk.Now().Add(-DefaultTokenLifetime-DefaultRevocationLeeway-time.Second)))
	assert.Equal(t, 2, mem.len())
}

func TestRevocationsMemoryStaysBoundedUnderSteadyRevocations(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{TokenLifetime: time.Minute, Leeway: time.Second})
	peak := 0
	for i := range 20_000 {
		require.NoError(t, f.revs.RevokeSession(fmt.Sprint("s", i)))
		f.clk.Advance(100 * time.Millisecond) // 600 revocations per token lifetime
		peak = max(peak, f.revs.memory.len())
	}
	assert.LessOrEqual(t, peak, 2*(600+20)+minSweepSize, "twice the records that can still match")
}

func TestVerifyRefusesATokenThatOutlivesItsRevocationRecord(t *testing.T) {
	f := newRevocationsFixture(t, RevocationsConfig{TokenLifetime: 5 * time.Minute})
	c := accessClaims(f.clk.Now()) // 15 minutes
	_, err := f.v.Verify(ctx, sign(t, f.s, c))
	assert.ErrorIs(t, err, ErrInvalidToken)
	c.Exp = f.clk.Now().Add(5 * time.Minute).Unix()
	_, err = f.v.Verify(ctx, sign(t, f.s, c))
	assert.NoError(t, err)
}

// failingStore is a RevocationStore out of reach.
type failingStore struct{}

var errStoreDown = errors.New("store down")

func (failingStore) Add(context.Context, Revocation) error { return errStoreDown }
func (failingStore) Revoked(context.Context, string, string, time.Time) (bool, error) {
	return false, errStoreDown
}

func TestRevocationsBehindAStoreOfTheirOwn(t *testing.T) {
	t.Run("a store that fails refuses tokens", func(t *testing.T) {
		f := newRevocationsFixture(t, RevocationsConfig{Store: failingStore{}})
		err := f.verify(t, f.token(t, "u1", "s1", f.clk.Now()))
		assert.ErrorIs(t, err, ErrRevocationsUnavailable)
		assert.ErrorIs(t, err, errStoreDown)
		assert.NotErrorIs(t, err, ErrInvalidToken)
		assert.NotErrorIs(t, err, ErrRevoked)
		assert.ErrorIs(t, f.revs.RevokeSession("s1"), errStoreDown)
	})
	t.Run("records reach the store", func(t *testing.T) {
		store := &recordingStore{memoryStore: newMemoryStore(func() time.Time { return epoch })}
		f := newRevocationsFixture(t, RevocationsConfig{Store: store})
		require.NoError(t, f.revs.RevokeSession("s1"))
		require.NoError(t, f.revs.RevokeUserExcept("u2", f.clk.Now(), "keep"))
		require.Len(t, store.added, 2)
		assert.Equal(t, Revocation{SessionID: "s1", Expires: f.clk.Now().Add(DefaultTokenLifetime + 2*DefaultRevocationLeeway)}, store.added[0])
		// Before is the second after the revocation's: tokens of its
		// second are revoked too.
		next := f.clk.Now().Add(time.Second)
		assert.Equal(t, Revocation{UserID: "u2", Before: next, Keep: []string{"keep"}, Expires: next.Add(DefaultTokenLifetime + DefaultRevocationLeeway)}, store.added[1])
		assert.ErrorIs(t, f.verify(t, f.token(t, "u1", "s1", f.clk.Now())), ErrRevoked)
	})
}

type recordingStore struct {
	*memoryStore
	added []Revocation
}

func (s *recordingStore) Add(ctx context.Context, r Revocation) error {
	s.added = append(s.added, r)
	return s.memoryStore.Add(ctx, r)
}

func TestMemoryStoreKeepsFewRulesPerUser(t *testing.T) {
	m := newMemoryStore(func() time.Time { return epoch })
	exp := epoch.Add(time.Hour)
	at := func(s int) time.Time { return epoch.Add(time.Duration(s) * time.Second) }
	for i := range 10 {
		require.NoError(t, m.Add(ctx, Revocation{UserID: "u", Before: at(i), Keep: []string{fmt.Sprint("k", i)}, Expires: exp}))
	}
	assert.LessOrEqual(t, len(m.users["u"]), maxRulesPerUser)
	// Merging only ever revokes more: every token a rule revoked still is.
	for i := range 10 {
		hit, err := m.Revoked(ctx, "u", "other", at(i-1))
		require.NoError(t, err)
		assert.True(t, hit, i)
	}
	// A rule that keeps nothing subsumes the earlier ones.
	require.NoError(t, m.Add(ctx, Revocation{UserID: "u", Before: at(20), Expires: exp}))
	assert.Len(t, m.users["u"], 1)
}

func TestNewRevocationsWithConfigRefusesNegativeDurations(t *testing.T) {
	_, err := NewRevocationsWithConfig(RevocationsConfig{TokenLifetime: -1})
	assert.Error(t, err)
	_, err = NewRevocationsWithConfig(RevocationsConfig{Leeway: -1})
	assert.Error(t, err)
}
