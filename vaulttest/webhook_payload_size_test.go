package vaulttest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

// TestWebhookNoPayloadOverTheServersLimit checks that the server, like
// the Vault server, never sends an event over 1 MiB
// (webhook.MaxBodyBytes: the server refuses to create such a delivery).
// A session seeded with a user agent of 1 MiB makes a session.created
// payload over the limit, which is sent anyway and refused with 413 by
// every webhook.NewHandler, four times, so that a receiver's test sees a
// failure the real server never causes.
func TestWebhookNoPayloadOverTheServersLimit(t *testing.T) {
	rc := newReceiver(t)
	srv := hookServer(t, rc)
	srv.AddSession("lee", vaulttest.SessionSeed{UserAgent: strings.Repeat("A", webhook.MaxBodyBytes)})
	srv.AddSession("lee", vaulttest.SessionSeed{ID: "ses_small"}) // a delivery to wait for, after it in order
	waitDeliveries(t, srv, 1)
	for _, d := range srv.WebhookDeliveries() {
		assert.LessOrEqual(t, len(d.Data), webhook.MaxBodyBytes, "a %s delivery of %d bytes", d.Type, len(d.Data))
	}
}
