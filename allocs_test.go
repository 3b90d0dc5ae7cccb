package vault

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxAllocRatio bounds the allocations of an operation through the SDK
// against the hand-written baseline of bench_test.go: no more. Allocation
// counts, unlike times, do not depend on the machine's load.
const maxAllocRatio = 1.0

func TestAllocationsWithinBaseline(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"ListSessions", "ListSessionsServerDialect", "LogoutAllSessions", "RevokeSession"} {
		t.Run(name, func(t *testing.T) {
			op := benchOps[name]
			s := newFixedServer(t, op.listBody(t), nil)
			client := benchClient(t, s)
			bl := newBaseline(t, s)
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

// TestHooksAllocateNothingOfTheirOwn checks that observing a call costs
// no allocation beyond what the hooks themselves make, so that a Client
// without hooks pays nothing for them either. The answers come from
// memory, without a server or connections whose goroutines would
// allocate on their own during the count.
func TestHooksAllocateNothingOfTheirOwn(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not exact under the race detector")
	}
	list := encodeSessions(t, benchSessions)
	inMemory := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       io.NopCloser(bytes.NewReader(list)),
			Request:    r,
		}, nil
	})
	newClient := func(hooks Hooks) *Client {
		c, err := NewClient(Configuration{
			BaseURL:     "https://api.example.test/api/v1",
			AccessToken: testToken,
			HTTPClient:  &http.Client{Transport: inMemory},
			Hooks:       hooks,
		})
		require.NoError(t, err)
		return c
	}
	plain := newClient(Hooks{})
	observed := newClient(Hooks{
		Start: func(ctx context.Context, _ string) context.Context { return ctx },
		End:   func(context.Context, CallInfo) {},
	})
	ctx := context.Background()
	measure := func(c *Client) float64 {
		return testing.AllocsPerRun(100, func() {
			if _, err := c.Sessions.ListSessions(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	assert.Equal(t, measure(plain), measure(observed))
}
