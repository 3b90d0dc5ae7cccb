package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestControlRefusesASeedTokenThatIsARefreshToken seeds a session, and a
// token without a session, whose token is another session's refresh
// token, current or spent by a refresh. A token that is both would be
// taken as a bearer token and traded for new tokens at once: each seed
// is refused 409 CONFLICT, as a token already in use, adding nothing.
func TestControlRefusesASeedTokenThatIsARefreshToken(t *testing.T) {
	srv := newControlServer(t)
	s := srv.AddSession("alice", vaulttest.SessionSeed{})
	spent := s.RefreshToken
	require.Equal(t, http.StatusOK, refreshWith(t, srv, spent).status)
	current, ok := srv.Session(s.ID)
	require.True(t, ok)
	require.NotEqual(t, spent, current.RefreshToken)

	for _, tok := range []string{current.RefreshToken, spent} {
		for _, path := range []string{"/users/u9/sessions", "/users/u9/tokens"} {
			r := ctl(t, srv, http.MethodPost, path, `{"token":"`+tok+`"}`)
			require.Equal(t, http.StatusConflict, r.status, "%s: body: %s", path, r.body)
			assert.Equal(t, "CONFLICT", errorCode(t, r.body))
			assert.Contains(t, string(r.body), "already in use")
		}
	}
	_, ok = srv.User("u9")
	assert.False(t, ok, "nothing is added")
}

// TestRefreshTokensSkipASeededToken seeds a session whose token is the
// refresh token the server would generate next, as a suite that copies
// the tokens of one run into the next does. The session gets another
// refresh token, so that no token is both.
func TestRefreshTokensSkipASeededToken(t *testing.T) {
	next := vaulttest.NewHandler().AddSession("alice", vaulttest.SessionSeed{}).RefreshToken
	h := vaulttest.NewHandler()
	s := h.AddSession("bob", vaulttest.SessionSeed{Token: next})
	assert.Equal(t, next, s.Token)
	assert.NotEqual(t, next, s.RefreshToken, "the refresh token is not the session's own token")
	other := h.AddSession("carol", vaulttest.SessionSeed{})
	assert.NotEqual(t, next, other.RefreshToken)
}
