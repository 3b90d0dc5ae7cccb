package vaulttest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

// fast makes retries quick: a test needs their count, not their pace.
var fast = vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Backoff: time.Millisecond})

func TestWebhookRetriedUntil2xx(t *testing.T) {
	rc := newReceiver(t, http.StatusInternalServerError, http.StatusServiceUnavailable)
	srv := hookServer(t, rc, fast)
	srv.AddSession("erin", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	require.Len(t, got, 1)
	d := got[0]
	assert.Equal(t, vaulttest.DeliveryDelivered, d.State)
	require.Len(t, d.Attempts, 3)
	for i, a := range d.Attempts {
		assert.Equal(t, i+1, a.Attempt)
		assert.Equal(t, []int{500, 503, 204}[i], a.Status)
		assert.False(t, a.Duplicate)
	}

	reqs := rc.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, d.ID, r.header.Get(webhook.HeaderID), "the same delivery ID on every attempt")
		e, err := webhook.Parse(r.body, r.header, hookSecret)
		require.NoError(t, err, "every attempt is signed afresh")
		assert.Equal(t, []int{0, 2, 3}[i], e.Attempt, "X-Webhook-Attempt counts the retries")
	}
}

func TestWebhookGivesUpAfterItsAttempts(t *testing.T) {
	rc := newReceiver(t, 500, 500, 500, 500, 500, 500)
	srv := hookServer(t, rc, vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Attempts: 3, Backoff: time.Millisecond}))
	srv.AddSession("frank", vaulttest.SessionSeed{})
	srv.AddSession("frank", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 2)
	assert.Equal(t, vaulttest.DeliveryFailed, got[0].State)
	assert.Equal(t, "no 2xx answer in 3 attempts", got[0].Error)
	assert.Len(t, got[0].Attempts, 3)
	// The next delivery is sent after the first gave up.
	assert.Equal(t, vaulttest.DeliveryFailed, got[1].State)
	assert.Len(t, rc.requests(), 6)
}

func TestWebhookBackoffDoubles(t *testing.T) {
	rc := newReceiver(t, 500, 500, 500)
	srv := hookServer(t, rc, vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Backoff: 50 * time.Millisecond}))
	srv.AddSession("gus", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	a := got[0].Attempts
	require.Len(t, a, 4)
	// Lower bounds only: 50ms, 100ms, 200ms at least.
	for i, want := range []time.Duration{50, 100, 200} {
		assert.GreaterOrEqual(t, a[i+1].Time.Sub(a[i].Time), want*time.Millisecond, "wait before attempt %d", i+2)
	}
}

func TestWebhookTimeoutIsRetried(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			select { // outlast the attempt's time-out
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	// Attempts to spare: on a loaded machine a later attempt may time out
	// too; the claim is that a time-out is retried.
	srv := newServer(t, vaulttest.WithWebhook(slow.URL, hookSecret),
		vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Timeout: 500 * time.Millisecond, Backoff: time.Millisecond, Attempts: vaulttest.MaxWebhookAttempts}))
	srv.AddSession("hana", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	a := got[0].Attempts
	require.GreaterOrEqual(t, len(a), 2)
	assert.Zero(t, a[0].Status)
	assert.Contains(t, a[0].Error, "deadline exceeded")
	assert.Equal(t, http.StatusOK, a[len(a)-1].Status)
	assert.Equal(t, vaulttest.DeliveryDelivered, got[0].State)
}

func TestWebhookRedirectNotFollowed(t *testing.T) {
	elsewhere := newReceiver(t)
	redirect := httptest.NewServer(http.RedirectHandler(elsewhere.URL, http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	srv := newServer(t, vaulttest.WithWebhook(redirect.URL, hookSecret),
		vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Attempts: 2, Backoff: time.Millisecond}))
	srv.AddSession("ivan", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	assert.Equal(t, vaulttest.DeliveryFailed, got[0].State)
	assert.Equal(t, http.StatusTemporaryRedirect, got[0].Attempts[0].Status)
	assert.Empty(t, elsewhere.requests())
}

func TestWebhookUnreachable(t *testing.T) {
	gone := httptest.NewServer(http.NotFoundHandler())
	url := gone.URL
	gone.Close()
	srv := newServer(t, vaulttest.WithWebhook(url, hookSecret),
		vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Attempts: 2, Backoff: time.Millisecond}))
	srv.AddSession("jo", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	assert.Equal(t, vaulttest.DeliveryFailed, got[0].State)
	require.Len(t, got[0].Attempts, 2)
	assert.Contains(t, got[0].Attempts[0].Error, "refused")
	assert.NotContains(t, got[0].Attempts[0].Error, hookSecret)
}

func TestWebhookDeliverNextTwice(t *testing.T) {
	rc := newReceiver(t)
	srv := hookServer(t, rc)
	srv.DeliverNextTwice(1)
	first := srv.AddSession("kim", vaulttest.SessionSeed{})
	srv.AddSession("kim", vaulttest.SessionSeed{}) // once only
	got := waitDeliveries(t, srv, 2)
	require.Len(t, got[0].Attempts, 2)
	assert.Equal(t, vaulttest.WebhookAttempt{Attempt: 2, Time: got[0].Attempts[1].Time, Status: http.StatusNoContent, Duplicate: true}, got[0].Attempts[1])
	assert.Len(t, got[1].Attempts, 1)

	reqs := rc.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, reqs[0].header.Get(webhook.HeaderID), reqs[1].header.Get(webhook.HeaderID))
	assert.Equal(t, string(reqs[0].body), string(reqs[1].body))
	assert.Equal(t, "2", reqs[1].header.Get(webhook.HeaderAttempt))
	assert.Contains(t, string(reqs[0].body), first.ID)

	// A receiver built with webhook.NewHandler handles the event once.
	var handled atomic.Int32
	h := webhook.NewHandler(func(context.Context, *webhook.Event) error { handled.Add(1); return nil }, hookSecret)
	for _, r := range reqs {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(r.body)))
		req.Header = r.header
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		assert.Equal(t, http.StatusNoContent, w.Code)
	}
	assert.EqualValues(t, 2, handled.Load())

	// Every endpoint gets the copy; 0 cancels what is left.
	srv.DeliverNextTwice(5)
	srv.DeliverNextTwice(0)
	srv.AddSession("kim", vaulttest.SessionSeed{})
	got = waitDeliveries(t, srv, 3)
	assert.Len(t, got[2].Attempts, 1)
}
