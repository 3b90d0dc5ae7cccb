package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestBaseURLFlagWinsOverEnvironment(t *testing.T) {
	h := newHarness(t)
	h.env[envBaseURL] = "http://127.0.0.1:1/api/v1"
	r := h.run("sessions", "list", "--base-url", h.srv.URL)
	requireCode(t, exitOK, r)
	assert.Contains(t, r.stdout, h.demo[0].ID)
}

func TestTenantIDFromEnvironmentAndFlag(t *testing.T) {
	tests := []struct {
		name string
		env  string
		args []string
		want int
	}{
		{"environment", "acme", nil, exitOK},
		{"flag wins", "other", []string{"--tenant-id", "acme"}, exitOK},
		{"flag wins when wrong", "acme", []string{"--tenant-id", "other"}, exitFailure},
		{"missing", "", nil, exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.srv.AddUser(vaulttest.User{ID: vaulttest.DemoUserID, TenantID: "acme"})
			h.env[envTenantID] = tt.env
			r := h.run(append([]string{"sessions", "list"}, tt.args...)...)
			requireCode(t, tt.want, r)
			if tt.want != exitOK {
				assert.Contains(t, oneLine(t, r), "401")
				return
			}
			reqs := h.srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "acme", reqs[0].Header.Get("X-Tenant-ID"))
		})
	}
}

func TestTokenFile(t *testing.T) {
	h := newHarness(t)
	h.env[envToken] = h.secret("vt_stale_token_from_env")
	path := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(path, []byte("  "+h.token()+"\n\n"), 0o600))

	r := h.run("sessions", "list", "--token-file", path)
	requireCode(t, exitOK, r)
	assert.Contains(t, r.stdout, h.demo[0].ID, "the file wins over VAULT_TOKEN")
	reqs := h.srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "Bearer "+h.token(), reqs[0].Header.Get("Authorization"))
}

func TestTokenFileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	tests := []struct {
		name string
		path string
		want string
	}{
		{"missing", filepath.Join(dir, "absent"), "cannot read the token file: " + filepath.Join(dir, "absent") + ": no such file or directory (hint: check --token-file)"},
		{"empty", write("empty", " \n\t\n"), "is empty (hint: write the token into it, or set VAULT_TOKEN)"},
		{"two lines", write("two", "vt_first_line_secret\nvt_second_line_secret\n"), "holds more than one line"},
		{"directory", dir, "cannot read the token file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.secret("vt_first_line_secret")
			h.secret("vt_second_line_secret")
			r := h.run("sessions", "list", "--token-file", tt.path)
			requireCode(t, exitUsage, r)
			assert.Contains(t, oneLine(t, r), tt.want)
			assert.Empty(t, r.stdout)
			assert.Empty(t, h.srv.Requests())
		})
	}
}

func TestMissingToken(t *testing.T) {
	for _, cmd := range [][]string{
		{"sessions", "list"},
		{"sessions", "revoke", "ses_1"},
		{"sessions", "logout-all", "--yes"},
	} {
		h := newHarness(t)
		h.env[envToken] = "  "
		r := h.run(cmd...)
		requireCode(t, exitUsage, r)
		assert.Equal(t, "vault: no token (hint: set VAULT_TOKEN or pass --token-file FILE)", oneLine(t, r))
		assert.Empty(t, h.srv.Requests())
	}
}

func TestTokenFlagIsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"sessions", "list", "--token", "vt_typed_on_the_command_line"},
		{"sessions", "list", "--token=vt_typed_on_the_command_line"},
		{"sessions", "revoke", "-token=vt_typed_on_the_command_line", "ses_1"},
		{"--access-token", "vt_typed_on_the_command_line", "sessions", "list"},
	} {
		h := newHarness(t)
		h.secret("vt_typed_on_the_command_line")
		r := h.run(args...)
		requireCode(t, exitUsage, r)
		assert.Contains(t, oneLine(t, r), "is not accepted: a token on the command line ends up in shell history")
		assert.Empty(t, h.srv.Requests())
	}
}

func TestInvalidBaseURL(t *testing.T) {
	tests := []struct {
		url  string
		want string
	}{
		{"http://api.example.com/api/v1", `vault: invalid base URL: http:// to non-loopback host "api.example.com"`},
		{"ftp://127.0.0.1/api/v1", "vault: invalid base URL: scheme must be https or http"},
	}
	for _, tt := range tests {
		h := newHarness(t)
		h.env[envBaseURL] = tt.url
		r := h.run("sessions", "list")
		requireCode(t, exitUsage, r)
		line := oneLine(t, r)
		assert.Contains(t, line, tt.want)
		assert.Contains(t, line, "(hint: check --base-url or VAULT_BASE_URL")
	}
}

func TestInvalidTenantID(t *testing.T) {
	h := newHarness(t)
	h.env[envTenantID] = "acme\x00"
	r := h.run("sessions", "list")
	requireCode(t, exitUsage, r)
	assert.Contains(t, oneLine(t, r), "vault: invalid tenant ID: contains a line break or NUL (hint: check --tenant-id or VAULT_TENANT_ID)")
}
