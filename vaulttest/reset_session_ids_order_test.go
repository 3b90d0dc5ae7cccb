package vaulttest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetSessionIDsDoNotDependOnTheTestBefore adds the same sessions to
// a new handler and to one reset after another user's session, as a
// suite's second test does after its first. Reset says generated session
// IDs start over: a test must see the same IDs whichever test ran before
// it, or a suite that checks IDs passes alone and fails in a run. A
// generated token skipped because another user had it before the reset
// must not move the sequence the session IDs come from.
func TestResetSessionIDsDoNotDependOnTheTestBefore(t *testing.T) {
	fresh := vaulttest.NewHandler()
	want := []string{
		fresh.AddSession("bob", vaulttest.SessionSeed{}).ID,
		fresh.AddSession("bob", vaulttest.SessionSeed{}).ID,
		fresh.AddSession("carol", vaulttest.SessionSeed{}).ID,
	}

	h := vaulttest.NewHandler()
	h.AddSession("alice", vaulttest.SessionSeed{})
	h.Reset()
	got := []string{
		h.AddSession("bob", vaulttest.SessionSeed{}).ID,
		h.AddSession("bob", vaulttest.SessionSeed{}).ID,
		h.AddSession("carol", vaulttest.SessionSeed{}).ID,
	}
	assert.Equal(t, want, got, "the session IDs after a reset depend on the tokens of the test before it")
}
