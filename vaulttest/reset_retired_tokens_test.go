package vaulttest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetKeepsAliceTokenFromCarol runs tests of a suite separated by
// resets, in which alice gets a generated token, and checks that carol,
// in the last test, never gets it: the tokens kept after a reset, within
// 2 MiB, hold alice's whatever else the tests add.
func TestResetKeepsAliceTokenFromCarol(t *testing.T) {
	tests := []struct {
		name string
		// between runs the tests after the first one, each followed by
		// a reset.
		between func(t *testing.T, h *vaulttest.Handler, alice string)
	}{
		{
			// The large token cannot be kept; it must not make the
			// handler forget every other one.
			name: "a token over the bound is not kept, and the others are",
			between: func(t *testing.T, h *vaulttest.Handler, _ string) {
				h.AddSession("bob", vaulttest.SessionSeed{Token: "big-" + strings.Repeat("x", 3<<20)})
				h.Reset()
			},
		},
		{
			// Alice gets the same token in each test, as the same seeds
			// give, beside 1.25 MiB of other tokens: retired again, her
			// token counts as the newest, not where it was first
			// retired, for the others to push out.
			name: "a token retired again counts as the newest",
			between: func(t *testing.T, h *vaulttest.Handler, alice string) {
				for test := range 2 {
					require.Equal(t, alice, h.AddSession("alice", vaulttest.SessionSeed{}).Token, "the same seeds give alice the same token")
					for i := range 20 {
						h.AddSessionlessToken("bob", fmt.Sprintf("big-%d-%d-", test, i)+strings.Repeat("x", 64<<10))
					}
					h.Reset()
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := vaulttest.NewHandler()
			alice := h.AddSession("alice", vaulttest.SessionSeed{}).Token
			h.Reset()
			tt.between(t, h, alice)
			carol := h.AddSession("carol", vaulttest.SessionSeed{}).Token
			assert.NotEqual(t, alice, carol, "alice's token of a test before the reset was given to carol")
		})
	}
}
