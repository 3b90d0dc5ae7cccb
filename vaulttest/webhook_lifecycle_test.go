package vaulttest_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/leakcheck"
	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

func TestWebhookResetKeepsTheConfiguredEndpoints(t *testing.T) {
	rc, other := newReceiver(t), newReceiver(t)
	srv := hookServer(t, rc, vaulttest.WithSeed(func(h *vaulttest.Handler) {
		h.AddSession("lee", vaulttest.SessionSeed{ID: "ses_seeded"})
	}))
	_, err := srv.AddWebhook(vaulttest.Webhook{URL: other.URL, Secret: hookSecret})
	require.NoError(t, err)
	srv.AddSession("lee", vaulttest.SessionSeed{})
	waitDeliveries(t, srv, 3) // the seed's to wh_1, the new session's to both

	srv.Reset()
	assert.Equal(t, []vaulttest.Webhook{{ID: "wh_1", URL: rc.URL + "/hooks", Secret: hookSecret}}, srv.Webhooks(),
		"the endpoint added at run time is gone, the one of WithWebhook is back")
	got := waitDeliveries(t, srv, 1)
	require.Len(t, got, 1, "the log starts over, with the seed's event sent again")
	assert.Contains(t, string(got[0].Data), "ses_seeded")
	assert.Len(t, other.requests(), 1)
	assert.Len(t, rc.requests(), 3)
}

func TestWebhookRemove(t *testing.T) {
	block := make(chan struct{})
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client go
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(stuck.Close)
	t.Cleanup(func() { close(block) })
	srv := newServer(t)
	w, err := srv.AddWebhook(vaulttest.Webhook{URL: stuck.URL, Secret: hookSecret})
	require.NoError(t, err)
	srv.AddSession("mo", vaulttest.SessionSeed{}) // in flight
	srv.AddSession("mo", vaulttest.SessionSeed{}) // queued
	require.Eventually(t, func() bool { return len(srv.WebhookDeliveries()[0].Attempts) == 0 }, 10*time.Second, time.Millisecond)

	assert.True(t, srv.RemoveWebhook(w.ID))
	assert.False(t, srv.RemoveWebhook(w.ID))
	assert.Empty(t, srv.Webhooks())
	got := waitDeliveries(t, srv, 2)
	for _, d := range got {
		assert.Equal(t, vaulttest.DeliveryFailed, d.State)
		assert.Contains(t, d.Error, "removed")
	}
	srv.AddSession("mo", vaulttest.SessionSeed{})
	assert.Len(t, srv.WebhookDeliveries(), 2, "no endpoint, no delivery")
}

func TestWebhookCloseStopsDelivery(t *testing.T) {
	block := make(chan struct{})
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // so that the server sees the client go
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer stuck.Close()
	defer close(block) // before stuck.Close, which waits for its handler
	failing := newReceiver(t, 500, 500, 500, 500)
	ok := newReceiver(t)

	before := leakcheck.Take() // the receivers' goroutines outlive the server
	srv := vaulttest.NewServer(
		vaulttest.WithWebhook(stuck.URL, hookSecret),   // an attempt in flight
		vaulttest.WithWebhook(failing.URL, hookSecret), // waiting to retry
		vaulttest.WithWebhook(ok.URL, hookSecret),      // idle
		vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Backoff: vaulttest.MaxWebhookBackoff, Timeout: time.Hour}),
	)
	srv.AddSession("nia", vaulttest.SessionSeed{})
	require.Eventually(t, func() bool { return len(failing.requests()) == 1 && len(ok.requests()) == 1 }, 10*time.Second, time.Millisecond)

	done := make(chan struct{})
	go func() {
		srv.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited for a delivery")
	}
	if leaked := leakcheck.Leaked(before, leakcheck.DefaultWait); leaked != nil {
		t.Fatalf("goroutines left after Close:\n%s", leaked)
	}
	for _, d := range srv.WebhookDeliveries() {
		assert.NotEqual(t, vaulttest.DeliveryPending, d.State, d.URL)
	}

	// After Close: no delivery, no endpoint, and a waiter is told.
	srv.Handler().AddSession("nia", vaulttest.SessionSeed{})
	assert.Len(t, srv.WebhookDeliveries(), 3)
	_, err := srv.AddWebhook(vaulttest.Webhook{URL: ok.URL, Secret: hookSecret})
	assert.ErrorContains(t, err, "closed")
	_, err = srv.WaitWebhookDeliveries(context.Background(), 10)
	assert.ErrorContains(t, err, "3 of 10 webhook deliveries finished")
}

