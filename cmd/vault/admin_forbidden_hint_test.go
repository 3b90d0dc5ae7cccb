package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestAdminForbiddenHintPointsAtTheAdminToken checks the hint of an admin
// command refused with 403: when VAULT_ADMIN_TOKEN, which vault-mock
// prints, holds another token than the one in use, the hint says how to
// use it, without printing either token; otherwise it is the plain one.
func TestAdminForbiddenHintPointsAtTheAdminToken(t *testing.T) {
	const plain = "(hint: this token is not a tenant administrator's; check VAULT_TOKEN or the token file)"
	const pointed = "(hint: this token is not a tenant administrator's; VAULT_ADMIN_TOKEN, as vault-mock prints it, holds another: " +
		"run with VAULT_TOKEN=$VAULT_ADMIN_TOKEN)"
	tests := []struct {
		name  string
		admin func(h *harness) string // VAULT_ADMIN_TOKEN, or "" for unset
		want  string
	}{
		{"VAULT_ADMIN_TOKEN unset", func(*harness) string { return "" }, plain},
		{"VAULT_ADMIN_TOKEN set to another token", func(h *harness) string {
			h.srv.AddUser(vaulttest.User{ID: "usr_admin", Admin: true})
			return h.srv.AddSession("usr_admin", vaulttest.SessionSeed{}).Token
		}, pointed},
		{"VAULT_ADMIN_TOKEN set to the token in use", func(h *harness) string { return h.token() }, plain},
		{"VAULT_ADMIN_TOKEN blank", func(*harness) string { return " " }, plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t) // VAULT_TOKEN is the demo user's: no administrator
			if tok := tt.admin(h); tok != "" {
				h.env[envAdminToken] = tok
				if tok != " " {
					h.secret(tok)
				}
			}
			for _, args := range [][]string{
				{"admin", "sessions", "list", vaulttest.DemoUserID},
				{"admin", "sessions", "revoke-all", vaulttest.DemoUserID, "--yes"},
			} {
				r := h.run(args...)
				requireCode(t, exitFailure, r)
				assert.Contains(t, oneLine(t, r), "403 FORBIDDEN")
				assert.Contains(t, r.stderr, tt.want, "%v", args)
			}
		})
	}
}

// TestForbiddenHintOfAUserCommandIgnoresTheAdminToken checks that the
// pointer to VAULT_ADMIN_TOKEN is for the admin commands only: the
// server's dialect answers 403 to a revocation of another user's session.
func TestForbiddenHintOfAUserCommandIgnoresTheAdminToken(t *testing.T) {
	h := newHarness(t, vaulttest.WithDialect(vaulttest.DialectServer))
	h.srv.AddUser(vaulttest.User{ID: "usr_admin", Admin: true})
	h.env[envAdminToken] = h.secret(h.srv.AddSession("usr_admin", vaulttest.SessionSeed{}).Token)
	other := h.srv.AddSession("usr_other", vaulttest.SessionSeed{})
	h.env[envToken] = h.secret(other.Token)
	r := h.run("sessions", "revoke", h.demo[1].ID)
	requireCode(t, exitFailure, r)
	assert.Contains(t, r.stderr, "403 FORBIDDEN")
	assert.NotContains(t, r.stderr, envAdminToken)
}
