package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// newAdminHarness is newHarness with an administrator of the demo
// user's tenant, whose token the command uses; the demo's last session
// is revoked.
func newAdminHarness(t *testing.T, opts ...vaulttest.Option) *harness {
	t.Helper()
	h := newHarness(t, opts...)
	h.srv.AddUser(vaulttest.User{ID: "usr_admin", Admin: true})
	admin := h.srv.AddSession("usr_admin", vaulttest.SessionSeed{})
	h.env[envToken] = h.secret(admin.Token)
	h.srv.RevokeSession(h.demo[2].ID)
	return h
}

func TestAdminList(t *testing.T) {
	h := newAdminHarness(t)
	r := h.run("admin", "sessions", "list", vaulttest.DemoUserID)
	requireCode(t, exitOK, r)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 5, r.stdout)
	assert.Regexp(t, `^ID +STATUS +DEVICE +IP ADDRESS +LAST ACTIVE +EXPIRES$`, lines[0])
	assert.Regexp(t, `^`+h.demo[2].ID+` +revoked +fp_c3a05b7719e2d48f +2001:db8:85a3::8a2e:370:7334 +6h ago +in 29d$`, lines[1])
	assert.Regexp(t, `^`+h.demo[0].ID+` +active +fp_9f2c4e1a7b3d5c60 +203\.0\.113\.24 +1m ago +in 29d$`, lines[3])
	assert.Equal(t, "2 active sessions of 5 allowed", lines[4], "the active sessions of the limit")
	assert.Empty(t, r.stderr)

	r = h.run("admin", "sessions", "list", "--output", "json", vaulttest.DemoUserID)
	requireCode(t, exitOK, r)
	var sessions []vault.AdminSessionResponse
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
	require.Len(t, sessions, 3)
	assert.Equal(t, vault.SessionStatusRevoked, sessions[0].Status)
	assert.Contains(t, r.stdout, `"status": "revoked"`)
	assert.Contains(t, r.stdout, `"deviceFingerprint": "fp_c3a05b7719e2d48f"`)

	h.srv.AddUser(vaulttest.User{ID: "carol"})
	r = h.run("admin", "sessions", "list", "carol")
	requireCode(t, exitOK, r)
	assert.Equal(t, "No sessions.\n", r.stdout)
	r = h.run("admin", "sessions", "list", "carol", "--output", "json")
	requireCode(t, exitOK, r)
	assert.Equal(t, "[]\n", r.stdout)
}

func TestAdminListServerDialect(t *testing.T) {
	h := newAdminHarness(t, vaulttest.WithDialect(vaulttest.DialectServer))
	r := h.run("admin", "sessions", "list", vaulttest.DemoUserID)
	requireCode(t, exitOK, r)
	assert.Regexp(t, `(?m)^`+h.demo[0].ID+` +active +- +203\.0\.113\.24 `, r.stdout, "the server's deviceInfo has no browser nor OS")
	assert.Contains(t, r.stdout, "\n2 active sessions of 5 allowed\n")
}

func TestAdminGet(t *testing.T) {
	h := newAdminHarness(t)
	r := h.run("admin", "sessions", "get", vaulttest.DemoUserID, h.demo[2].ID)
	requireCode(t, exitOK, r)
	for _, want := range []string{
		"ID:            " + h.demo[2].ID + "\n",
		"User:          usr_demo\n",
		"Status:        revoked\n",
		"Device:        fp_c3a05b7719e2d48f\n",
		"IP address:    2001:db8:85a3::8a2e:370:7334\n",
		"MFA verified:  no\n",
		"Created:       2025-02-28T23:45:00Z (12h ago)\n",
		"Expires:       2025-03-30T23:45:00Z (in 29d)\n",
	} {
		assert.Contains(t, r.stdout, want)
	}

	r = h.run("admin", "sessions", "get", "--output", "json", vaulttest.DemoUserID, h.demo[0].ID)
	requireCode(t, exitOK, r)
	var s vault.AdminSessionResponse
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &s))
	assert.Equal(t, h.demo[0].ID, s.ID)
	assert.Equal(t, vault.SessionStatusActive, s.Status)

	r = h.run("admin", "sessions", "get", vaulttest.DemoUserID, "ses_nope")
	requireCode(t, exitFailure, r)
	assert.Equal(t, "vault: get session ses_nope of user usr_demo: 404 NOT_FOUND: Session not found [request req-000003] "+
		"(hint: no such user in this token's tenant, or the session is not the user's; see vault admin sessions list USER_ID)", oneLine(t, r))
}

