package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

// TestAdminEndToEnd drives the admin commands of vault against
// vault-mock, as processes, with the administrator's token it prints.
func TestAdminEndToEnd(t *testing.T) {
	bin := buildCommands(t)
	mock := startMockProcess(t, filepath.Join(bin, "vault-mock"), "-addr", "127.0.0.1:0", "-tenant", "tnt_acme")
	base := append(withoutVaultVariables(os.Environ()), "VAULT_BASE_URL="+mock.baseURL, "VAULT_TENANT_ID=tnt_acme")
	vaultAs := func(token string, args ...string) result {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, "vault"), args...)
		cmd.Env = append(base, "VAULT_TOKEN="+token)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.ExitCode()
		} else {
			require.NoError(t, err)
		}
		r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
		assertNoSecrets(t, r, mock.token, mock.adminToken)
		return r
	}
	admin := func(args ...string) result { t.Helper(); return vaultAs(mock.adminToken, args...) }
	list := func() []vault.AdminSessionResponse {
		t.Helper()
		r := admin("admin", "sessions", "list", "usr_demo", "--output", "json")
		requireCode(t, exitOK, r)
		var sessions []vault.AdminSessionResponse
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
		return sessions
	}

	r := admin("admin", "sessions", "list", "usr_demo")
	requireCode(t, exitOK, r)
	assert.Regexp(t, `(?m)^ID +STATUS +DEVICE +IP ADDRESS +LAST ACTIVE +EXPIRES$`, r.stdout)
	assert.Regexp(t, `(?m)^\S+ +active +fp_9f2c4e1a7b3d5c60 +203\.0\.113\.24 `, r.stdout)
	assert.Contains(t, r.stdout, "\n3 active sessions of 5 allowed\n")

	sessions := list()
	require.Len(t, sessions, 3)
	phone := sessions[1].ID

	r = admin("admin", "sessions", "revoke", "usr_demo", phone, "ses_missing")
	requireCode(t, exitFailure, r)
	assert.Equal(t, "revoked "+phone+"\n", r.stdout)
	assert.Contains(t, r.stderr, "vault: revoke session ses_missing of user usr_demo: 404 NOT_FOUND")

	r = admin("admin", "sessions", "get", "usr_demo", phone)
	requireCode(t, exitOK, r)
	assert.Contains(t, r.stdout, "Status:        revoked\n")
	statuses := map[vault.SessionStatus]int{}
	for _, s := range list() {
		statuses[s.Status]++
	}
	assert.Equal(t, map[vault.SessionStatus]int{vault.SessionStatusActive: 2, vault.SessionStatusRevoked: 1}, statuses,
		"the revoked session stays listed")

	r = vaultAs(mock.token, "admin", "sessions", "list", "usr_demo")
	requireCode(t, exitFailure, r)
	assert.Contains(t, r.stderr, "403 FORBIDDEN")
	assert.Contains(t, r.stderr, "(hint: this token is not a tenant administrator's")

	r = admin("admin", "sessions", "revoke-all", "usr_demo")
	requireCode(t, exitUsage, r)
	assert.Contains(t, r.stderr, "stdin is not a terminal")

	r = admin("admin", "sessions", "revoke-all", "usr_demo", "--yes")
	requireCode(t, exitOK, r)
	assert.Equal(t, "Revoked 2 sessions for user usr_demo\n", r.stdout)

	r = vaultAs(mock.token, "sessions", "list")
	requireCode(t, exitFailure, r)
	assert.Contains(t, r.stderr, "401 UNAUTHORIZED", "the user is signed out everywhere")

	assert.Equal(t, 0, mock.stop(t), "stderr:\n%s", mock.stderr.String())
	assert.NotContains(t, mock.stderr.String(), mock.adminToken)
}
