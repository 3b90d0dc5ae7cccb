package vaulttest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestRequestLogHidesATokenInAHeaderName sends a request whose header
// name carries a session's token, as a client that swaps a header's name
// and value does. The docs promise that no token, in any header, reaches
// the request log in full: the name must not show it either.
func TestRequestLogHidesATokenInAHeaderName(t *testing.T) {
	srv := newControlServer(t)
	s := srv.AddSession("alice", vaulttest.SessionSeed{})
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/users/me/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("X-"+s.Token, "1")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	r := ctl(t, srv, http.MethodGet, "/requests", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.NotContains(t, strings.ToLower(string(r.body)), strings.ToLower(s.Token), "the token shows in a header name: %s", r.body)
}