func TestAdminRevoke(t *testing.T) {
	h := newAdminHarness(t)
	r := h.run("admin", "sessions", "revoke", vaulttest.DemoUserID, h.demo[1].ID, "ses_missing", h.demo[2].ID)
	requireCode(t, exitFailure, r)
	assert.Equal(t, "revoked "+h.demo[1].ID+"\nrevoked "+h.demo[2].ID+"\n", r.stdout, "a revoked session is revoked again")
	assert.Contains(t, r.stderr, "vault: revoke session ses_missing of user usr_demo: 404 NOT_FOUND")
	assert.Contains(t, r.stderr, "vault: revoked 2 of 3 sessions\n")
	s, _ := h.srv.Session(h.demo[1].ID)
	assert.True(t, s.Revoked)

	r = h.run("admin", "sessions", "revoke", vaulttest.DemoUserID, h.demo[0].ID)
	requireCode(t, exitOK, r)
	assert.Equal(t, "revoked "+h.demo[0].ID+"\n", r.stdout)
	assert.Empty(t, r.stderr)
}

func TestAdminRefusesAUserToken(t *testing.T) {
	h := newHarness(t)
	r := h.run("admin", "sessions", "revoke", vaulttest.DemoUserID, h.demo[1].ID, h.demo[2].ID)
	requireCode(t, exitFailure, r)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "403 FORBIDDEN")
	assert.Contains(t, r.stderr, "(hint: this token is not a tenant administrator's")
	assert.Contains(t, r.stderr, "vault: stopped; 1 more session(s) not attempted\n")
	assert.Len(t, deletes(h.srv), 1, "a refused token stops at once")

	for _, args := range [][]string{
		{"admin", "sessions", "list", vaulttest.DemoUserID},
		{"admin", "sessions", "get", vaulttest.DemoUserID, h.demo[1].ID},
		{"admin", "sessions", "revoke-all", "--yes", vaulttest.DemoUserID},
	} {
		r := h.run(args...)
		requireCode(t, exitFailure, r)
		assert.Contains(t, oneLine(t, r), "(hint: this token is not a tenant administrator's", args)
	}
	for _, s := range h.srv.Sessions(vaulttest.DemoUserID) {
		assert.False(t, s.Revoked)
	}
}

func TestAdminUnknownUser(t *testing.T) {
	h := newAdminHarness(t)
	r := h.run("admin", "sessions", "list", "usr_nobody")
	requireCode(t, exitFailure, r)
	assert.Contains(t, oneLine(t, r), "vault: list sessions of user usr_nobody: 404 NOT_FOUND: User not found")
	assert.Contains(t, r.stderr, "(hint: no such user in this token's tenant; check the user ID")
}

func TestAdminRevokeAll(t *testing.T) {
	h := newAdminHarness(t)

	r := h.run("admin", "sessions", "revoke-all", vaulttest.DemoUserID)
	requireCode(t, exitUsage, r)
	assert.Contains(t, oneLine(t, r), "stdin is not a terminal (hint: pass --yes to confirm)")

	h.terminal, h.stdin = true, "n\n"
	r = h.run("admin", "sessions", "revoke-all", vaulttest.DemoUserID)
	requireCode(t, exitFailure, r)
	assert.Contains(t, r.stderr, "Sign out every session of user usr_demo? [y/N] ")
	assert.Contains(t, r.stderr, "vault: cancelled; no session was signed out")
	assert.Empty(t, deletes(h.srv))

	h.stdin = "y\n"
	r = h.run("admin", "sessions", "revoke-all", vaulttest.DemoUserID)
	requireCode(t, exitOK, r)
	assert.Equal(t, "Revoked 2 sessions for user usr_demo\n", r.stdout)
	for _, s := range h.srv.Sessions(vaulttest.DemoUserID) {
		assert.True(t, s.Revoked, s.ID)
	}

	h.terminal, h.stdin = false, ""
	r = h.run("admin", "sessions", "revoke-all", "--yes", vaulttest.DemoUserID)
	requireCode(t, exitOK, r)
	assert.Equal(t, "Revoked 0 sessions for user usr_demo\n", r.stdout)
}

