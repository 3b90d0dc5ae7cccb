package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestAdminRevokeGoesOnPastABadSessionID holds "admin sessions revoke"
// to its help: a session ID the SDK refuses is about that session alone,
// so it is reported and the other sessions are still revoked.
func TestAdminRevokeGoesOnPastABadSessionID(t *testing.T) {
	for _, bad := range []string{"..", "ses/1", " "} {
		t.Run(bad, func(t *testing.T) {
			h := newAdminHarness(t)
			r := h.run("admin", "sessions", "revoke", vaulttest.DemoUserID, h.demo[0].ID, bad, h.demo[1].ID)
			requireCode(t, exitFailure, r)
			assert.Equal(t, "revoked "+h.demo[0].ID+"\nrevoked "+h.demo[1].ID+"\n", r.stdout)
			assert.Equal(t, 1, strings.Count(r.stderr, "invalid argument: session ID"), "stderr:\n%s", r.stderr)
			assert.NotContains(t, r.stderr, "stopped")
			assert.Contains(t, r.stderr, "vault: revoked 2 of 3 sessions\n")
			assert.Len(t, deletes(h.srv), 2, "the refused ID is not sent")
		})
	}
}
