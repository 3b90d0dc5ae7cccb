package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestAccessTokenLifetimeFlag(t *testing.T) {
	tests := []struct {
		value string
		want  time.Duration // the lifetime parsed, when valid
		err   string        // the line on stderr, when not
	}{
		{value: "90s", want: 90 * time.Second},
		{value: "1h30m", want: 90 * time.Minute},
		{value: "1ns", want: time.Nanosecond},
		{value: "0", err: "vault-mock: -access-token-lifetime 0s: must be positive; leave it out for the default"},
		{value: "0s", err: "vault-mock: -access-token-lifetime 0s: must be positive; leave it out for the default"},
		{value: "-1m", err: "vault-mock: -access-token-lifetime -1m0s: must be positive; leave it out for the default"},
		{value: "soon", err: `vault-mock: invalid value "soon" for flag -access-token-lifetime: parse error (vault-mock -h lists the flags)`},
		{value: "15", err: `vault-mock: invalid value "15" for flag -access-token-lifetime: parse error (vault-mock -h lists the flags)`},
		{value: "", err: `vault-mock: invalid value "" for flag -access-token-lifetime: parse error (vault-mock -h lists the flags)`},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			args := []string{"-access-token-lifetime", tt.value}
			if tt.err == "" {
				o, err := parseFlags(args, &bytes.Buffer{})
				require.NoError(t, err)
				assert.Equal(t, tt.want, o.accessTokenLifetime)
				return
			}
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(context.Background(), args, &stdout, &stderr))
			assert.Empty(t, stdout.String())
			assert.Equal(t, tt.err+"\n", stderr.String())
		})
	}

	o, err := parseFlags(nil, &bytes.Buffer{})
	require.NoError(t, err)
	assert.Zero(t, o.accessTokenLifetime, "left out: vaulttest's default")

	var stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, &bytes.Buffer{}, &stderr))
	help := strings.Join(strings.Fields(stderr.String()), " ")
	assert.Contains(t, help, "-access-token-lifetime duration")
	assert.Contains(t, help, "Default: "+vaulttest.AccessTokenLifetime.String()+" with -signed-tokens, as the Vault server's; without it, tokens live as long as their session",
		"-h states the default")
}

// refresh sends POST /auth/refresh with a refresh token and returns the
// status and the answer's tokens.
func refresh(t *testing.T, m *mock, refreshToken string) (status int, access, next string) {
	t.Helper()
	body, err := json.Marshal(map[string]string{"refreshToken": refreshToken})
	require.NoError(t, err)
	status, answer := send(t, http.MethodPost, m.baseURL+"/auth/refresh", "", string(body))
	if status != http.StatusOK {
		assert.Empty(t, answer, "a refused refresh has an empty body, as the server's")
		return status, "", ""
	}
	var a struct{ AccessToken, RefreshToken string }
	require.NoError(t, json.Unmarshal([]byte(answer), &a), answer)
	require.NotEmpty(t, a.AccessToken, answer)
	require.NotEmpty(t, a.RefreshToken, answer)
	return status, a.AccessToken, a.RefreshToken
}

// controlSessionOf returns a session as the control API shows it.
func controlSessionOf(t *testing.T, m *mock, id string) map[string]any {
	t.Helper()
	status, body := send(t, http.MethodGet, m.controlURL+"/sessions/"+id, "", "")
	require.Equal(t, http.StatusOK, status, body)
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &s))
	return s
}

// listStatus returns the status of the demo user's list of sessions
// with token.
func listStatus(t *testing.T, m *mock, token string) int {
	t.Helper()
	status, _ := send(t, http.MethodGet, m.baseURL+"/users/me/sessions", token, "")
	return status
}

func TestRunPrintsTheDemoRefreshToken(t *testing.T) {
	m := startMock(t)
	demo := vaulttest.NewHandler().SeedDemo(vaulttest.Demo{})
	assert.Equal(t, "VAULT_REFRESH_TOKEN="+demo[0].RefreshToken, m.lines[3],
		"the demo's newest session's, the same on every run, between VAULT_ADMIN_TOKEN and VAULT_CONTROL_URL")

	// The control API shows it beside the access token, as it shows
	// that one, and the refresh token of every other session.
	s := controlSessionOf(t, m, demo[0].ID)
	assert.Equal(t, m.token, s["token"])
	assert.Equal(t, m.refreshToken, s["refreshToken"])
	status, body := send(t, http.MethodGet, m.controlURL+"/users/"+vaulttest.DemoUserID+"/sessions", "", "")
	require.Equal(t, http.StatusOK, status)
	var all []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &all))
	require.Len(t, all, vaulttest.DemoSessions)
	seen := map[any]bool{}
	for _, s := range all {
		assert.Regexp(t, `^vr_[0-9a-f]{40}$`, s["refreshToken"])
		seen[s["refreshToken"]] = true
	}
	assert.Len(t, seen, vaulttest.DemoSessions, "each session its own")

	assert.Equal(t, 0, m.stop(t))
	assert.NotContains(t, m.stderr.String(), m.refreshToken, "standard error never shows it")
}

