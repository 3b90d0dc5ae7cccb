package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/webhook"
)

const listenSecret = "whsec_cli_test_4b7e2a9c"

// listener is vault webhook listen running in the test's process.
type listener struct {
	t      *testing.T
	url    string
	stdout *syncbuf.Buffer
	stderr *syncbuf.Buffer
	stop   func() result
}

// startListen runs vault webhook listen with args, on a free port unless
// args give --addr, until the test calls stop.
func startListen(t *testing.T, env map[string]string, args ...string) *listener {
	t.Helper()
	return startListenCLI(t, nil, env, args...)
}

// startListenCLI is startListen with configure, when not nil, called on
// the cli before it runs.
func startListenCLI(t *testing.T, configure func(*cli), env map[string]string, args ...string) *listener {
	t.Helper()
	var stdout, stderr syncbuf.Buffer
	c := newCLI(strings.NewReader(""), &stdout, &stderr, func(key string) string { return env[key] })
	c.now = func() time.Time { return testNow }
	if configure != nil {
		configure(c)
	}
	addrs := make(chan net.Addr, 1)
	c.onListen = func(a net.Addr) { addrs <- a }
	ctx, cancel := context.WithCancel(context.Background())
	codes := make(chan int, 1)
	go func() { codes <- c.run(ctx, append([]string{"webhook", "listen", "--addr", "127.0.0.1:0"}, args...)) }()
	l := &listener{t: t, stdout: &stdout, stderr: &stderr}
	stopped := false
	l.stop = func() result {
		if !stopped {
			stopped = true
			cancel()
		}
		code := <-codes
		codes <- code
		r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
		assertNoSecrets(t, r, listenSecret, "whsec_old_9d8c7b6a")
		return r
	}
	t.Cleanup(func() { l.stop() })
	select {
	case a := <-addrs:
		l.url = "http://" + a.String() + "/webhooks"
	case code := <-codes:
		codes <- code
		t.Fatalf("webhook listen exited with %d: %s", code, stderr.String())
	}
	return l
}

// send delivers e signed with secret and returns the answer's status.
func (l *listener) send(e *webhook.Event, form webhook.Form, secret string) int {
	l.t.Helper()
	header, err := webhook.Sign(e, form, secret)
	require.NoError(l.t, err)
	req, err := http.NewRequest(http.MethodPost, l.url, bytes.NewReader(e.Data))
	require.NoError(l.t, err)
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	require.NoError(l.t, err)
	resp.Body.Close()
	return resp.StatusCode
}

// sampleEvents are the deliveries of the golden file: what vault-mock
// sends for a sign-in, a revoke and a logout-all, and a user.login.
func sampleEvents(t *testing.T) []*webhook.Event {
	ip, agent := "203.0.113.24", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Chrome/124.0"
	created, err := json.Marshal(webhook.SessionCreated{UserID: "usr_demo", SessionID: "ses_f52b808c", Email: "demo@example.com", Method: "password", IPAddress: &ip, UserAgent: &agent, CreatedAt: testNow})
	require.NoError(t, err)
	revoked, err := json.Marshal(webhook.SessionRevoked{UserID: "usr_demo", SessionID: "ses_c36e0b8e", Reason: "user_revoked", RevokedAt: testNow})
	require.NoError(t, err)
	all, err := json.Marshal(webhook.SessionRevoked{UserID: "usr_demo", Scope: webhook.ScopeAllExceptCurrent, Reason: "user_revoked_all", RevokedAt: testNow})
	require.NoError(t, err)
	return []*webhook.Event{
		{ID: "dlv_0001", Type: webhook.TypeSessionCreated, Timestamp: testNow, Data: created},
		{ID: "dlv_0002", Type: webhook.TypeSessionRevoked, Timestamp: testNow, Data: revoked},
		{ID: "dlv_0003", Type: webhook.TypeSessionRevoked, Timestamp: testNow, Attempt: 2, Data: all},
		{ID: "dlv_0004", Type: webhook.TypeUserLogin, Timestamp: testNow, Data: []byte(`{"id": "usr_demo", "email": "demo@example.com", "timestamp": "2025-03-01T12:00:00Z"}`)},
	}
}

