package vault

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxAllocRatio bounds the allocations of an operation through the SDK
// against the hand-written baseline of bench_test.go. Allocation counts,
// unlike times, do not depend on the machine's load.
const maxAllocRatio = 1.15

func TestAllocationsWithinBaseline(t *testing.T) {
	s := newFixedServer(t, encodeSessions(t, benchSessions), nil)
	client := benchClient(t, s)
	bl := newBaseline(t, s)
	ctx := context.Background()
	for _, name := range []string{"ListSessions", "LogoutAllSessions", "RevokeSession"} {
		t.Run(name, func(t *testing.T) {
			op := benchOps[name]
			measure := func(call func() error) float64 {
				require.NoError(t, call()) // warm the connection
				return testing.AllocsPerRun(100, func() {
					if err := call(); err != nil {
						t.Error(err)
					}
				})
			}
			sdk := measure(func() error { return op.sdk(ctx, client) })
			base := measure(func() error { return op.baseline(ctx, bl) })
			assert.LessOrEqual(t, sdk, base*maxAllocRatio, "allocations per call: SDK %.0f, baseline %.0f", sdk, base)
		})
	}
}
