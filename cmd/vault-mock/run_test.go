package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vault-dev/vault-go/internal/syncbuf"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// mock is a vault-mock started by run in the background.
type mock struct {
	baseURL, token string
	adminToken     string
	refreshToken   string // the demo session's, VAULT_REFRESH_TOKEN
	controlURL     string // empty with -control=false
	lines          []string
	stderr         *syncbuf.Buffer
	cancel         context.CancelFunc
	exit           chan int
}

func startMock(t *testing.T, args ...string) *mock {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	m := &mock{stderr: &syncbuf.Buffer{}, cancel: cancel, exit: make(chan int, 1)}
	go func() {
		code := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), outW, m.stderr)
		outW.Close()
		m.exit <- code
	}()
	t.Cleanup(func() {
		cancel()
		outR.Close()
	})
	// Standard output ends after the assignments, while the server
	// serves on, so that eval "$(vault-mock &)" returns.
	read := make(chan []string, 1)
	go func() {
		var lines []string
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		read <- lines
	}()
	select {
	case m.lines = <-read:
	case <-time.After(10 * time.Second):
		t.Fatalf("standard output stays open after the assignments; stderr: %s", m.stderr.String())
	}
	require.GreaterOrEqual(t, len(m.lines), 2, "stderr: %s", m.stderr.String())
	var ok bool
	m.baseURL, ok = strings.CutPrefix(m.lines[0], "VAULT_BASE_URL=")
	require.True(t, ok, m.lines[0])
	m.token, ok = strings.CutPrefix(m.lines[1], "VAULT_TOKEN=")
	require.True(t, ok, m.lines[1])
	require.GreaterOrEqual(t, len(m.lines), 3, "stderr: %s", m.stderr.String())
	m.adminToken, ok = strings.CutPrefix(m.lines[2], "VAULT_ADMIN_TOKEN=")
	require.True(t, ok, m.lines[2])
	require.GreaterOrEqual(t, len(m.lines), 4, "stderr: %s", m.stderr.String())
	m.refreshToken, ok = strings.CutPrefix(m.lines[3], "VAULT_REFRESH_TOKEN=")
	require.True(t, ok, m.lines[3])
	rest := m.lines[4:]
	if len(rest) > 0 && strings.HasPrefix(rest[0], "VAULT_CONTROL_URL=") {
		m.controlURL = strings.TrimPrefix(rest[0], "VAULT_CONTROL_URL=")
		rest = rest[1:]
	}
	if len(rest) > 0 && strings.HasPrefix(rest[0], "VAULT_JWKS_URL=") { // with -signed-tokens
		rest = rest[1:]
	}
	require.Empty(t, rest, "nothing else on standard output")
	return m
}

// stop cancels the context and returns the exit code.
func (m *mock) stop(t *testing.T) int {
	t.Helper()
	m.cancel()
	select {
	case code := <-m.exit:
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("vault-mock did not shut down")
		return -1
	}
}

