package contracttest

import (
	"net/http"
	"testing"
	"time"

	"github.com/vault-dev/vault-go/vaulttest"
)

// epoch is the frozen clock of the contract tests.
var epoch = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// reply is a response read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// newServer starts a server frozen at epoch and closes it at the end of
// the test.
func newServer(t *testing.T, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	srv := vaulttest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.SetNow(epoch)
	return srv
}
