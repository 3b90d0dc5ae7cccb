package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// TestDocsShowWhatVaultPrintsOnErrors runs the commands whose errors
// docs/cli.md shows, against vaulttest answering as the API does, and
// checks that the page shows the lines they print, request IDs
// included, in one code block and in this order.
func TestDocsShowWhatVaultPrintsOnErrors(t *testing.T) {
	h := newHarness(t, vaulttest.WithRateLimit(vaulttest.RateLimit{Limit: 100, Window: time.Minute, Enforce: true}))
	var lines []string

	// A token the API does not know.
	h.env[envToken] = h.secret("expired-or-revoked-token")
	r := h.run("sessions", "list")
	requireCode(t, exitFailure, r)
	lines = append(lines, oneLine(t, r))

	// A session that is not among the user's.
	h.env[envToken] = h.token()
	r = h.run("sessions", "revoke", "ses_x")
	requireCode(t, exitFailure, r)
	lines = append(lines, oneLine(t, r))

	// A token that spent its 100 requests of the minute, 42 seconds
	// before the window ends.
	client, err := vault.NewClient(vault.Configuration{BaseURL: h.srv.URL, AccessToken: h.token(), MaxRetries: -1})
	require.NoError(t, err)
	defer client.CloseIdleConnections()
	for i := 0; i < 99; i++ {
		_, err := client.Sessions.ListSessions(context.Background())
		require.NoError(t, err, "request %d of the window", i+2)
	}
	h.srv.Advance(18 * time.Second)
	r = h.run("sessions", "list")
	requireCode(t, exitFailure, r)
	lines = append(lines, oneLine(t, r))

	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	require.NoError(t, err)
	block := "  ```\n  " + strings.Join(lines, "\n  ") + "\n  ```\n"
	assert.True(t, strings.Contains(string(doc), block), "docs/cli.md does not show what the commands print:\n%s", block)
}