func TestAdminRetriesALostRevoke(t *testing.T) {
	h := newAdminHarness(t)
	h.srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeUserSession, Action: vaulttest.ApplyThenReset})
	r := h.run("admin", "sessions", "revoke", vaulttest.DemoUserID, h.demo[0].ID)
	requireCode(t, exitOK, r)
	assert.Equal(t, "revoked "+h.demo[0].ID+"\n", r.stdout)
	assert.Len(t, deletes(h.srv), 2)
}

func TestAdminUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"admin alone", []string{"admin"}, "vault admin sessions list [flags] USER_ID"},
		{"admin sessions alone", []string{"admin", "sessions"}, "vault admin sessions revoke-all [flags] USER_ID"},
		{"unknown admin command", []string{"admin", "users"}, `vault: unknown command "admin users" (hint: run vault admin --help for the commands)`},
		{"unknown admin sessions command", []string{"admin", "sessions", "delete"}, `vault: unknown command "admin sessions delete"`},
		{"list without a user", []string{"admin", "sessions", "list"}, "vault: admin sessions list takes one USER_ID, got 0 arguments"},
		{"list with two users", []string{"admin", "sessions", "list", "a", "b"}, "takes one USER_ID, got 2 arguments"},
		{"get without a session", []string{"admin", "sessions", "get", "usr_demo"}, "admin sessions get takes USER_ID and SESSION_ID, got 1 arguments"},
		{"revoke without a session", []string{"admin", "sessions", "revoke", "usr_demo"}, "needs a USER_ID and at least one session ID"},
		{"revoke-all without a user", []string{"admin", "sessions", "revoke-all", "--yes"}, "admin sessions revoke-all takes one USER_ID, got 0 arguments"},
		{"unknown output", []string{"admin", "sessions", "list", "--output", "yaml", "usr_demo"}, `unknown --output "yaml"`},
		{"output on revoke-all", []string{"admin", "sessions", "revoke-all", "--output", "json", "usr_demo"}, "flag provided but not defined: -output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newAdminHarness(t)
			r := h.run(tt.args...)
			requireCode(t, exitUsage, r)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, h.srv.Requests())
		})
	}
}

func TestAdminHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"vault admin sessions COMMAND USER_ID", "Run vault admin\n--help"}},
		{[]string{"admin", "--help"}, []string{"vault admin sessions get [flags] USER_ID SESSION_ID", "tenant administrator"}},
		{[]string{"help", "admin"}, []string{"vault admin sessions revoke [flags] USER_ID ID..."}},
		{[]string{"admin", "sessions", "help"}, []string{"vault admin sessions list [flags] USER_ID"}},
		{[]string{"admin", "sessions", "list", "--help"}, append([]string{"Usage:\n  vault admin sessions list [flags] USER_ID\n", "--output format", "revoked and expired sessions stay listed", "Exit codes:"}, connectionFlags...)},
		{[]string{"admin", "sessions", "get", "-h"}, append([]string{"Usage:\n  vault admin sessions get [flags] USER_ID SESSION_ID\n", "--output format"}, connectionFlags...)},
		{[]string{"admin", "sessions", "revoke", "--help"}, append([]string{"Usage:\n  vault admin sessions revoke [flags] USER_ID SESSION_ID...\n", "revoked again without\nerror"}, connectionFlags...)},
		{[]string{"admin", "sessions", "revoke-all", "--help"}, append([]string{"Usage:\n  vault admin sessions revoke-all [flags] USER_ID\n", "--yes", "password reset"}, connectionFlags...)},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			h := newHarness(t)
			r := h.run(tt.args...)
			requireCode(t, exitOK, r)
			assert.Empty(t, r.stderr)
			for _, w := range tt.want {
				assert.Contains(t, r.stdout, w)
			}
			assert.Empty(t, h.srv.Requests())
		})
	}
}

func TestAdminGlobalFlagsBeforeTheCommand(t *testing.T) {
	h := newAdminHarness(t)
	h.env[envBaseURL] = "http://127.0.0.1:1/api/v1" // nothing listens there
	r := h.run("--base-url", h.srv.URL, "--retries", "0", "admin", "sessions", "list", vaulttest.DemoUserID)
	requireCode(t, exitOK, r)
	for _, req := range h.srv.Requests() {
		assert.Equal(t, http.MethodGet, req.Method)
		assert.Equal(t, "/api/v1/admin/users/usr_demo/sessions", req.Path)
	}
}
