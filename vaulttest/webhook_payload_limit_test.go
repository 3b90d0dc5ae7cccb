package vaulttest_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
	"github.com/vault-dev/vault-go/webhook"
)

// TestWebhookPayloadLimit checks the edge of the limit above: a payload
// of exactly webhook.MaxBodyBytes is sent, one byte more is not, and the
// event left out is logged with its type and size, as the Vault server
// refuses to create it.
func TestWebhookPayloadLimit(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	empty := ""
	base, err := webhook.SessionCreated{UserID: "lee", SessionID: "ses_edge", Email: "lee@example.com",
		Method: vaulttest.WebhookMethod, UserAgent: &empty, CreatedAt: at}.MarshalJSON()
	require.NoError(t, err)
	fits := strings.Repeat("A", webhook.MaxBodyBytes-len(base))

	var logs syncbuf.Buffer
	rc := newReceiver(t)
	srv := hookServer(t, rc, vaulttest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	srv.AddSession("lee", vaulttest.SessionSeed{ID: "ses_over", UserAgent: fits + "A", CreatedAt: at})
	srv.AddSession("lee", vaulttest.SessionSeed{ID: "ses_edge", UserAgent: fits, CreatedAt: at})

	got := waitDeliveries(t, srv, 1)
	require.Len(t, got, 1, "only the event within the limit is in the log")
	assert.Len(t, got[0].Data, webhook.MaxBodyBytes)
	assert.Equal(t, vaulttest.DeliveryDelivered, got[0].State)
	assert.Contains(t, string(got[0].Data), `"session_id":"ses_edge"`)
	logged := logs.String()
	assert.Contains(t, logged, "over the server's limit")
	assert.Contains(t, logged, "type=session.created bytes=1048577 limit=1048576")
}
