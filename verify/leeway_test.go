package verify

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestVerifyAppliesTheLeewayAtBothEdges(t *testing.T) {
	s := newSigner(t)
	for _, leeway := range []time.Duration{0, 30 * time.Second} {
		clk := newClock()
		v := staticVerifier(t, s, clk, func(c *Config) { c.Leeway = leeway })
		issued := clk.Now()
		claims := accessClaims(issued)
		token := sign(t, s, claims)
		exp, nbf := time.Unix(claims.Exp, 0), time.Unix(claims.Nbf, 0)
		tests := []struct {
			name string
			now  time.Time
			err  error
		}{
			{"at issue", issued, nil},
			{"at exp", exp, nil},
			{"at exp plus the leeway", exp.Add(leeway), nil},
			{"a nanosecond after exp plus the leeway", exp.Add(leeway + time.Nanosecond), ErrExpired},
			{"a minute after", exp.Add(leeway + time.Minute), ErrExpired},
			{"at nbf minus the leeway", nbf.Add(-leeway), nil},
			{"a nanosecond before nbf minus the leeway", nbf.Add(-leeway - time.Nanosecond), ErrExpired},
			{"an hour before", nbf.Add(-time.Hour), ErrExpired},
		}
		for _, tt := range tests {
			t.Run(leeway.String()+"/"+tt.name, func(t *testing.T) {
				clk.Set(tt.now)
				_, err := v.Verify(ctx, token)
				if tt.err == nil {
					assert.NoError(t, err)
					return
				}
				assert.ErrorIs(t, err, tt.err)
				assert.NotErrorIs(t, err, ErrInvalidToken)
			})
		}
	}
}

func TestVerifyRefusesATokenIssuedInTheFuture(t *testing.T) {
	s := newSigner(t)
	clk := newClock()
	v := staticVerifier(t, s, clk, func(c *Config) { c.Leeway = 10 * time.Second })
	claims := accessClaims(clk.Now())
	claims.Iat = clk.Now().Add(11 * time.Second).Unix()
	claims.Nbf = 0
	_, err := v.Verify(ctx, sign(t, s, claims))
	assert.ErrorIs(t, err, ErrInvalidToken)

	claims.Iat = clk.Now().Add(10 * time.Second).Unix()
	_, err = v.Verify(ctx, sign(t, s, claims))
	assert.NoError(t, err, "within the leeway")
}
