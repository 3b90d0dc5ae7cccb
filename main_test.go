package vault_test

import (
	"flag"
	"runtime"
	"strconv"
	"testing"

	"github.com/vault-dev/vault-go/internal/leakcheck"
)

// minParallel is how many parallel tests run at once unless -parallel
// says otherwise. Most of this package's parallel tests wait for a
// server's Retry-After or an attempt's timeout rather than compute, so the
// default, GOMAXPROCS, would leave them queued behind each other's sleeps
// on a machine with few cores.
const minParallel = 8

// TestMain fails the run if any goroutine outlives the tests: every
// server, connection and retry loop a test starts must end with it.
func TestMain(m *testing.M) {
	flag.Parse()
	if !flagGiven("test.parallel") && runtime.GOMAXPROCS(0) < minParallel {
		if err := flag.Set("test.parallel", strconv.Itoa(minParallel)); err != nil {
			panic(err)
		}
	}
	leakcheck.Main(m)
}

// flagGiven reports whether the named flag was on the command line.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
