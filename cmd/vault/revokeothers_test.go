package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestRevokeOthers(t *testing.T) {
	for _, args := range [][]string{
		{"sessions", "revoke-others"},
		{"--retries", "1", "sessions", "revoke-others"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			h := newHarness(t)
			r := h.run(args...)
			requireCode(t, exitOK, r)
			assert.Empty(t, r.stderr)
			var want []string
			for _, s := range h.demo[1:] {
				want = append(want, "revoked "+s.ID)
				got, ok := h.srv.Session(s.ID)
				require.True(t, ok)
				assert.True(t, got.Revoked, s.ID)
			}
			assert.ElementsMatch(t, want, strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n"), "each revoked ID")
			cur, _ := h.srv.Session(h.demo[0].ID)
			assert.False(t, cur.Revoked, "the current session stays")
		})
	}
}

func TestRevokeOthersAsksNoConfirmation(t *testing.T) {
	h := newHarness(t)
	h.terminal = true
	r := h.run("sessions", "revoke-others")
	requireCode(t, exitOK, r)
	assert.NotContains(t, r.stderr, "[y/N]")
	assert.Len(t, deletes(h.srv), len(h.demo)-1)
}

func TestRevokeOthersWithNoOtherSession(t *testing.T) {
	h := newHarness(t)
	requireCode(t, exitOK, h.run("sessions", "revoke-others"))
	r := h.run("sessions", "revoke-others")
	requireCode(t, exitOK, r)
	assert.Empty(t, r.stdout)
	assert.Empty(t, r.stderr)
}

func TestRevokeOthersPartialFailure(t *testing.T) {
	h := newHarness(t)
	// One revocation, whichever comes first, fails; without retries, the
	// other succeeds.
	h.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: http.StatusInternalServerError})
	r := h.run("sessions", "revoke-others", "--retries", "0")
	requireCode(t, exitFailure, r)

	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 2, r.stderr)
	assert.Equal(t, "vault: revoked 1 of 2 other sessions", lines[1])
	var failed, revoked string
	for _, s := range h.demo[1:] {
		if strings.HasPrefix(lines[0], "vault: revoke session "+s.ID+": 500 ") {
			failed = s.ID
		} else {
			revoked = s.ID
		}
	}
	require.NotEmpty(t, failed, "stderr names the failed ID: %s", lines[0])
	assert.Contains(t, lines[0], "(hint: the API is failing")
	assert.Equal(t, "revoked "+revoked+"\n", r.stdout)
	got, _ := h.srv.Session(failed)
	assert.False(t, got.Revoked)
	got, _ = h.srv.Session(revoked)
	assert.True(t, got.Revoked)
}

func TestRevokeOthersListFails(t *testing.T) {
	h := newHarness(t)
	h.env[envToken] = h.secret("vt_no_such_token")
	r := h.run("sessions", "revoke-others")
	requireCode(t, exitFailure, r)
	assert.Empty(t, r.stdout)
	line := oneLine(t, r)
	assert.Contains(t, line, "vault: revoke other sessions: 401 UNAUTHORIZED")
	assert.Contains(t, line, "(hint: check VAULT_TOKEN")
	assert.Empty(t, deletes(h.srv), "nothing is revoked")
}

func TestRevokeOthersWithoutCurrentSession(t *testing.T) {
	h := newHarness(t)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":"ses_a","current":false},{"id":"ses_b","current":false}]`))
	}))
	t.Cleanup(ts.Close)
	h.env[envBaseURL] = ts.URL
	r := h.run("sessions", "revoke-others")
	requireCode(t, exitFailure, r)
	assert.Empty(t, r.stdout)
	assert.Equal(t, "vault: revoke other sessions: no current session in the session list "+
		"(hint: nothing was revoked: the list does not say which session is the token's)", oneLine(t, r))
}

func TestRevokeOthersTakesNoArguments(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "revoke-others", h.demo[1].ID)
	requireCode(t, exitUsage, r)
	assert.Contains(t, oneLine(t, r), "sessions revoke-others takes no arguments, got 1")
	assert.Empty(t, h.srv.Requests())
}
