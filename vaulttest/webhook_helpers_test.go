package vaulttest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

const hookSecret = "whsec_vaulttest_1f9e8d7c6b5a"

// receiver is a webhook endpoint that records what it receives and
// answers with the statuses it is given, then 204.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []received
	statuses []int
}

// received is one request a receiver got.
type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	t.Helper()
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: body})
		status := http.StatusNoContent
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// verify parses each request received with the secret, as a receiver
// would, and returns the events.
func (rc *receiver) events(t *testing.T) []*webhook.Event {
	t.Helper()
	var out []*webhook.Event
	for _, r := range rc.requests() {
		e, err := webhook.Parse(r.body, r.header, hookSecret)
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

// waitDeliveries waits, with seconds of headroom, for n deliveries.
func waitDeliveries(t *testing.T, srv interface {
	WaitWebhookDeliveries(context.Context, int) ([]vaulttest.WebhookDelivery, error)
}, n int) []vaulttest.WebhookDelivery {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	got, err := srv.WaitWebhookDeliveries(ctx, n)
	require.NoError(t, err)
	return got
}

// hookServer starts a server frozen at epoch with one webhook to rc.
func hookServer(t *testing.T, rc *receiver, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	return newServer(t, append([]vaulttest.Option{vaulttest.WithWebhook(rc.URL+"/hooks", hookSecret)}, opts...)...)
}
