package vaulttest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetOversizedTokenKeepsTheOthers runs three tests of a suite: the
// first gives alice a generated token, the second seeds bob a token
// larger than the 2 MiB of tokens the handler keeps after a reset. The
// large token cannot be kept, but it must not make the handler forget
// every other token of before the resets: alice's, a few bytes, is one
// of the latest four, and must not be given to carol in the third test.
func TestResetOversizedTokenKeepsTheOthers(t *testing.T) {
	h := vaulttest.NewHandler()
	alice := h.AddSession("alice", vaulttest.SessionSeed{}).Token
	h.Reset()
	h.AddSession("bob", vaulttest.SessionSeed{Token: "big-" + strings.Repeat("x", 3<<20)})
	h.Reset()
	carol := h.AddSession("carol", vaulttest.SessionSeed{}).Token
	assert.NotEqual(t, alice, carol, "one oversized token made the reset forget alice's token, given to carol")
}
