package vault_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any goroutine outlives the tests: every
// server, connection and retry loop a test starts must end with it.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
