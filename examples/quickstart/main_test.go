package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func env(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

func TestRunOnEmbeddedServer(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, env(nil)))
	text := out.String()
	for _, want := range []string{
		"Started an in-memory Vault API",
		"1. List the sessions", "desktop Chrome on macOS", "mobile Safari on iOS",
		"2. Sign out one other device:", "Session revoked",
		"3. List again:",
		"4. Sign out everywhere", "All sessions revoked",
		"5. The token no longer works:", "401 UNAUTHORIZED",
	} {
		assert.Contains(t, text, want)
	}
	first, second, _ := strings.Cut(text, "3. List again:")
	assert.Len(t, tableRow.FindAllString(first, -1), 3, "three sessions before the revoke")
	assert.Len(t, tableRow.FindAllString(second, -1), 2, "two after")
}

// tableRow matches a session row of the table: it ends with the expiry.
var tableRow = regexp.MustCompile(`(?m)^[ *] .*\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`)

func TestRunAgainstServerFromEnvironment(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	me := srv.AddSession("alice", vaulttest.SessionSeed{IPAddress: "203.0.113.9"})
	phone := srv.AddSession("alice", vaulttest.SessionSeed{
		DeviceInfo: &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeMobile, OS: "Android", Browser: "Chrome", IsMobile: true},
		CreatedAt:  srv.Now().Add(-time.Hour),
	})
	bystander := srv.AddSession("bob", vaulttest.SessionSeed{})

	var out bytes.Buffer
	err := run(context.Background(), &out, env(map[string]string{"VAULT_BASE_URL": srv.URL, "VAULT_TOKEN": me.Token}))
	require.NoError(t, err)
	assert.NotContains(t, out.String(), "in-memory")
	assert.Contains(t, out.String(), "Revoked "+phone.ID+" (mobile Chrome on Android)")
	assert.NotContains(t, out.String(), me.Token)

	for _, id := range []string{me.ID, phone.ID} {
		s, ok := srv.Session(id)
		require.True(t, ok)
		assert.True(t, s.Revoked, id)
	}
	s, _ := srv.Session(bystander.ID)
	assert.False(t, s.Revoked, "another user's session is untouched")
}

func TestRunErrors(t *testing.T) {
	closed := vaulttest.NewServer()
	closedURL := closed.URL
	closed.Close()
	live := vaulttest.NewServer()
	defer live.Close()

	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"base URL without token", map[string]string{"VAULT_BASE_URL": live.URL}, "VAULT_TOKEN is not"},
		{"bad token", map[string]string{"VAULT_BASE_URL": live.URL, "VAULT_TOKEN": "nope"}, "401"},
		{"unreachable server", map[string]string{"VAULT_BASE_URL": closedURL, "VAULT_TOKEN": "t"}, "connection refused"},
		{"invalid base URL", map[string]string{"VAULT_BASE_URL": "http://api.example.com", "VAULT_TOKEN": "t"}, "Configuration.BaseURL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := run(ctx, &bytes.Buffer{}, env(tt.env))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
