package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// started is the service started by run in the background.
type started struct {
	url    string   // the service's base URL
	lines  []string // what it printed before serving
	cancel context.CancelFunc
	exit   chan int
}

// startRun runs the service on a free port with the given environment and
// reads its start-up output up to the line that ends it.
func startRun(t *testing.T, env map[string]string, lastLine string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	s := &started{cancel: cancel, exit: make(chan int, 1)}
	go func() {
		code := run(ctx, []string{"-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, outW, io.Discard)
		outW.Close()
		s.exit <- code
	}()
	t.Cleanup(func() {
		cancel()
		outR.Close()
	})
	sc := bufio.NewScanner(outR)
	for sc.Scan() {
		s.lines = append(s.lines, sc.Text())
		if strings.Contains(sc.Text(), lastLine) {
			break
		}
	}
	require.NotEmpty(t, s.lines)
	first := s.lines[0]
	rest, ok := strings.CutPrefix(first, "listening on ")
	require.True(t, ok, first)
	s.url, _, _ = strings.Cut(rest, ",")
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	return s
}

// stop cancels run's context and returns its exit code.
func (s *started) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.exit:
		return code
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
		return -1
	}
}

func listSessions(t *testing.T, url, token string) (int, sessionsResponse) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+"/account/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var got sessionsResponse
	if resp.StatusCode == http.StatusOK {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	}
	return resp.StatusCode, got
}

func TestRunDemo(t *testing.T) {
	s := startRun(t, nil, "sign-out-everywhere")
	var token, adminToken string
	for _, line := range s.lines {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "TOKEN="); ok {
			token = v
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "ADMIN_TOKEN="); ok {
			adminToken = v
		}
	}
	require.NotEmpty(t, token, "the demo token is printed: %q", s.lines)
	require.NotEmpty(t, adminToken, "the administrator's token is printed: %q", s.lines)
	assert.Contains(t, strings.Join(s.lines, "\n"), "curl -s -H \"Authorization: Bearer $TOKEN\" "+s.url+"/account/sessions")

	status, got := listSessions(t, s.url, token)
	require.Equal(t, http.StatusOK, status)
	assert.Len(t, got.Sessions, 4, "the demo user is signed in on four devices")

	req, err := http.NewRequest(http.MethodGet, s.url+"/admin/users/"+vaulttest.DemoUserID+"/sessions", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the printed administrator manages the demo user")

	assert.Equal(t, 0, s.stop(t), "a graceful shutdown exits 0")
	_, err = http.Get(s.url + "/account/sessions")
	assert.Error(t, err, "the listener is closed")
}

func TestRunAgainstVaultBaseURL(t *testing.T) {
	api := vaulttest.NewServer()
	defer api.Close()
	me := api.AddSession("carol", vaulttest.SessionSeed{})

	s := startRun(t, map[string]string{"VAULT_BASE_URL": api.URL}, "listening on")
	assert.Contains(t, s.lines[0], api.URL)

	status, got := listSessions(t, s.url, me.Token)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, got.Sessions, 1)
	assert.Equal(t, me.ID, got.Sessions[0].ID)
	assert.Len(t, api.Requests(), 1, "the call reached VAULT_BASE_URL")

	assert.Equal(t, 0, s.stop(t))
}

func TestRunBadFlags(t *testing.T) {
	var stderr strings.Builder
	code := run(context.Background(), []string{"-nope"}, func(string) string { return "" }, io.Discard, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "-nope")
}

func TestRunBadBaseURL(t *testing.T) {
	var stderr strings.Builder
	env := func(string) string { return "http://vault.example.com/api/v1" }
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0"}, env, io.Discard, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "BaseURL", "plain http to a remote host is refused")
}