// TestRunRefreshAfterReset refreshes the demo session with the printed
// refresh token, sends the spent one again, logs out, and does it all
// again after a reset, with the same printed values.
func TestRunRefreshAfterReset(t *testing.T) {
	m := startMock(t)
	id := controlSessionOf(t, m, vaulttest.NewHandler().SeedDemo(vaulttest.Demo{})[0].ID)["id"].(string)

	for _, round := range []string{"as started", "after a reset", "after a second reset"} {
		t.Run(round, func(t *testing.T) {
			status, access, next := refresh(t, m, m.refreshToken)
			require.Equal(t, http.StatusOK, status, "the printed refresh token is valid")
			assert.NotEqual(t, m.refreshToken, next, "rotated")
			assert.NotEqual(t, m.token, access)
			assert.Equal(t, http.StatusOK, listStatus(t, m, access), "the new access token works")
			s := controlSessionOf(t, m, id)
			assert.Equal(t, access, s["token"], "the control API shows the new access token")
			assert.Equal(t, next, s["refreshToken"], "and the new refresh token")

			// The printed token again: spent, taken for a stolen one.
			status, _, _ = refresh(t, m, m.refreshToken)
			assert.Equal(t, http.StatusUnauthorized, status)
			s = controlSessionOf(t, m, id)
			assert.Equal(t, true, s["revoked"], "a reuse revokes the session")
			assert.Equal(t, next, s["refreshToken"], "its refresh token stays shown")
			status, _, _ = refresh(t, m, next)
			assert.Equal(t, http.StatusUnauthorized, status, "the session's latest refresh token no longer works either")
			assert.Equal(t, http.StatusUnauthorized, listStatus(t, m, access))

			// A logout with the administrator's session.
			status, body := send(t, http.MethodPost, m.baseURL+"/auth/logout", m.adminToken, "")
			assert.Equal(t, http.StatusOK, status)
			assert.JSONEq(t, `{"message":"`+vaulttest.MessageLoggedOut+`"}`, body)
			status, _ = send(t, http.MethodPost, m.baseURL+"/auth/logout", m.adminToken, "")
			assert.Equal(t, http.StatusUnauthorized, status, "logged out")

			status, _ = send(t, http.MethodPost, m.controlURL+"/reset", "", "")
			require.Equal(t, http.StatusNoContent, status)
			s = controlSessionOf(t, m, id)
			assert.Equal(t, m.token, s["token"], "a reset seeds the printed access token again")
			assert.Equal(t, m.refreshToken, s["refreshToken"], "and the printed refresh token")
			assert.Equal(t, http.StatusOK, listStatus(t, m, m.token))
		})
	}
	assert.Equal(t, 0, m.stop(t))
	assert.NotContains(t, m.stderr.String(), m.refreshToken, "standard error never shows it")
}

// jwtLifetime returns exp minus iat of a JWT, unverified.
func jwtLifetime(t *testing.T, token string) time.Duration {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3, "a JWT")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var c struct{ Iat, Exp int64 }
	require.NoError(t, json.Unmarshal(b, &c))
	return time.Duration(c.Exp-c.Iat) * time.Second
}

func TestRunAccessTokenLifetime(t *testing.T) {
	const lifetime = 10 * time.Minute
	tests := []struct {
		name   string
		args   []string
		signed bool
	}{
		{name: "opaque", args: []string{"-access-token-lifetime", "10m"}},
		{name: "signed", args: []string{"-access-token-lifetime", "10m", "-signed-tokens"}, signed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := startMock(t, tt.args...)
			if tt.signed {
				assert.Equal(t, lifetime, jwtLifetime(t, m.token), "exp is the lifetime after iat")
			}
			advance := func() {
				t.Helper()
				// Past the lifetime, by the mock's clock.
				status, body := send(t, http.MethodPost, m.controlURL+"/clock", "", `{"advance":"11m"}`)
				require.Equal(t, http.StatusOK, status, body)
			}
			require.Equal(t, http.StatusOK, listStatus(t, m, m.token))
			require.Equal(t, http.StatusOK, listStatus(t, m, m.adminToken))
			advance()
			assert.Equal(t, http.StatusUnauthorized, listStatus(t, m, m.token), "the printed token expired")
			status, _ := send(t, http.MethodGet, m.baseURL+"/admin/users/"+vaulttest.DemoUserID+"/sessions", m.adminToken, "")
			assert.Equal(t, http.StatusUnauthorized, status, "the administrator's too")

			status, access, next := refresh(t, m, m.refreshToken)
			require.Equal(t, http.StatusOK, status, "the session is active: its refresh token works")
			if tt.signed {
				assert.Equal(t, lifetime, jwtLifetime(t, access))
			}
			assert.Equal(t, http.StatusOK, listStatus(t, m, access))
			advance()
			assert.Equal(t, http.StatusUnauthorized, listStatus(t, m, access), "the refreshed token expires too")
			status, access, _ = refresh(t, m, next)
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, http.StatusOK, listStatus(t, m, access))

			// A reset gives the printed tokens a new lifetime from the
			// real time.
			status, _ = send(t, http.MethodPost, m.controlURL+"/reset", "", "")
			require.Equal(t, http.StatusNoContent, status)
			if !tt.signed { // a signed token's iat changes with the clock
				assert.Equal(t, http.StatusOK, listStatus(t, m, m.token))
			}
			assert.Equal(t, 0, m.stop(t))
		})
	}

	// Without the flag, opaque tokens live as long as their session.
	m := startMock(t)
	status, body := send(t, http.MethodPost, m.controlURL+"/clock", "", `{"advance":"24h"}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, http.StatusOK, listStatus(t, m, m.token))
	assert.Equal(t, 0, m.stop(t))
}
