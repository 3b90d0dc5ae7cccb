package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConnectionFlagsBeforeOrAfterTheCommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"after", []string{"sessions", "list", "--verbose", "--tenant-id", "acme", "--output", "json"}},
		{"before", []string{"--verbose", "--tenant-id", "acme", "sessions", "list", "--output", "json"}},
		{"before, with =", []string{"--verbose=true", "--tenant-id=acme", "sessions", "list", "--output=json"}},
		{"single dash", []string{"-verbose", "-tenant-id", "acme", "sessions", "list", "-output", "json"}},
		{"on both sides", []string{"--tenant-id", "acme", "sessions", "list", "--verbose", "--output", "json"}},
		{"before --", []string{"--verbose", "--tenant-id", "acme", "--", "sessions", "list", "--output", "json"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(tt.args...)
			requireCode(t, exitOK, r)
			assert.True(t, json.Valid([]byte(r.stdout)), r.stdout)
			assert.Contains(t, r.stderr, `level=DEBUG msg="vault: config"`, "--verbose took effect")
			assert.Contains(t, r.stderr, "tenant_id=acme", "--tenant-id took its value")
			reqs := h.srv.Requests()
			if assert.Len(t, reqs, 1) {
				assert.Equal(t, "GET", reqs[0].Method)
			}
		})
	}
}

func TestFlagsBeforeTheCommand(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"a command's own flag", []string{"--output", "json", "sessions", "list"}, exitUsage, "",
			"vault: flag --output must follow a command (hint: such as: vault sessions list --output)"},
		{"an unknown flag", []string{"--force", "sessions", "revoke", "ses_1"}, exitUsage, "",
			"vault: flag --force must follow a command"},
		{"a bad value", []string{"--timeout", "soon", "sessions", "list"}, exitUsage, "",
			`invalid value "soon" for flag -timeout`},
		{"no command", []string{"--verbose"}, exitUsage, "", "vault sessions list [flags]"},
		{"version takes none and ignores them", []string{"--verbose", "version"}, exitOK, "vault-go SDK", ""},
		{"help", []string{"--verbose", "--help"}, exitOK, "vault sessions revoke-others [flags]", ""},
		{"revoke IDs after --", []string{"--retries", "0", "sessions", "revoke", "--", "--verbose"}, exitFailure, "",
			"vault: revoke session --verbose: 404"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(tt.args...)
			requireCode(t, tt.code, r)
			if tt.stdout == "" {
				assert.Empty(t, r.stdout)
			} else {
				assert.Contains(t, r.stdout, tt.stdout)
			}
			if tt.stderr == "" {
				assert.Empty(t, r.stderr)
			} else {
				assert.Contains(t, r.stderr, tt.stderr)
			}
		})
	}
}
