package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestResetDoesNotHandAStaleTokenToTheNextTest adds a session for one
// user, resets the server, as a suite does between two tests, and adds a
// session for another user, as the next test does. A client of the first
// test still running after the reset, such as a refresh loop, sends the
// token it was given: the reset is a clean cut, so the token must be
// refused, not taken for the next test's user, whose sessions it could
// list or revoke with nothing in the log but that user's ID.
func TestResetDoesNotHandAStaleTokenToTheNextTest(t *testing.T) {
	srv := newControlServer(t)
	before := srv.AddSession("alice", vaulttest.SessionSeed{})
	srv.Reset()
	after := srv.AddSession("bob", vaulttest.SessionSeed{})
	require.Equal(t, "bob", after.UserID)

	r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", before.Token)
	assert.Equal(t, http.StatusUnauthorized, r.status, "alice's token of the test before the reset acts as bob's: %s", r.body)
}
