package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vault-dev/vault-go/internal/syncbuf"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

// TestEndToEnd builds vault and vault-mock and drives them as processes,
// as a shell script would.
func TestEndToEnd(t *testing.T) {
	bin := buildCommands(t)

	mock := startMockProcess(t, filepath.Join(bin, "vault-mock"), "-addr", "127.0.0.1:0", "-sessions", "4")
	vaultBin := filepath.Join(bin, "vault")
	env := append(withoutVaultVariables(os.Environ()), "VAULT_BASE_URL="+mock.baseURL, "VAULT_TOKEN="+mock.token)
	vaultCmd := func(stdin string, args ...string) result {
		t.Helper()
		cmd := exec.Command(vaultBin, args...)
		cmd.Env = env
		cmd.Stdin = strings.NewReader(stdin)
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
		assertNoSecrets(t, r, mock.token)
		return r
	}

	r := vaultCmd("", "sessions", "list")
	requireCode(t, exitOK, r)
	assert.Regexp(t, `(?m)^\*  \S+  desktop  Chrome on macOS `, r.stdout)
	assert.Contains(t, r.stdout, "* current session")

	r = vaultCmd("", "sessions", "list", "--output", "json")
	requireCode(t, exitOK, r)
	var sessions []vault.SessionResponse
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
	require.Len(t, sessions, 4)
	var others []string
	for _, s := range sessions {
		if !s.Current {
			others = append(others, s.ID)
		}
	}
	require.Len(t, others, 3)

	r = vaultCmd("", "sessions", "revoke", others[0], "ses_missing", others[1])
	requireCode(t, exitFailure, r)
	assert.Equal(t, "revoked "+others[0]+"\nrevoked "+others[1]+"\n", r.stdout)
	assert.Contains(t, r.stderr, "vault: revoke session ses_missing: 404 NOT_FOUND")

	r = vaultCmd("", "sessions", "list", "--output", "json")
	requireCode(t, exitOK, r)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
	assert.Len(t, sessions, 2)

	r = vaultCmd("", "--retries", "1", "sessions", "revoke-others")
	requireCode(t, exitOK, r)
	assert.Equal(t, "revoked "+others[2]+"\n", r.stdout)

	r = vaultCmd("", "sessions", "list", "--output", "json")
	requireCode(t, exitOK, r)
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
	require.Len(t, sessions, 1)
	assert.True(t, sessions[0].Current, "revoke-others keeps the current session")

	r = vaultCmd("y\n", "sessions", "logout-all")
	requireCode(t, exitUsage, r)
	assert.Contains(t, r.stderr, "stdin is not a terminal")

	r = vaultCmd("", "sessions", "logout-all", "--yes")
	requireCode(t, exitOK, r)
	assert.Equal(t, "All sessions revoked\n", r.stdout)

	r = vaultCmd("", "sessions", "list")
	requireCode(t, exitFailure, r)
	assert.Contains(t, r.stderr, "401 UNAUTHORIZED")
	assert.Contains(t, r.stderr, "(hint: check VAULT_TOKEN")

	r = vaultCmd("", "version")
	requireCode(t, exitOK, r)
	assert.Contains(t, r.stdout, "vault-go SDK "+vault.Version)

	assert.Equal(t, 0, mock.stop(t), "vault-mock exits 0 on SIGINT; stderr:\n%s", mock.stderr.String())
	assert.NotContains(t, mock.stderr.String(), mock.token)
}

// built holds vault and vault-mock, built once for the tests that run
// them as processes.
var built struct {
	once sync.Once
	dir  string
	out  []byte
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// buildCommands builds vault and vault-mock and returns their directory.
func buildCommands(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		if built.dir, built.err = os.MkdirTemp("", "vault-e2e"); built.err != nil {
			return
		}
		build := exec.Command("go", "build", "-o", built.dir+string(filepath.Separator),
			"github.com/vault-dev/vault-go/cmd/vault", "github.com/vault-dev/vault-go/cmd/vault-mock")
		built.out, built.err = build.CombinedOutput()
	})
	require.NoError(t, built.err, "go build: %s", built.out)
	return built.dir
}

// mockProcess is a running vault-mock.
type mockProcess struct {
	cmd            *exec.Cmd
	baseURL, token string
	adminToken     string
	stderr         *syncbuf.Buffer
	exited         chan struct{} // closed once the process has exited
}

// startMockProcess starts vault-mock and reads the first three lines it
// prints: the base URL, the demo's token and the administrator's.
func startMockProcess(t *testing.T, path string, args ...string) *mockProcess {
	t.Helper()
	m := &mockProcess{cmd: exec.Command(path, args...), stderr: &syncbuf.Buffer{}, exited: make(chan struct{})}
	m.cmd.Stderr = m.stderr
	stdout, err := m.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, m.cmd.Start())
	t.Cleanup(func() {
		select {
		case <-m.exited:
		default:
			_ = m.cmd.Process.Kill()
			<-m.exited
		}
	})

	lines := make(chan []string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		var got []string
		for len(got) < 3 && sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
		_, _ = io.Copy(io.Discard, stdout)
		_ = m.cmd.Wait() // the exit code is in ProcessState
		close(m.exited)
	}()
	var got []string
	select {
	case got = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("vault-mock printed nothing; stderr:\n%s", m.stderr.String())
	}
	require.Len(t, got, 3, "stderr:\n%s", m.stderr.String())
	var ok bool
	m.baseURL, ok = strings.CutPrefix(got[0], "VAULT_BASE_URL=")
	require.True(t, ok, got[0])
	m.token, ok = strings.CutPrefix(got[1], "VAULT_TOKEN=")
	require.True(t, ok, got[1])
	m.adminToken, ok = strings.CutPrefix(got[2], "VAULT_ADMIN_TOKEN=")
	require.True(t, ok, got[2])
	return m
}

// stop sends SIGINT and returns the exit code.
func (m *mockProcess) stop(t *testing.T) int {
	t.Helper()
	require.NoError(t, m.cmd.Process.Signal(os.Interrupt))
	select {
	case <-m.exited:
		return m.cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		t.Fatal("vault-mock did not stop on SIGINT")
		return -1
	}
}

// withoutVaultVariables drops the VAULT_ variables of the environment the
// tests run in.
func withoutVaultVariables(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "VAULT_") {
			out = append(out, kv)
		}
	}
	return out
}
