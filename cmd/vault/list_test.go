package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func TestListTable(t *testing.T) {
	h := newHarness(t)
	bare := h.srv.AddSession(vaulttest.DemoUserID, vaulttest.SessionSeed{
		ID:             "ses_bare",
		CreatedAt:      testNow.Add(-3 * 24 * time.Hour),
		LastActivityAt: testNow.Add(-5 * 24 * time.Hour / 2),
		ExpiresAt:      testNow.Add(200 * 24 * time.Hour),
	})
	h.secret(bare.Token)

	r := h.run("sessions", "list")
	requireCode(t, exitOK, r)
	assert.Empty(t, r.stderr)

	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	require.Len(t, lines, 1+4+2, r.stdout)
	assert.Regexp(t, `^\s+ID\s+DEVICE\s+BROWSER / OS\s+IP ADDRESS\s+LAST ACTIVE\s+EXPIRES$`, lines[0])
	row := func(id string) string {
		for _, l := range lines[1:] {
			if strings.Contains(l, id) {
				return l
			}
		}
		t.Fatalf("no row for %s in\n%s", id, r.stdout)
		return ""
	}
	assert.Regexp(t, `^\* +`+h.demo[0].ID+` +desktop +Chrome on macOS +203\.0\.113\.\d+ +just now +in 29d$`, row(h.demo[0].ID))
	assert.Regexp(t, `^ +`+h.demo[1].ID+` +mobile +Safari on iOS +\S+ +3h ago +in 29d$`, row(h.demo[1].ID))
	assert.Regexp(t, `^ +`+h.demo[2].ID+` +tablet +Safari on iPadOS +\S+ +6h ago +in 29d$`, row(h.demo[2].ID))
	assert.Regexp(t, `^ +ses_bare +- +- +- +2d ago +2025-09-17$`, row("ses_bare"))
	assert.Equal(t, "", lines[len(lines)-2])
	assert.Equal(t, "* current session (the token in use)", lines[len(lines)-1])

	// Columns line up: every row starts its ID where the header does.
	col := strings.Index(lines[0], "ID")
	for _, l := range lines[1:5] {
		assert.NotEqual(t, ' ', rune(l[col]), "misaligned row %q", l)
		assert.Equal(t, ' ', rune(l[col-1]), "misaligned row %q", l)
	}
}

func TestListJSON(t *testing.T) {
	h := newHarness(t)
	bare := h.srv.AddSession(vaulttest.DemoUserID, vaulttest.SessionSeed{ID: "ses_bare"})
	h.secret(bare.Token)

	r := h.run("sessions", "list", "--output", "json")
	requireCode(t, exitOK, r)
	assert.Empty(t, r.stderr)
	require.True(t, json.Valid([]byte(r.stdout)), "stdout holds JSON only: %s", r.stdout)

	var sessions []vault.SessionResponse
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
	require.Len(t, sessions, 4)
	byID := map[string]vault.SessionResponse{}
	for _, s := range sessions {
		byID[s.ID] = s
	}
	cur := byID[h.demo[0].ID]
	assert.True(t, cur.Current)
	require.NotNil(t, cur.IPAddress)
	assert.Equal(t, h.demo[0].IPAddress, *cur.IPAddress)
	assert.Equal(t, h.demo[0].DeviceInfo, cur.DeviceInfo)
	assert.True(t, h.demo[0].ExpiresAt.Equal(cur.ExpiresAt))
	assert.Nil(t, byID["ses_bare"].IPAddress)

	// The field names and nulls are the contract's.
	var raw []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw))
	for _, s := range raw {
		keys := make([]string, 0, len(s))
		for k := range s {
			keys = append(keys, k)
		}
		assert.ElementsMatch(t, []string{"id", "ipAddress", "userAgent", "deviceInfo", "mfaVerified", "createdAt", "lastActivityAt", "expiresAt", "current"}, keys)
		if s["id"] == "ses_bare" {
			assert.Nil(t, s["ipAddress"])
			assert.Nil(t, s["deviceInfo"])
		} else {
			assert.ElementsMatch(t, []string{"deviceType", "os", "browser", "isMobile"}, mapKeys(s["deviceInfo"]))
		}
	}
}

