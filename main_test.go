package vault_test

import (
	"testing"

	"github.com/vault-dev/vault-go/internal/leakcheck"
)

// TestMain fails the run if any goroutine outlives the tests: every
// server, connection and retry loop a test starts must end with it.
func TestMain(m *testing.M) {
	leakcheck.Main(m)
}