// TestWebhookListenGolden checks the lines webhook listen prints against
// testdata/webhook-listen.golden, which docs/cli.md shows verbatim. Run
// it with -update to rewrite the file.
func TestWebhookListenGolden(t *testing.T) {
	l := startListen(t, nil, "--secret", listenSecret)
	for _, e := range sampleEvents(t) {
		require.Equal(t, http.StatusNoContent, l.send(e, webhook.FormTimestamp, listenSecret))
	}
	r := l.stop()
	requireCode(t, exitOK, r)

	golden := filepath.Join("testdata", "webhook-listen.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(r.stdout), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), r.stdout, "run the test with -update if the change is meant")
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "cli.md"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(doc), "```\n"+string(want)+"```\n"), "docs/cli.md does not show %s verbatim in a code block", golden)
}

func TestWebhookListenVerifies(t *testing.T) {
	l := startListen(t, nil, "--secret", listenSecret, "--secret", "whsec_old_9d8c7b6a")
	events := sampleEvents(t)
	revoked := events[1]

	// Signed with the old secret of a rotation, and in the ID form.
	assert.Equal(t, http.StatusNoContent, l.send(events[0], webhook.FormID, "whsec_old_9d8c7b6a"))
	// A wrong secret and a tampered body are refused and reported.
	assert.Equal(t, http.StatusBadRequest, l.send(revoked, webhook.FormTimestamp, "whsec_someone_else"))
	header, err := webhook.Sign(revoked, webhook.FormTimestamp, listenSecret)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, l.url, strings.NewReader(strings.Replace(string(revoked.Data), "ses_c36e0b8e", "ses_00000000", 1)))
	require.NoError(t, err)
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	// A stale delivery, checked against the command's clock.
	stale := *revoked
	stale.Timestamp = testNow.Add(-time.Hour)
	assert.Equal(t, http.StatusBadRequest, l.send(&stale, webhook.FormTimestamp, listenSecret))
	// Verified, then the same delivery again: printed once.
	assert.Equal(t, http.StatusNoContent, l.send(revoked, webhook.FormTimestamp, listenSecret))
	assert.Equal(t, http.StatusNoContent, l.send(revoked, webhook.FormTimestamp, listenSecret))
	// Verified but not the JSON its type promises: 500, so the sender retries.
	broken := &webhook.Event{ID: "dlv_bad", Type: webhook.TypeSessionRevoked, Timestamp: testNow, Data: []byte(`{"user_id":"u"}`)}
	assert.Equal(t, http.StatusInternalServerError, l.send(broken, webhook.FormTimestamp, listenSecret))
	notJSON := &webhook.Event{ID: "dlv_text", Type: webhook.TypeUserLogout, Timestamp: testNow, Data: []byte(`hello`)}
	assert.Equal(t, http.StatusInternalServerError, l.send(notJSON, webhook.FormTimestamp, listenSecret))
	// Only POST.
	resp, err = http.Get(l.url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	r := l.stop()
	requireCode(t, exitOK, r)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 2, r.stdout)
	assert.True(t, strings.HasPrefix(lines[0], "2025-03-01T12:00:00Z session.created dlv_0001 user=usr_demo session=ses_f52b808c"), lines[0])
	assert.Equal(t, "2025-03-01T12:00:00Z session.revoked dlv_0002 user=usr_demo session=ses_c36e0b8e reason=user_revoked", lines[1])
	assert.Equal(t, 1, strings.Count(r.stderr, "vault: listening for webhooks on http://127.0.0.1:"), r.stderr)
	assert.Equal(t, 3, strings.Count(r.stderr, "(session.revoked) answered 400: webhook: "), r.stderr)
	assert.Contains(t, r.stderr, "vault: delivery dlv_0002 (session.revoked) answered 400: webhook: invalid signature: no signature matches\n")
	assert.Contains(t, r.stderr, "answered 400: webhook: timestamp outside the tolerance")
	assert.Contains(t, r.stderr, "vault: delivery dlv_bad (session.revoked) answered 500: webhook: decode session.revoked: no session_id\n")
	assert.Contains(t, r.stderr, "vault: delivery dlv_text (user.logout) answered 500: the body is not JSON")
}