func TestWebhookWaitEndsWithItsContext(t *testing.T) {
	srv := newServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := srv.WaitWebhookDeliveries(ctx, 1)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, got)
	got, err = srv.WaitWebhookDeliveries(ctx, 0)
	assert.NoError(t, err)
	assert.Empty(t, got)
}

func TestAddWebhookRefuses(t *testing.T) {
	srv := newServer(t)
	for _, tc := range []struct {
		name string
		w    vaulttest.Webhook
		want string
	}{
		{"no URL", vaulttest.Webhook{Secret: hookSecret}, "needs a URL"},
		{"relative URL", vaulttest.Webhook{URL: "/hooks", Secret: hookSecret}, "not an absolute http or https URL"},
		{"another scheme", vaulttest.Webhook{URL: "ftp://example.com/", Secret: hookSecret}, "not an absolute http or https URL"},
		{"credentials in the URL", vaulttest.Webhook{URL: "http://user:pw@example.com/", Secret: hookSecret}, "holds credentials"},
		{"no secret", vaulttest.Webhook{URL: "http://127.0.0.1:1/"}, "needs a secret"},
		{"unknown form", vaulttest.Webhook{URL: "http://127.0.0.1:1/", Secret: hookSecret, Form: webhook.Form(9)}, "unknown webhook Form(9)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := srv.AddWebhook(tc.w)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "pw@")
			assert.NotContains(t, err.Error(), hookSecret)
		})
	}
	assert.Empty(t, srv.Webhooks())

	assert.PanicsWithValue(t, "vaulttest: WithWebhook: invalid: a webhook needs a secret", func() {
		vaulttest.NewHandler(vaulttest.WithWebhook("http://127.0.0.1:1/", ""))
	})
	for _, o := range []vaulttest.WebhookOptions{{Attempts: -1}, {Attempts: vaulttest.MaxWebhookAttempts + 1}, {Backoff: -1}, {Backoff: time.Minute}, {Timeout: -1}} {
		assert.Panics(t, func() { vaulttest.NewHandler(vaulttest.WithWebhookOptions(o)) }, "%+v", o)
	}
}

func TestWebhookSecretNeverPrinted(t *testing.T) {
	w := vaulttest.Webhook{ID: "wh_1", URL: "http://127.0.0.1:8787/", Secret: hookSecret, Form: webhook.FormID}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out := fmt.Sprintf(format, w)
		assert.NotContains(t, out, hookSecret, format)
		assert.Contains(t, out, "127.0.0.1:8787", format)
	}
	assert.NotContains(t, fmt.Sprintf("%v", []vaulttest.Webhook{w}), hookSecret)
}

func TestWebhookValidate(t *testing.T) {
	assert.NoError(t, vaulttest.Webhook{URL: "https://hooks.example.com/vault", Secret: hookSecret}.Validate())
	err := vaulttest.Webhook{URL: "https://hooks.example.com/vault"}.Validate()
	assert.EqualError(t, err, "vaulttest: a webhook needs a secret")
	err = vaulttest.Webhook{URL: "https://u:topsecret@hooks.example.com/", Secret: hookSecret}.Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "topsecret")
}

func TestWebhookLogsAttemptsWithoutSecrets(t *testing.T) {
	var buf syncbuf.Buffer
	rc := newReceiver(t, http.StatusInternalServerError)
	srv := hookServer(t, rc, fast, vaulttest.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
	srv.AddSession("quinn", vaulttest.SessionSeed{})
	got := waitDeliveries(t, srv, 1)
	logged := buf.String()
	assert.Equal(t, 2, strings.Count(logged, "msg=webhook "), logged)
	assert.Contains(t, logged, "id="+got[0].ID)
	assert.Contains(t, logged, "attempt=2 status=204")
	assert.NotContains(t, logged, hookSecret)
	for _, r := range rc.requests() {
		assert.NotContains(t, logged, r.header.Get(webhook.HeaderSignature)[3:])
	}
}
