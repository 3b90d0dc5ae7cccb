package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdminSessionsListGolden runs, against vault-mock started as
// docs/cli.md starts it, the revocation of the demo's iPad by the
// administrator and then vault admin sessions list, and checks the list
// against testdata/admin-sessions-list.golden, which docs/cli.md shows
// verbatim. Run it with -update to rewrite the golden file.
func TestAdminSessionsListGolden(t *testing.T) {
	bin := buildCommands(t)
	mock := startMockProcess(t, filepath.Join(bin, "vault-mock"), "-addr", "127.0.0.1:0")
	vaultCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, "vault"), args...)
		cmd.Env = append(withoutVaultVariables(os.Environ()), "VAULT_BASE_URL="+mock.baseURL, "VAULT_TOKEN="+mock.adminToken)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
		return stdout.String()
	}
	const ipad = "0a076f89-dbec-49ed-b4f9-cf349edd86f2" // the demo's third session, in docs/cli.md
	assert.Equal(t, "revoked "+ipad+"\n", vaultCmd("admin", "sessions", "revoke", "usr_demo", ipad))
	got := vaultCmd("admin", "sessions", "list", "usr_demo")
	assert.Equal(t, 0, mock.stop(t))

	golden := filepath.Join("testdata", "admin-sessions-list.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got, "the output differs from %s; run the test with -update if the change is meant", golden)

	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(doc), "```\n"+string(want)+"```\n"),
		"docs/cli.md does not show %s verbatim in a code block", golden)
}
