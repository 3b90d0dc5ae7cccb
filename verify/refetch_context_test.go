package verify

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// When the caller's context ends while Verify waits for a refetch of the
// key set, the verifier cannot tell whether the token is valid: after a
// key rotation it is. The error says so, wrapping the context's error,
// as it does when no key is cached, rather than calling the token
// invalid (which Middleware answers 401, and a client takes as a reason
// to drop its token).
func TestVerifyReportsTheContextEndingDuringARefetch(t *testing.T) {
	old, next := newSigner(t), newSigner(t)
	js := newJWKSServer(t, old)
	clk := newClock()
	v := jwksVerifier(t, js, clk, nil)
	_, err := v.Verify(ctx, sign(t, old, accessClaims(clk.Now())))
	require.NoError(t, err, "the old key is cached")

	js.signer.Store(next) // the server rotates its key
	gate := make(chan struct{})
	js.gate.Store(&gate) // and answers its key set slowly
	defer close(gate)
	clk.Advance(RefetchInterval)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = v.Verify(cctx, sign(t, next, accessClaims(clk.Now())))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, ErrInvalidToken, "a token of the new key, valid, called invalid")
}
