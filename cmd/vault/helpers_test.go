package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// testNow is the frozen clock of the test server and of the command, so
// that relative times are exact.
var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// harness runs the command against a vaulttest server seeded with the
// demo user, the way a terminal or a script would.
type harness struct {
	t        *testing.T
	srv      *vaulttest.Server
	demo     []vaulttest.Session // newest first; demo[0] is the current one
	env      map[string]string
	stdin    string
	terminal bool
	secrets  []string // strings no output may hold
}

// result is what one run of the command left behind.
type result struct {
	code   int
	stdout string
	stderr string
}

func newHarness(t *testing.T, opts ...vaulttest.Option) *harness {
	t.Helper()
	srv := vaulttest.NewServer(opts...)
	t.Cleanup(srv.Close)
	srv.SetNow(testNow)
	demo := srv.SeedDemo(vaulttest.Demo{})
	require.Len(t, demo, vaulttest.DemoSessions)
	h := &harness{
		t:    t,
		srv:  srv,
		demo: demo,
		env: map[string]string{
			envBaseURL: srv.URL,
			envToken:   demo[0].Token,
		},
	}
	for _, s := range demo {
		h.secrets = append(h.secrets, s.Token)
	}
	return h
}

// token is the token of the current session.
func (h *harness) token() string { return h.demo[0].Token }

// secret adds s to the strings no output may hold, and returns it.
func (h *harness) secret(s string) string {
	h.secrets = append(h.secrets, s)
	return s
}

// run runs the command with args and checks that no secret was printed.
func (h *harness) run(args ...string) result {
	h.t.Helper()
	var stdout, stderr bytes.Buffer
	c := newCLI(strings.NewReader(h.stdin), &stdout, &stderr, func(key string) string { return h.env[key] })
	c.stdinIsTerminal = func() bool { return h.terminal }
	c.now = func() time.Time { return testNow }
	r := result{code: c.run(context.Background(), args), stdout: stdout.String(), stderr: stderr.String()}
	assertNoSecrets(h.t, r, h.secrets...)
	return r
}

// assertNoSecrets checks that no secret appears in the output of r.
func assertNoSecrets(t *testing.T, r result, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		require.NotEmpty(t, s)
		assert.NotContains(t, r.stdout, s, "a secret reached stdout")
		assert.NotContains(t, r.stderr, s, "a secret reached stderr")
	}
}

// requireCode checks the exit code, showing the output when it differs.
func requireCode(t *testing.T, want int, r result) {
	t.Helper()
	require.Equal(t, want, r.code, "stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
}

// oneLine checks that stderr is a single line of the command.
func oneLine(t *testing.T, r result) string {
	t.Helper()
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "stderr: %q", r.stderr)
	assert.True(t, strings.HasPrefix(r.stderr, "vault: "), "stderr: %q", r.stderr)
	return strings.TrimSpace(r.stderr)
}

// deletes returns the DELETE requests the server received.
func deletes(srv *vaulttest.Server) []vaulttest.Request {
	var out []vaulttest.Request
	for _, r := range srv.Requests() {
		if r.Method == "DELETE" {
			out = append(out, r)
		}
	}
	return out
}
