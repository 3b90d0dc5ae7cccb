package vaulttest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestNewTestServerClosesWithTheTest(t *testing.T) {
	var srv *vaulttest.Server
	var base string
	t.Run("inner", func(t *testing.T) {
		srv = vaulttest.NewTestServer(t, vaulttest.WithDialect(vaulttest.DialectServer))
		base = srv.URL
		me := srv.SeedDemo(vaulttest.Demo{})[0]
		r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", me.Token)
		require.Equal(t, http.StatusOK, r.status)
		assert.Contains(t, string(r.body), `"maxSessions"`, "the options apply")
	})
	require.NotEmpty(t, base)

	// The inner test's cleanup closed the server: its port refuses.
	_, err := http.Get(base + "/users/me/sessions")
	assert.Error(t, err, "the server is closed once its test has finished")
}
