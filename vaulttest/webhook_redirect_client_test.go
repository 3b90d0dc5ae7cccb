package vaulttest_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestWebhookRedirectNotFollowedWithTheTestsClient checks that a
// redirect fails the attempt, as on the Vault server, with the Client
// WebhookOptions suggests for an https endpoint: httptest.NewTLSServer's.
// The server's own client follows no redirect, but a Client given in
// WebhookOptions is used as it is, and that one follows a 307 with the
// POST, its body and its X-Webhook-* headers to wherever the endpoint
// points, and the delivery counts as delivered: a receiver that
// redirects passes its tests here and loses every event in production.
func TestWebhookRedirectNotFollowedWithTheTestsClient(t *testing.T) {
	var elsewhere atomic.Int32
	tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/elsewhere" {
			elsewhere.Add(1)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(tls.Close)
	srv := newServer(t, vaulttest.WithWebhook(tls.URL+"/hooks", hookSecret),
		vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Attempts: 2, Backoff: time.Millisecond, Client: tls.Client()}))
	srv.AddSession("kai", vaulttest.SessionSeed{})

	got := waitDeliveries(t, srv, 1)
	require.Len(t, got, 1)
	assert.Equal(t, vaulttest.DeliveryFailed, got[0].State, "a redirected delivery was taken for delivered")
	require.NotEmpty(t, got[0].Attempts)
	assert.Equal(t, http.StatusTemporaryRedirect, got[0].Attempts[0].Status)
	assert.Zero(t, elsewhere.Load(), "the delivery was sent where the endpoint redirected it")
}

// TestWebhookOptionsClientLeftAsGiven checks that the server follows no
// redirect with a copy of the Client, leaving the test's own Client, which
// it may use elsewhere, as it was.
func TestWebhookOptionsClientLeftAsGiven(t *testing.T) {
	client := &http.Client{Timeout: time.Minute}
	newServer(t, vaulttest.WithWebhookOptions(vaulttest.WebhookOptions{Client: client}))
	assert.Nil(t, client.CheckRedirect)
	assert.Equal(t, time.Minute, client.Timeout)
}
