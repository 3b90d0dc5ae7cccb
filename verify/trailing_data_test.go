package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A header or payload is one JSON object and nothing after it: readHeader
// and readClaims mean to refuse "something after the object", but a
// syntax error after it is taken for the end of the input. Such a token
// needs a trusted signature, so this is strictness, not a forgery: the
// server never writes one, and a verifier should not accept one.
func TestVerifyRefusesDataAfterTheJSONObject(t *testing.T) {
	s := newSigner(t)
	clk := newClock()
	v := staticVerifier(t, s, clk, nil)
	claims := mustJSON(t, accessClaims(clk.Now()))
	tests := []struct{ name, header, payload string }{
		{"header, then a letter", `{"alg":"EdDSA"}x`, claims},
		{"header, then a bracket", `{"alg":"EdDSA"}]`, claims},
		{"header, then half an object", `{"alg":"EdDSA"}{"alg"`, claims},
		{"payload, then a letter", `{"alg":"EdDSA"}`, claims + "x"},
		{"payload, then a comma", `{"alg":"EdDSA"}`, claims + `,"sub":"admin"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(ctx, signRaw(s, tt.header, tt.payload, false))
			assert.ErrorIs(t, err, ErrInvalidToken)
		})
	}
	_, err := v.Verify(ctx, signRaw(s, `{"alg":"EdDSA"}`+" \n", claims+"\t ", false))
	assert.NoError(t, err, "white space after the object is still fine")
}
