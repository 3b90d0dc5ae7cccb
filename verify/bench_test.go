package verify

import (
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchToken returns a verifier with its key cached and Revocations set,
// a valid token of the server's form, and the Ed25519 half of its
// signature with the signing input.
func benchToken(b testing.TB) (v *Verifier, token string, pub ed25519.PublicKey, msg, sig []byte) {
	s := newSigner(b)
	clk := newClock()
	revs, err := NewRevocationsWithConfig(RevocationsConfig{Now: clk.Now})
	require.NoError(b, err)
	for i := range 1000 {
		require.NoError(b, revs.RevokeSession(fmt.Sprint("other", i)))
	}
	v = staticVerifier(b, s, clk, func(c *Config) { c.Revocations = revs })
	token = sign(b, s, accessClaims(clk.Now()))
	dot := strings.LastIndexByte(token, '.')
	full, err := enc.DecodeString(token[dot+1:])
	require.NoError(b, err)
	_, err = v.Verify(ctx, token)
	require.NoError(b, err)
	return v, token, s.PublicKey(), []byte(token[:dot]), full[:ed25519.SignatureSize]
}

// BenchmarkVerify is Verify of a valid token of the server's form (a
// hybrid signature of 3,373 bytes, the claims of a sign-in) with its key
// cached and 1,000 revocations on record, beside a bare ed25519.Verify of
// the same signing input: the first costs at most 1.5 times the second.
func BenchmarkVerify(b *testing.B) {
	v, token, pub, msg, sig := benchToken(b)
	b.Run("Verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ed25519.Verify", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("no")
			}
		}
	})
}

// BenchmarkVerifyRatio measures both halves of BenchmarkVerify in turns
// within one run and reports Verify's time over ed25519.Verify's as
// "x-ed25519".
func BenchmarkVerifyRatio(b *testing.B) {
	v, token, pub, msg, sig := benchToken(b)
	var verify, bare time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := v.Verify(ctx, token); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("no")
		}
		verify += t1.Sub(t0)
		bare += time.Since(t1)
	}
	b.ReportMetric(float64(verify)/float64(bare), "x-ed25519")
}

// BenchmarkRevocationCheck is the check of a token against Revocations
// holding 10, 10,000 and 1,000,000 records: the same cost for each.
func BenchmarkRevocationCheck(b *testing.B) {
	for _, n := range []int{10, 10_000, 1_000_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			revs := NewRevocations()
			for i := range n / 2 {
				require.NoError(b, revs.RevokeSession(fmt.Sprint("s", i)))
				require.NoError(b, revs.RevokeUser(fmt.Sprint("u", i), time.Now()))
			}
			c := &Claims{Subject: "u1", SessionID: "live", IssuedAt: time.Now().Add(time.Second)}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := revs.check(ctx, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestVerifyAllocatesAHandful pins what a verification costs in
// allocations: the Claims, the payload's text and the roles.
func TestVerifyAllocatesAHandful(t *testing.T) {
	v, token, _, _, _ := benchToken(t)
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := v.Verify(ctx, token); err != nil {
			t.Fatal(err)
		}
	})
	if !raceEnabled {
		assert.LessOrEqual(t, allocs, 5.0)
	}
	t.Logf("%.0f allocations per Verify", allocs)
}
