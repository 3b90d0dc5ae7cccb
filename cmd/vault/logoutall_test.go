package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// assertRevoked checks whether every demo session was revoked.
func assertRevoked(t *testing.T, h *harness, want bool) {
	t.Helper()
	for _, s := range h.srv.Sessions(vaulttest.DemoUserID) {
		assert.Equal(t, want, s.Revoked, "session %s", s.ID)
	}
}

func TestLogoutAllWithYes(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		h := newHarness(t)
		h.terminal = terminal
		r := h.run("sessions", "logout-all", "--yes")
		requireCode(t, exitOK, r)
		assert.Equal(t, vaulttest.MessageAllSessionsRevoked+"\n", r.stdout)
		assert.Empty(t, r.stderr, "no prompt with --yes")
		assertRevoked(t, h, true)
	}
}

func TestLogoutAllWithoutTerminalRefuses(t *testing.T) {
	h := newHarness(t)
	h.stdin = "y\n"
	r := h.run("sessions", "logout-all")
	requireCode(t, exitUsage, r)
	assert.Empty(t, r.stdout)
	assert.Contains(t, oneLine(t, r), "stdin is not a terminal (hint: pass --yes to confirm)")
	assert.Empty(t, h.srv.Requests())
	assertRevoked(t, h, false)
}

func TestLogoutAllConfirmation(t *testing.T) {
	tests := []struct {
		answer string
		want   int
	}{
		{"y\n", exitOK},
		{"YES\n", exitOK},
		{" yes ", exitOK},
		{"n\n", exitFailure},
		{"\n", exitFailure},
		{"maybe\n", exitFailure},
		{"", exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.answer, func(t *testing.T) {
			h := newHarness(t)
			h.terminal = true
			h.stdin = tt.answer
			r := h.run("sessions", "logout-all")
			requireCode(t, tt.want, r)
			require.Contains(t, r.stderr, confirmPrompt)
			if tt.want == exitOK {
				assert.Equal(t, vaulttest.MessageAllSessionsRevoked+"\n", r.stdout)
				assertRevoked(t, h, true)
				return
			}
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, "vault: cancelled; no session was signed out")
			assert.Empty(t, h.srv.Requests())
			assertRevoked(t, h, false)
		})
	}
}

func TestLogoutAllArgumentsAreRefused(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "logout-all", "--yes", h.demo[1].ID)
	requireCode(t, exitUsage, r)
	assert.Contains(t, oneLine(t, r), "takes no arguments")
	assertRevoked(t, h, false)
}

func TestLogoutAllThenTheTokenIsRefused(t *testing.T) {
	h := newHarness(t)
	requireCode(t, exitOK, h.run("sessions", "logout-all", "--yes"))
	r := h.run("sessions", "list")
	requireCode(t, exitFailure, r)
	assert.Contains(t, oneLine(t, r), "check VAULT_TOKEN")
}

func TestIsTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer null.Close()
	assert.False(t, isTerminal(null), "the null device has nobody to answer a prompt")

	file, err := os.CreateTemp(t.TempDir(), "stdin")
	require.NoError(t, err)
	defer file.Close()
	assert.False(t, isTerminal(file))
	assert.False(t, isTerminal(strings.NewReader("y\n")))
}

func TestLogoutAllOnTheServerKeepsTheCurrentSession(t *testing.T) {
	h := newHarness(t, vaulttest.WithDialect(vaulttest.DialectServer))
	r := h.run("sessions", "logout-all", "--yes")
	requireCode(t, exitOK, r)
	assert.Equal(t, "Revoked 2 sessions\n", r.stdout)
	for _, s := range h.srv.Sessions(vaulttest.DemoUserID) {
		assert.Equal(t, s.ID != h.demo[0].ID, s.Revoked, "session %s", s.ID)
	}
	r = h.run("sessions", "list")
	requireCode(t, exitOK, r)
	assert.Contains(t, r.stdout, "1 of 5 sessions")
}