func get(t *testing.T, url, token string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestRunServesTheDemo(t *testing.T) {
	m := startMock(t, "-sessions", "4")
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/api/v1$`, m.baseURL)
	assert.NotEmpty(t, m.token)

	resp := get(t, m.baseURL+"/users/me/sessions", m.token)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var sessions []vault.SessionResponse
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&sessions))
	require.Len(t, sessions, 4)
	current := 0
	for _, s := range sessions {
		if s.Current {
			current++
		}
	}
	assert.Equal(t, 1, current)

	assert.Equal(t, 0, m.stop(t), "graceful shutdown")
	logs := m.stderr.String()
	assert.Contains(t, logs, "msg=request")
	assert.Contains(t, logs, "path=/api/v1/users/me/sessions")
	assert.Contains(t, logs, "status=200")
	assert.NotContains(t, logs, m.token, "the token is never logged")
}

func TestRunModes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		header []string
		status []int
		check  func(t *testing.T, resp *http.Response)
	}{
		{
			name:   "failures",
			args:   []string{"-fail-status", "503", "-fail-count", "2", "-retry-after", "1"},
			status: []int{503, 503, 200},
			check: func(t *testing.T, resp *http.Response) {
				if resp.StatusCode == 503 {
					assert.Equal(t, "1", resp.Header.Get("Retry-After"))
				}
			},
		},
		{
			name:   "rate limit",
			args:   []string{"-rate-limit", "2"},
			status: []int{200, 200, 429},
		},
		{
			name:   "tenant",
			args:   []string{"-tenant", "acme"},
			header: []string{"X-Tenant-ID", "acme"},
			status: []int{200},
		},
		{
			name:   "tenant slug",
			args:   []string{"-tenant", "tnt_1", "-tenant-slug", "acme"},
			header: []string{"X-Tenant-Slug", "acme"},
			status: []int{200},
		},
		{
			name:   "another tenant's slug",
			args:   []string{"-tenant", "tnt_1", "-tenant-slug", "acme"},
			header: []string{"X-Tenant-Slug", "globex"},
			status: []int{401},
		},
		{
			name:   "proxy page",
			args:   []string{"-fail-mode", "proxy-html"},
			status: []int{502, 200},
		},
		{
			name:   "latency",
			args:   []string{"-latency", "20ms"},
			status: []int{200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := startMock(t, tt.args...)
			for i, want := range tt.status {
				resp := get(t, m.baseURL+"/users/me/sessions", m.token, tt.header...)
				assert.Equal(t, want, resp.StatusCode, "request %d", i)
				if tt.check != nil {
					tt.check(t, resp)
				}
			}
			assert.Equal(t, 0, m.stop(t))
		})
	}
}

func TestRunPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-addr", ln.Addr().String()}, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout.String())
	msg := strings.TrimSpace(stderr.String())
	assert.NotContains(t, msg, "\n", "a one-line error")
	assert.Contains(t, msg, "vault-mock: cannot listen on "+ln.Addr().String())
	assert.Contains(t, msg, "address already in use")
}

func TestRunBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string // the whole line on stderr, if not empty
	}{
		{args: []string{"-no-such-flag"}, want: "vault-mock: flag provided but not defined: -no-such-flag (vault-mock -h lists the flags)"},
		{args: []string{"-sessions", "0"}},
		{args: []string{"-sessions", "many"}},
		{args: []string{"-fail-status", "42"}, want: "vault-mock: -fail-status 42: Respond answers an error status, 400 to 599, or a redirect, 300 to 399 but 304"},
		{args: []string{"-fail-status", "200"}},
		{args: []string{"-fail-mode", "explode"}, want: "vault-mock: unknown -fail-mode \"explode\"; the modes are apply-cut-body, apply-reset, html, proxy-html, reset, reset-body, truncate"},
		{args: []string{"-fail-mode", "reset", "-fail-status", "503"}, want: "vault-mock: -fail-status 503 with -fail-mode reset: ResetBeforeResponse sends no status line"},
		{args: []string{"-fail-mode", "apply-cut-body", "-fail-status", "302"}},
		{args: []string{"-fail-count", "0"}},
		{args: []string{"-fail-count", "-2"}},
		{
			args: []string{"-fail-route", "DELETE /api/v1/users/me/sessions/{sessionId}"},
			want: `vault-mock: -fail-route "DELETE /api/v1/users/me/sessions/{sessionId}": routes are relative to the base path /api/v1; write -fail-route "DELETE /users/me/sessions/{sessionId}"`,
		},
		{
			args: []string{"-fail-status", "503", "-fail-route", "GET /nope"},
			want: `vault-mock: -fail-route "GET /nope": not a route of the API, which serves "GET /users/me/sessions", "DELETE /users/me/sessions" and "DELETE /users/me/sessions/{sessionId}", GET and DELETE on the admin paths "/admin/users/{userId}/sessions" and "/admin/users/{userId}/sessions/{sessionId}", and "POST /auth/refresh" and "POST /auth/logout"`,
		},
		{
			args: []string{"-fail-status", "503", "-fail-route", "DELETE /users/me/sessions/abc"},
			want: `vault-mock: -fail-route "DELETE /users/me/sessions/abc": a route is a pattern, not one session; write -fail-route "DELETE /users/me/sessions/{sessionId}" -fail-session "abc"`,
		},
		{args: []string{"-fail-status", "503", "-fail-route", "DELETE /users/me/sessions/{id}"}},
		{args: []string{"-fail-status", "503", "-fail-route", "GET /users/me/session"}},
		{args: []string{"-fail-status", "503", "-fail-route", "users"}},
		{
			args: []string{"-fail-status", "503", "-fail-route", vaulttest.RouteListSessions, "-fail-session", "s1"},
			want: `vault-mock: -fail-session "s1": selects the requests naming one session, which the route "GET /users/me/sessions" never matches; write -fail-route "DELETE /users/me/sessions/{sessionId}" -fail-session "s1"`,
		},
		{args: []string{"-fail-route", vaulttest.RouteListSessions}, want: "vault-mock: -fail-route needs -fail-status or -fail-mode"},
		{args: []string{"-fail-session", "s1"}, want: "vault-mock: -fail-session needs -fail-status or -fail-mode"},
		{args: []string{"-fail-count", "3"}},
		{args: []string{"-retry-after", "1"}},
		{args: []string{"-latency", "-1s"}},
		{args: []string{"-rate-limit", "-3"}},
		{args: []string{"extra"}},
		{args: []string{"-request-log", "0"}, want: "vault-mock: -request-log must be positive"},
		{args: []string{"-request-log-bytes", "1000"}, want: "vault-mock: -request-log-bytes must be at least 64KiB"},
		{args: []string{"-request-log-bytes", "8MB"}, want: `vault-mock: invalid value "8MB" for flag -request-log-bytes: not a size such as 8MiB, 512KiB, 1GiB or a number of bytes (vault-mock -h lists the flags)`},
		{args: []string{"-fail-status", "503", "-retry-after", "soon"}, want: `vault-mock: -retry-after "soon": must be a number of seconds, such as "120", or an HTTP date, such as "Fri, 14 Mar 2025 09:00:00 GMT"`},
		{args: []string{"-fail-count", "0", "-fail-status", "503"}, want: "vault-mock: -fail-count 0: must be at least 1, or -1 for every matching request"},
		{args: []string{"-fail-count", "-2", "-fail-status", "503"}, want: "vault-mock: -fail-count -2: must be at least 1, or -1 for every matching request"},
		// An empty value, as a script passes an unset variable, would
		// widen the failure to every request.
		{args: []string{"-fail-status", "503", "-fail-route", ""}, want: `vault-mock: -fail-route "": an empty string; leave the flag out for every route`},
		{args: []string{"-fail-status", "503", "-fail-session", ""}, want: `vault-mock: -fail-session "": an empty string; leave the flag out for any session`},
		{args: []string{"-fail-status", "503", "-fail-mode", ""}, want: `vault-mock: -fail-mode "": an empty string; leave the flag out to answer with -fail-status`},
		{args: []string{"-fail-status", "503", "-retry-after", ""}, want: `vault-mock: -retry-after "": an empty string; leave the flag out to send no Retry-After`},
		{args: []string{"-fail-route", ""}, want: `vault-mock: -fail-route "": an empty string; leave the flag out for every route`},
		{args: []string{"-idle-timeout", "0"}, want: "vault-mock: -idle-timeout must be positive"},
		{args: []string{"-write-timeout", "-1s"}},
		{args: []string{"-shutdown-timeout", "-1s"}},
		{args: []string{"-latency", "2m"}, want: "vault-mock: -latency 2m0s leaves less than 1s of -write-timeout 1m0s to write the answer, which would be cut"},
		{args: []string{"-control=false", "-control-remote"}, want: "vault-mock: -control-remote needs the control API, which -control=false turns off"},
		{args: []string{"-webhook-url", "http://127.0.0.1:8787/"}, want: "vault-mock: 1 -webhook-url and 0 -webhook-secret: give one secret per URL, in the same order"},
		{args: []string{"-webhook-secret", "whsec_1", "-webhook-secret", "whsec_2", "-webhook-url", "http://127.0.0.1:8787/"}, want: "vault-mock: 1 -webhook-url and 2 -webhook-secret: give one secret per URL, in the same order"},
		{args: []string{"-webhook-url", "127.0.0.1:8787", "-webhook-secret", "whsec_1"}, want: `vault-mock: -webhook-url "127.0.0.1:8787": webhook URL "127.0.0.1:8787" is not an absolute http or https URL`},
		{args: []string{"-webhook-url", "http://127.0.0.1:8787/", "-webhook-secret", ""}, want: `vault-mock: -webhook-url "http://127.0.0.1:8787/": a webhook needs a secret`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(context.Background(), tt.args, &stdout, &stderr))
			assert.Empty(t, stdout.String())
			line, ok := strings.CutSuffix(stderr.String(), "\n")
			require.True(t, ok, "a line: %q", stderr.String())
			assert.NotContains(t, line, "\n", "one line")
			assert.True(t, strings.HasPrefix(line, "vault-mock: "), line)
			if tt.want != "" {
				assert.Equal(t, tt.want, line)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &stdout, &stderr))
	assert.Empty(t, stdout.String())
	for _, want := range []string{"Usage of vault-mock", "-fail-status", "-fail-session", "apply-reset", "apply-cut-body", "-webhook-url URL", "-webhook-secret secret"} {
		assert.Contains(t, stderr.String(), want)
	}
}

func TestRunLostAnswers(t *testing.T) {
	// The demo sessions vault-mock seeds, by their deterministic IDs.
	demo := vaulttest.NewHandler().SeedDemo(vaulttest.Demo{Sessions: 3})
	target := demo[1].ID

	tests := []struct {
		name string
		args []string
		// status is what the faulted revocation receives: 0 for no
		// response at all.
		status int
	}{
		{"reset", []string{"-fail-mode", "apply-reset", "-fail-session", target}, 0},
		{"cut body", []string{"-fail-mode", "apply-cut-body", "-fail-route", vaulttest.RouteRevokeSession, "-fail-session", target}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := startMock(t, append([]string{"-sessions", "3"}, tt.args...)...)
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			revoke := func(id string) (*http.Response, []byte, error) {
				req, err := http.NewRequest(http.MethodDelete, m.baseURL+"/users/me/sessions/"+id, nil)
				require.NoError(t, err)
				req.Header.Set("Authorization", "Bearer "+m.token)
				resp, err := c.Do(req)
				if err != nil {
					return nil, nil, err
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				return resp, body, err
			}

			resp, _, err := revoke(demo[2].ID)
			require.NoError(t, err, "another session is not targeted")
			assert.Equal(t, http.StatusOK, resp.StatusCode)

			resp, _, err = revoke(target)
			require.Error(t, err, "the answer is lost")
			if tt.status == 0 {
				assert.Nil(t, resp)
			} else {
				require.NotNil(t, resp)
				assert.Equal(t, tt.status, resp.StatusCode)
			}

			list := get(t, m.baseURL+"/users/me/sessions", m.token)
			require.Equal(t, http.StatusOK, list.StatusCode)
			var sessions []vault.SessionResponse
			require.NoError(t, json.NewDecoder(list.Body).Decode(&sessions))
			require.Len(t, sessions, 1, "both revocations were made")
			assert.Equal(t, demo[0].ID, sessions[0].ID)

			resp, _, err = revoke(target)
			require.NoError(t, err)
			assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a retry finds the session revoked")

			// The faulted request is logged once its handler returns,
			// which can be after the client saw the reset.
			assert.Eventually(t, func() bool { return strings.Contains(m.stderr.String(), "fault=true") },
				10*time.Second, 5*time.Millisecond, "the faulted request is logged")
			assert.Equal(t, 0, m.stop(t))
		})
	}
}
