package verify

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// NewRevocationsWithConfig accepts a TokenLifetime or a Leeway so long
// that the record's lifetime (TokenLifetime plus the leeway) overflows,
// such as the "no limit" of math.MaxInt64; the record then expires in the
// past, so RevokeSession and RevokeUser return nil and revoke nothing.
// Either the config is refused, or a revocation takes effect.
func TestRevocationsWithLongDurationsStillRevoke(t *testing.T) {
	for name, cfg := range map[string]RevocationsConfig{
		"TokenLifetime MaxInt64": {TokenLifetime: math.MaxInt64},
		"Leeway MaxInt64":        {Leeway: math.MaxInt64},
	} {
		t.Run(name, func(t *testing.T) {
			clk := newClock()
			cfg.Now = clk.Now
			if _, err := NewRevocationsWithConfig(cfg); err != nil {
				return // refused up front: fine
			}
			t.Run("RevokeSession", func(t *testing.T) {
				f := newRevocationsFixture(t, cfg)
				token := f.token(t, "u1", "s1", f.clk.Now())
				assert.NoError(t, f.revs.RevokeSession("s1"))
				assert.ErrorIs(t, f.verify(t, token), ErrRevoked)
			})
			t.Run("RevokeUser", func(t *testing.T) {
				f := newRevocationsFixture(t, cfg)
				token := f.token(t, "u1", "s1", f.clk.Now())
				assert.NoError(t, f.revs.RevokeUser("u1", f.clk.Now().Add(time.Second)))
				assert.ErrorIs(t, f.verify(t, token), ErrRevoked)
			})
		})
	}
}
