package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata")

// TestSessionsListGolden runs vault sessions list against vault-mock
// started as docs/cli.md starts it, and checks the output against
// testdata/sessions-list.golden, which docs/cli.md shows verbatim: the
// sample in the documentation is what the commands print. Run it with
// -update to rewrite the golden file after a change of the table or of
// the demo data, then paste the file into docs/cli.md.
func TestSessionsListGolden(t *testing.T) {
	bin := buildCommands(t)
	mock := startMockProcess(t, filepath.Join(bin, "vault-mock"), "-addr", "127.0.0.1:0")
	cmd := exec.Command(filepath.Join(bin, "vault"), "sessions", "list")
	cmd.Env = append(withoutVaultVariables(os.Environ()), "VAULT_BASE_URL="+mock.baseURL, "VAULT_TOKEN="+mock.token)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stderr: %s", stderr.String())
	assert.Equal(t, 0, mock.stop(t))

	golden := filepath.Join("testdata", "sessions-list.golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(golden, stdout.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), stdout.String(), "the output differs from %s; run the test with -update if the change is meant", golden)

	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(doc), "```\n"+string(want)+"```\n"),
		"docs/cli.md does not show %s verbatim in a code block", golden)
}
