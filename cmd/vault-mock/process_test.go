package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
	out  []byte
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// buildBinary builds vault-mock once for the tests that run it as a
// process, to send it signals.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs vault-mock as a process")
	}
	binary.once.Do(func() {
		binary.dir, binary.err = os.MkdirTemp("", "vault-mock-test")
		if binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "vault-mock")
		binary.out, binary.err = exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
	})
	require.NoError(t, binary.err, "go build: %s", binary.out)
	return binary.path
}

// process is vault-mock running as a child process.
type process struct {
	cmd                        *exec.Cmd
	baseURL, token, controlURL string
	stderr                     *syncbuf.Buffer
	exited                     chan struct{}
}

func startProcess(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{
		cmd:    exec.Command(buildBinary(t), append([]string{"-addr", "127.0.0.1:0"}, args...)...),
		stderr: &syncbuf.Buffer{},
		exited: make(chan struct{}),
	}
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, p.cmd.Start())
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	})
	lines := make(chan []string, 1)
	go func() {
		var got []string
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			got = append(got, sc.Text())
		}
		lines <- got
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	var got []string
	select {
	case got = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("vault-mock printed nothing; stderr:\n%s", p.stderr.String())
	}
	require.Len(t, got, 5, "stderr:\n%s", p.stderr.String())
	p.baseURL = strings.TrimPrefix(got[0], "VAULT_BASE_URL=")
	p.token = strings.TrimPrefix(got[1], "VAULT_TOKEN=")
	require.True(t, strings.HasPrefix(got[2], "VAULT_ADMIN_TOKEN="), got[2])
	require.True(t, strings.HasPrefix(got[3], "VAULT_REFRESH_TOKEN="), got[3])
	p.controlURL = strings.TrimPrefix(got[4], "VAULT_CONTROL_URL=")
	return p
}

func (p *process) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(sig))
}

// wait returns the exit code, failing the test if the process has not
// exited within a bound far above what it needs.
func (p *process) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(30 * time.Second):
		t.Fatalf("vault-mock is still running; stderr:\n%s", p.stderr.String())
		return -1
	}
}

// holdResponse makes a client that does not read start the large
// response of the demo user's list, and waits until the server has the
// request: its handler cannot finish until the connection goes.
func holdResponse(t *testing.T, p *process) {
	t.Helper()
	seedLargeSessions(t, p.controlURL)
	rawGet(t, p.baseURL, p.token, true)
	require.Eventually(t, func() bool {
		status, body := send(t, "GET", p.controlURL+"/requests", "", "")
		var reqs []struct {
			Path string `json:"path"`
		}
		return status == http.StatusOK && json.Unmarshal([]byte(body), &reqs) == nil &&
			len(reqs) == 1 && reqs[0].Path == "/api/v1/users/me/sessions"
	}, 30*time.Second, 10*time.Millisecond)
}

func TestProcessShutdownWithAClientThatDoesNotRead(t *testing.T) {
	p := startProcess(t, "-shutdown-timeout", "500ms")
	holdResponse(t, p)

	p.signal(t, syscall.SIGTERM)
	assert.Equal(t, 0, p.wait(t), "stderr:\n%s", p.stderr.String())
	logs := p.stderr.String()
	assert.Contains(t, logs, "closing the connections of responses still in flight")
	assert.Contains(t, logs, "msg=stopped")
}

func TestProcessSecondSignalExitsAtOnce(t *testing.T) {
	p := startProcess(t, "-shutdown-timeout", "10m", "-write-timeout", "0")
	holdResponse(t, p)

	p.signal(t, os.Interrupt)
	require.Eventually(t, func() bool { return strings.Contains(p.stderr.String(), "shutting down") },
		30*time.Second, 10*time.Millisecond)
	p.signal(t, os.Interrupt)
	assert.Equal(t, 1, p.wait(t), "a shutdown of ten minutes is cut short")
	assert.Contains(t, p.stderr.String(), "vault-mock: interrupt again: exiting now")
	assert.NotContains(t, p.stderr.String(), "msg=stopped")
}

func TestProcessShutdownWhenIdle(t *testing.T) {
	p := startProcess(t)
	status, _ := send(t, "GET", p.baseURL+"/users/me/sessions", p.token, "")
	require.Equal(t, http.StatusOK, status)
	p.signal(t, syscall.SIGTERM)
	assert.Equal(t, 0, p.wait(t))
	logs := p.stderr.String()
	assert.Contains(t, logs, "msg=stopped")
	assert.NotContains(t, logs, "closing the connections")
	assert.NotContains(t, logs, p.token)
}
