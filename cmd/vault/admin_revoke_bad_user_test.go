package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAdminRevokeStopsAtABadUserID holds "admin sessions revoke" to its
// help: an error every ID would meet stops at once. A USER_ID the SDK
// refuses (ErrInvalidArgument) is such an error: every session ID would
// be refused with it, so it is reported once, not once per session.
func TestAdminRevokeStopsAtABadUserID(t *testing.T) {
	for _, userID := range []string{"..", "usr/42", " "} {
		t.Run(userID, func(t *testing.T) {
			h := newAdminHarness(t)
			r := h.run("admin", "sessions", "revoke", userID, "ses_1", "ses_2", "ses_3")
			assert.NotEqual(t, exitOK, r.code)
			assert.Empty(t, r.stdout)
			assert.Equal(t, 1, strings.Count(r.stderr, "invalid argument: user ID"),
				"the bad user ID is reported once; stderr:\n%s", r.stderr)
			assert.Empty(t, deletes(h.srv), "nothing is sent")
		})
	}
}
