package vaulttest_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetGivesTheMemoryOfLargeTokensBack runs four tests of a suite
// that seeds sessions with tokens of 2 KiB, the size of a signed access
// token from an identity provider, resetting the handler after each. The
// tokens kept after a reset, to hide them from the logs and keep them
// from the next test's users, are bounded in number only (16384), not in
// bytes: a reset must give the memory back, as issue 20 asks and as the
// manual's bound for vault-mock (-request-log-bytes plus 24 MiB) says.
func TestResetGivesTheMemoryOfLargeTokensBack(t *testing.T) {
	h := vaulttest.NewHandler()
	before := heapLive()
	const tests, sessions, size = 4, 4096, 2 << 10
	for test := range tests {
		for i := range sessions {
			tok := fmt.Sprintf("eyJ%d.%d.", test, i) + strings.Repeat("x", size)
			h.AddSession(fmt.Sprintf("usr_%d", i%50), vaulttest.SessionSeed{Token: tok[:size]})
		}
		h.Reset()
	}
	after := heapLive()
	runtime.KeepAlive(h)
	held := int64(after) - int64(before)
	assert.Less(t, held, int64(8<<20), "after the resets the handler holds %d MiB of the %d MiB of tokens they forgot",
		held>>20, tests*sessions*size>>20)
}
