package vaulttest_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// slowToLetGo is a transport on a bad network: a request waits for its
// answer until it is cancelled, then takes a while to return, as a
// connection being torn down does.
type slowToLetGo struct {
	linger   time.Duration
	started  chan struct{} // a token per request
	returned atomic.Bool
	done     chan struct{} // closed when RoundTrip has returned
}

func (s *slowToLetGo) RoundTrip(r *http.Request) (*http.Response, error) {
	defer close(s.done)
	s.started <- struct{}{}
	<-r.Context().Done()
	time.Sleep(s.linger)
	s.returned.Store(true)
	return nil, r.Context().Err()
}

// TestWebhookCloseWaitsForRemovedEndpoints holds Close to its word:
// "Close waits for the goroutines that sent them". RemoveWebhook cancels
// the endpoint's delivery in flight but does not wait for its goroutine,
// and Close only waits for the endpoints still listed, so the goroutine
// of a removed endpoint is still running (in the Client's transport,
// then logging its attempt to WithLogger's logger) after Close returns,
// when a test's leak check or a logger bound to a finished test sees it.
func TestWebhookCloseWaitsForRemovedEndpoints(t *testing.T) {
	tr := &slowToLetGo{linger: 3 * time.Second, started: make(chan struct{}, 1), done: make(chan struct{})}
	srv := vaulttest.NewServer(vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{
		Client:  &http.Client{Transport: tr},
		Timeout: time.Hour,
	}))
	t.Cleanup(func() { <-tr.done }) // this test leaves nothing behind either
	w, err := srv.AddWebhook(vaulttest.Webhook{URL: "http://127.0.0.1:1/hooks", Secret: hookSecret})
	require.NoError(t, err)
	srv.AddSession("rae", vaulttest.SessionSeed{})
	select {
	case <-tr.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery was sent")
	}

	require.True(t, srv.RemoveWebhook(w.ID))
	srv.Close()
	assert.True(t, tr.returned.Load(), "Close returned while the removed endpoint's delivery was still being sent")
}

// TestWebhookResetWaitsForRemovedEndpoints is the test above for Reset,
// which stops every endpoint and must wait for the goroutines of those
// removed before as well as its own.
func TestWebhookResetWaitsForRemovedEndpoints(t *testing.T) {
	tr := &slowToLetGo{linger: 500 * time.Millisecond, started: make(chan struct{}, 1), done: make(chan struct{})}
	srv := newServer(t, vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{
		Client:  &http.Client{Transport: tr},
		Timeout: time.Hour,
	}))
	t.Cleanup(func() { <-tr.done })
	w, err := srv.AddWebhook(vaulttest.Webhook{URL: "http://127.0.0.1:1/hooks", Secret: hookSecret})
	require.NoError(t, err)
	srv.AddSession("rae", vaulttest.SessionSeed{})
	select {
	case <-tr.started:
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery was sent")
	}

	require.True(t, srv.RemoveWebhook(w.ID))
	srv.Reset()
	assert.True(t, tr.returned.Load(), "Reset returned while the removed endpoint's delivery was still being sent")
}