func mapKeys(v any) []string {
	m, _ := v.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func TestListUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown output", []string{"--output", "yaml"}, `unknown --output "yaml"`},
		{"argument", []string{"extra"}, "takes no arguments, got 1"},
		{"unknown flag", []string{"--nope"}, "flag provided but not defined: -nope"},
		{"bad timeout", []string{"--timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{"negative timeout", []string{"--timeout", "-1s"}, "--timeout must not be negative"},
		{"negative retries", []string{"--retries", "-1"}, "--retries must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			r := h.run(append([]string{"sessions", "list"}, tt.args...)...)
			requireCode(t, exitUsage, r)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, h.srv.Requests(), "nothing is sent on a usage error")
		})
	}
}

func TestListFlagsAfterArguments(t *testing.T) {
	h := newHarness(t)
	r := h.run("sessions", "list", "--retries", "0", "--output=json")
	requireCode(t, exitOK, r)
	assert.True(t, json.Valid([]byte(r.stdout)))
}

func TestListShowsTheSessionLimit(t *testing.T) {
	tests := []struct {
		name     string
		dialect  vaulttest.Dialect
		sessions int
		want     string // the last line; empty for no limit line
	}{
		{"spec", vaulttest.DialectSpec, 4, ""},
		{"server, below", vaulttest.DialectServer, 3, "3 of 5 sessions"},
		{"server, near", vaulttest.DialectServer, 4, "4 of 5 sessions, near the limit"},
		{"server, at", vaulttest.DialectServer, 5, "5 of 5 sessions, at the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, vaulttest.WithDialect(tt.dialect), vaulttest.WithMaxSessions(5))
			for i := len(h.demo); i < tt.sessions; i++ {
				h.secret(h.srv.AddSession(vaulttest.DemoUserID, vaulttest.SessionSeed{}).Token)
			}
			r := h.run("sessions", "list")
			requireCode(t, exitOK, r)
			assert.Empty(t, r.stderr)
			lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
			if tt.want == "" {
				assert.Equal(t, "* current session (the token in use)", lines[len(lines)-1])
				return
			}
			assert.Equal(t, "* current session (the token in use)", lines[len(lines)-2])
			assert.Equal(t, tt.want, lines[len(lines)-1])
			assert.Len(t, lines, 1+tt.sessions+3, r.stdout)

			r = h.run("sessions", "list", "--output", "json")
			requireCode(t, exitOK, r)
			assert.NotContains(t, r.stdout, "of 5", "stdout holds the JSON alone")
			var sessions []vault.SessionResponse
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &sessions))
			assert.Len(t, sessions, tt.sessions)
		})
	}
}

func TestListServerDeviceInfoInJSON(t *testing.T) {
	h := newHarness(t, vaulttest.WithDialect(vaulttest.DialectServer))
	r := h.run("sessions", "list", "--output", "json")
	requireCode(t, exitOK, r)
	var raw []map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &raw))
	require.Len(t, raw, len(h.demo))
	for _, s := range raw {
		if s["id"] == h.demo[0].ID {
			device, _ := s["deviceInfo"].(map[string]any)
			assert.Equal(t, "google", device["oauth_provider"], "the server's own members are kept")
		}
	}
}

func TestLimitLine(t *testing.T) {
	tests := []struct {
		limits vault.SessionLimits
		want   string
	}{
		{vault.SessionLimits{}, ""},
		{vault.SessionLimits{Current: 2, Max: 10}, "2 of 10 sessions"},
		{vault.SessionLimits{Current: 0, Max: 5}, "0 of 5 sessions"},
		{vault.SessionLimits{Current: 3, Warning: vault.WarningLimitReached}, "3 sessions, at the limit"},
		{vault.SessionLimits{Current: 9, Max: 10, Warning: "over_quota\x1b[2J"}, "9 of 10 sessions, over quota?[2J"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, limitLine(tt.limits), "%+v", tt.limits)
	}
}
