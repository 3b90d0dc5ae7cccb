package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestRevokeOne(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "revoke", h.demo[1].ID)
	requireCode(t, exitOK, r)
	assert.Equal(t, "revoked "+h.demo[1].ID+"\n", r.stdout)
	assert.Empty(t, r.stderr)
	s, ok := h.srv.Session(h.demo[1].ID)
	require.True(t, ok)
	assert.True(t, s.Revoked)
}

func TestRevokeSeveralWithOneMissing(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "revoke", h.demo[1].ID, "ses_missing", h.demo[2].ID)
	requireCode(t, exitFailure, r)

	for _, s := range h.demo[1:] {
		got, ok := h.srv.Session(s.ID)
		require.True(t, ok)
		assert.True(t, got.Revoked, "the IDs around the missing one are revoked")
	}
	cur, _ := h.srv.Session(h.demo[0].ID)
	assert.False(t, cur.Revoked)

	assert.Equal(t, "revoked "+h.demo[1].ID+"\nrevoked "+h.demo[2].ID+"\n", r.stdout)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 2, r.stderr)
	assert.Contains(t, lines[0], "vault: revoke session ses_missing: 404 NOT_FOUND")
	assert.Contains(t, lines[0], "(hint: no such session")
	assert.Equal(t, "vault: revoked 2 of 3 sessions", lines[1])
}

func TestRevokeStopsOnAnErrorEveryIDWouldHave(t *testing.T) {
	h := newHarness(t)
	h.env[envToken] = h.secret("vt_not_a_real_token")
	r := h.run("sessions", "revoke", h.demo[1].ID, h.demo[2].ID, "ses_third")
	requireCode(t, exitFailure, r)
	assert.Empty(t, r.stdout)
	assert.Len(t, deletes(h.srv), 1, "the first 401 stops the others")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 3, r.stderr)
	assert.Contains(t, lines[0], "401")
	assert.Contains(t, lines[0], "check VAULT_TOKEN")
	assert.Equal(t, "vault: stopped; 2 more session(s) not attempted", lines[1])
	assert.Equal(t, "vault: revoked 0 of 3 sessions", lines[2])
}

func TestRevokeInvalidIDDoesNotStopTheOthers(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "revoke", "a/b", h.demo[1].ID)
	requireCode(t, exitFailure, r)
	assert.Equal(t, "revoked "+h.demo[1].ID+"\n", r.stdout)
	assert.Contains(t, r.stderr, `vault: revoke session a/b: invalid argument: session ID "a/b" contains a path separator`)
	assert.Len(t, deletes(h.srv), 1, "an invalid ID is refused before sending")
}

func TestRevokeIDsAndFlagsInAnyOrder(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "revoke", h.demo[1].ID, "--retries", "0", h.demo[2].ID, "--", "--verbose")
	requireCode(t, exitFailure, r)
	assert.Equal(t, "revoked "+h.demo[1].ID+"\nrevoked "+h.demo[2].ID+"\n", r.stdout)
	assert.Contains(t, r.stderr, "vault: revoke session --verbose: 404", "after --, a flag's name is an ID")
	assert.NotContains(t, r.stderr, "level=DEBUG")
}

func TestRevokeWithoutIDs(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "revoke", "--verbose")
	requireCode(t, exitUsage, r)
	assert.Equal(t, "vault: sessions revoke needs at least one session ID (hint: see vault sessions list for the IDs)", oneLine(t, r))
	assert.Empty(t, h.srv.Requests())
}

func TestRevokeAnotherUsersSessionOnTheServer(t *testing.T) {
	h := newHarness(t, vaulttest.WithDialect(vaulttest.DialectServer))
	bob := h.srv.AddSession("bob", vaulttest.SessionSeed{ID: "ses_bob"})
	h.secret(bob.Token)
	r := h.run("sessions", "revoke", bob.ID, h.demo[1].ID)
	requireCode(t, exitFailure, r)
	assert.Equal(t, "revoked "+h.demo[1].ID+"\n", r.stdout, "a 403 does not stop the other IDs")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	require.Len(t, lines, 2, r.stderr)
	assert.Equal(t, "vault: revoke session ses_bob: 403 FORBIDDEN: Access denied "+
		"(hint: the session belongs to another user; see vault sessions list for this user's own)", lines[0])
	assert.Equal(t, "vault: revoked 1 of 2 sessions", lines[1])
	got, _ := h.srv.Session(bob.ID)
	assert.False(t, got.Revoked)
}
