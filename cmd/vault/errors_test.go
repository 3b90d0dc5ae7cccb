package main

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func TestAPIErrorsAreOneLineWithAHint(t *testing.T) {
	tests := []struct {
		name  string
		fault vaulttest.Fault
		args  []string
		want  []string
	}{
		{
			name:  "rate limited",
			fault: vaulttest.Fault{Status: 429, RetryAfter: "120"},
			want:  []string{"vault: list sessions: 429 RATE_LIMITED", "(hint: rate limited; retry after 2m0s)"},
		},
		{
			name:  "server error",
			fault: vaulttest.Fault{Status: 500, Count: vaulttest.Unlimited},
			args:  []string{"--retries", "0"},
			want:  []string{"vault: list sessions: 500 INTERNAL_ERROR", "[request req-", "(hint: the API is failing; try again later)"},
		},
		{
			name:  "unavailable with a long wait",
			fault: vaulttest.Fault{Status: 503, RetryAfter: "3600"},
			want:  []string{"vault: list sessions: 503 SERVICE_UNAVAILABLE", "(hint: the API is failing; try again later, after 1h0m0s)"},
		},
		{
			name:  "forbidden",
			fault: vaulttest.Fault{Status: 403},
			want:  []string{"vault: list sessions: 403", "(hint: the token is not allowed to do this; check VAULT_TOKEN and VAULT_TENANT_ID)"},
		},
		{
			name:  "redirect",
			fault: vaulttest.Fault{Status: 307, Header: map[string][]string{"Location": {"https://elsewhere.example/"}}},
			want:  []string{"vault: list sessions: 307", "(hint: the server redirects, which is not followed; check --base-url or VAULT_BASE_URL)"},
		},
		{
			name:  "html page",
			fault: vaulttest.Fault{Action: vaulttest.HTMLBody},
			want:  []string{`vault: list sessions: the 200 response is not the API's JSON (Content-Type "text/html`, "(hint: check that --base-url or VAULT_BASE_URL points at the Vault API, ending in /api/v1)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.srv.Faults().Add(tt.fault)
			r := h.run(append([]string{"sessions", "list"}, tt.args...)...)
			requireCode(t, exitFailure, r)
			assert.Empty(t, r.stdout)
			line := oneLine(t, r)
			for _, w := range tt.want {
				assert.Contains(t, line, w)
			}
		})
	}
}

func TestUnauthorizedHint(t *testing.T) {
	h := newHarness(t)
	h.env[envToken] = h.secret("vt_revoked_or_mistyped")
	h.env[envTenantID] = "acme"
	r := h.run("sessions", "list")
	requireCode(t, exitFailure, r)
	assert.Regexp(t, `^vault: list sessions: 401 UNAUTHORIZED: .+ \(hint: check VAULT_TOKEN or the token file; the token may be expired or revoked, or belong to another tenant than acme\)$`, oneLine(t, r))
}

func TestWrongBasePathHint(t *testing.T) {
	h := newHarness(t)
	h.env[envBaseURL] = h.srv.URL + "/v2"
	r := h.run("sessions", "list")
	requireCode(t, exitFailure, r)
	assert.Contains(t, oneLine(t, r), "404")
	assert.Contains(t, r.stderr, "(hint: check --base-url or VAULT_BASE_URL, which ends in /api/v1)")
}

func TestNetworkErrorHint(t *testing.T) {
	closed := vaulttest.NewServer()
	closed.Close()
	h := newHarness(t)
	h.env[envBaseURL] = closed.URL
	r := h.run("sessions", "list", "--retries", "0")
	requireCode(t, exitFailure, r)
	line := oneLine(t, r)
	assert.Contains(t, line, "vault: list sessions: Get \""+closed.URL+"/users/me/sessions\"")
	assert.Contains(t, line, "connection refused")
	assert.Contains(t, line, "(hint: check --base-url or VAULT_BASE_URL, and the network)")
}

func TestTimeout(t *testing.T) {
	h := newHarness(t)
	h.srv.Faults().Add(vaulttest.Fault{Latency: time.Minute})
	start := time.Now()
	r := h.run("sessions", "list", "--timeout", "200ms")
	requireCode(t, exitFailure, r)
	assert.Less(t, time.Since(start), 20*time.Second)
	assert.Equal(t, "vault: list sessions: no answer within 200ms (hint: raise --timeout, or check --base-url or VAULT_BASE_URL)", oneLine(t, r))
}

func TestExplain(t *testing.T) {
	cfg := config{baseURL: "https://api.example.com/api/v1", timeout: time.Second}
	revoke := operation{sdk: "revoke session", label: "revoke session ses_1"}
	tests := []struct {
		name string
		err  error
		want failure
	}{
		{
			name: "not found on revoke",
			err:  &vault.APIError{Operation: "revoke session", StatusCode: 404, Code: "NOT_FOUND", Message: "Session not found"},
			want: failure{msg: "revoke session ses_1: 404 NOT_FOUND: Session not found", hint: "no such session among the user's active ones; see vault sessions list"},
		},
		{
			name: "rate limited without a wait",
			err:  &vault.APIError{StatusCode: 429},
			want: failure{msg: "revoke session ses_1: 429: Too Many Requests", hint: "rate limited; retry in a minute"},
		},
		{
			name: "control characters from the server",
			err:  &vault.APIError{StatusCode: 400, Code: "BAD\x1b[2J", Message: "line\none\r"},
			want: failure{msg: "revoke session ses_1: 400 BAD?[2J: line?one?"},
		},
		{
			name: "body instead of an envelope",
			err:  &vault.APIError{StatusCode: 418, Body: "short and stout"},
			want: failure{msg: "revoke session ses_1: 418: short and stout"},
		},
		{
			name: "interrupted",
			err:  errors.Join(errors.New("vault: revoke session: stopped"), contextCanceled()),
			want: failure{msg: "revoke session ses_1: interrupted"},
		},
		{
			name: "anything else",
			err:  errors.New("vault: revoke session: something odd"),
			want: failure{msg: "revoke session ses_1: something odd"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, explain(revoke, tt.err, cfg))
		})
	}
}

func TestFailBlanksTheToken(t *testing.T) {
	var stderr bytes.Buffer
	c := &cli{stderr: &stderr}
	code := c.fail(exitFailure, "vt_secret", "saw vt_secret here", "not vt_secret either")
	require.Equal(t, exitFailure, code)
	assert.Equal(t, "vault: saw [REDACTED] here (hint: not [REDACTED] either)\n", stderr.String())
}

func contextCanceled() error {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx.Err()
}