func TestWebhookListenJSON(t *testing.T) {
	l := startListen(t, map[string]string{envWebhookSecret: listenSecret}, "--output", "json")
	events := sampleEvents(t)
	for _, e := range events {
		require.Equal(t, http.StatusNoContent, l.send(e, webhook.FormTimestamp, listenSecret))
	}
	r := l.stop()
	requireCode(t, exitOK, r)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, len(events))
	for i, line := range lines {
		var got struct {
			ID        string          `json:"id"`
			Type      string          `json:"type"`
			Timestamp time.Time       `json:"timestamp"`
			Attempt   int             `json:"attempt"`
			Data      json.RawMessage `json:"data"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &got), line)
		assert.Equal(t, events[i].ID, got.ID)
		assert.Equal(t, events[i].Type, got.Type)
		assert.True(t, testNow.Equal(got.Timestamp))
		assert.Equal(t, events[i].Attempt, got.Attempt)
		assert.JSONEq(t, string(events[i].Data), string(got.Data))
	}
}

func TestWebhookListenSecretFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(file, []byte("\n"+listenSecret+"\nwhsec_old_9d8c7b6a\n"), 0o600))
	l := startListen(t, map[string]string{envWebhookSecret: "whsec_not_used_when_a_flag_gives_one"}, "--secret-file", file)
	e := sampleEvents(t)[1]
	assert.Equal(t, http.StatusNoContent, l.send(e, webhook.FormTimestamp, "whsec_old_9d8c7b6a"))
	e2 := *e
	e2.ID = "dlv_other"
	assert.Equal(t, http.StatusBadRequest, l.send(&e2, webhook.FormTimestamp, "whsec_not_used_when_a_flag_gives_one"))
	requireCode(t, exitOK, l.stop())
}

func TestWebhookListenUsageErrors(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty")
	require.NoError(t, os.WriteFile(empty, []byte(" \n"), 0o600))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no secret", []string{"webhook", "listen"}, "vault: no webhook secret (hint: pass --secret SECRET or --secret-file FILE, or set VAULT_WEBHOOK_SECRET)"},
		{"empty secret", []string{"webhook", "listen", "--secret", " "}, `invalid value " " for flag -secret: empty secret`},
		{"empty secret file", []string{"webhook", "listen", "--secret-file", empty}, "is empty"},
		{"missing secret file", []string{"webhook", "listen", "--secret-file", empty + ".missing"}, "cannot read the secret file"},
		{"unknown output", []string{"webhook", "listen", "--secret", "s", "--output", "yaml"}, `unknown --output "yaml"`},
		{"an argument", []string{"webhook", "listen", "--secret", "s", "now"}, "webhook listen takes no arguments, got 1"},
		{"connection flag", []string{"--verbose", "webhook", "listen", "--secret", "s"}, "the connection flags do not apply to vault webhook"},
		{"unknown subcommand", []string{"webhook", "send"}, `unknown command "webhook send"`},
		{"webhook alone", []string{"webhook"}, "vault webhook listen [flags]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(tc.args...)
			requireCode(t, exitUsage, r)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tc.want)
		})
	}
}

func TestWebhookListenAddressInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer taken.Close()
	h := newHarness(t)
	r := h.run("webhook", "listen", "--secret", listenSecret, "--addr", taken.Addr().String())
	requireCode(t, exitFailure, r)
	assert.Contains(t, oneLine(t, r), "vault: cannot listen: ")
}

func TestWebhookHelp(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{{"webhook", "listen", "--help"}, {"help", "webhook", "listen"}} {
		r := h.run(args...)
		requireCode(t, exitOK, r)
		for _, want := range []string{"Usage:\n  vault webhook listen [flags]\n", "--secret SECRET", "--secret-file FILE", "--addr HOST:PORT", "(default 127.0.0.1:8787)", "--output format", "Exit codes:"} {
			assert.Contains(t, r.stdout, want)
		}
	}
	r := h.run("webhook", "--help")
	requireCode(t, exitOK, r)
	assert.Contains(t, r.stdout, "vault webhook listen [flags]")
	r = h.run("--help")
	assert.Contains(t, r.stdout, "vault webhook listen [flags]            receive, verify and print webhooks")
}
