package vaulttest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetKeepsTheLastTestsTokensAsTheLatest runs three tests of a
// suite in which alice gets the same generated token each time, as the
// same seeds give, while two of them also add 20 large tokens without a
// session (1.25 MiB each time, within the 2 MiB the handler keeps after
// a reset). Alice's
// token was in use in the test just before the last reset, so it is one
// of the latest tokens retired and must be kept from another user of the
// next test: retiring it again must count it as retired again, not leave
// it where it was first retired, oldest, for the large tokens to push
// out.
func TestResetKeepsTheLastTestsTokensAsTheLatest(t *testing.T) {
	h := vaulttest.NewHandler()
	alice := h.AddSession("alice", vaulttest.SessionSeed{}).Token
	h.Reset()
	for test := range 2 {
		require.Equal(t, alice, h.AddSession("alice", vaulttest.SessionSeed{}).Token, "the same seeds give alice the same token")
		for i := range 20 {
			tok := fmt.Sprintf("big-%d-%d-", test, i) + strings.Repeat("x", 64<<10)
			h.AddSessionlessToken("bob", tok)
		}
		h.Reset()
	}
	carol := h.AddSession("carol", vaulttest.SessionSeed{}).Token
	assert.NotEqual(t, alice, carol, "alice's token of the test before the reset was given to carol")
}
