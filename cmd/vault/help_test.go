package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// connectionFlags are the flags every sessions command documents.
var connectionFlags = []string{"--base-url URL", "--tenant-id ID", "--token-file FILE", "--timeout duration", "--retries N", "--verbose"}

func TestHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"root", []string{"--help"}, []string{"vault sessions list [flags]", "vault sessions revoke [flags] ID...", "vault sessions revoke-others [flags]", "vault sessions logout-all [flags]", "vault version", "before or after the\ncommand", "Environment:", "VAULT_TOKEN", "Exit codes:"}},
		{"root -h", []string{"-h"}, []string{"vault sessions list [flags]"}},
		{"help", []string{"help"}, []string{"vault sessions list [flags]"}},
		{"sessions", []string{"sessions", "--help"}, []string{"vault sessions revoke [flags] ID...", "vault sessions revoke-others [flags]", "Run vault sessions COMMAND --help"}},
		{"sessions help", []string{"sessions", "help"}, []string{"vault sessions logout-all [flags]"}},
		{"list", []string{"sessions", "list", "--help"}, append([]string{"Usage:\n  vault sessions list [flags]\n", "--output format", "(default table)", "marks the current one", "Exit codes:"}, connectionFlags...)},
		{"help list", []string{"help", "sessions", "list"}, []string{"Usage:\n  vault sessions list [flags]\n"}},
		{"revoke", []string{"sessions", "revoke", "-h"}, append([]string{"Usage:\n  vault sessions revoke [flags] ID...\n", "the others are\nstill revoked", "already gone", "vault sessions revoke-others", "Environment:"}, connectionFlags...)},
		{"revoke-others", []string{"sessions", "revoke-others", "--help"}, append([]string{"Usage:\n  vault sessions revoke-others [flags]\n", "stays signed in", "already gone when its\nrevocation arrives counts as revoked", "Exit codes:"}, connectionFlags...)},
		{"logout-all", []string{"sessions", "logout-all", "--help"}, append([]string{"Usage:\n  vault sessions logout-all [flags]\n", "--yes", "Without a terminal"}, connectionFlags...)},
		{"version", []string{"version", "--help"}, []string{"Usage:\n  vault version\n\nPrint the version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(tt.args...)
			requireCode(t, exitOK, r)
			assert.Empty(t, r.stderr, "help goes to stdout")
			for _, w := range tt.want {
				assert.Contains(t, r.stdout, w)
			}
			assert.Empty(t, h.srv.Requests())
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "vault sessions list [flags]"},
		{"sessions alone", []string{"sessions"}, "vault sessions revoke [flags] ID..."},
		{"unknown command", []string{"session"}, `vault: unknown command "session" (hint: run vault --help for the commands)`},
		{"unknown subcommand", []string{"sessions", "delete"}, `vault: unknown command "sessions delete" (hint: run vault sessions --help for the commands)`},
		{"command flag before the command", []string{"--output", "json", "sessions", "list"}, "vault: flag --output must follow a command (hint: such as: vault sessions list --output)"},
		{"unknown flag", []string{"sessions", "revoke", "--force", "ses_1"}, "flag provided but not defined: -force\nRun vault sessions revoke --help for usage.\n"},
		{"version argument", []string{"version", "now"}, "vault: version takes no arguments, got 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(tt.args...)
			requireCode(t, exitUsage, r)
			assert.Empty(t, r.stdout, "usage errors go to stderr")
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, h.srv.Requests())
		})
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	for _, cmd := range []string{"list", "revoke", "revoke-others", "logout-all"} {
		h := newHarness(t)
		r := h.run("sessions", cmd, "--help")
		requireCode(t, exitOK, r)
		for _, line := range strings.Split(r.stdout, "\n") {
			if strings.HasPrefix(line, "  --") {
				assert.NotContains(t, line, "  -- ", "a flag without a name")
			}
		}
		assert.Equal(t, len(connectionFlags)+map[string]int{"list": 1, "revoke": 0, "revoke-others": 0, "logout-all": 1}[cmd],
			strings.Count(r.stdout, "\n  --"), r.stdout)
	}
}
