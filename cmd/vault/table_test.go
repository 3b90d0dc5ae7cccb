package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

func TestAgo(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Hour, "just now"},
		{0, "just now"},
		{59 * time.Second, "just now"},
		{time.Minute, "1m ago"},
		{3*time.Minute + 59*time.Second, "3m ago"},
		{59 * time.Minute, "59m ago"},
		{time.Hour, "1h ago"},
		{2*time.Hour + 30*time.Minute, "2h ago"},
		{23 * time.Hour, "23h ago"},
		{24 * time.Hour, "1d ago"},
		{5*24*time.Hour + 23*time.Hour, "5d ago"},
		{400 * 24 * time.Hour, "400d ago"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ago(testNow, testNow.Add(-tt.d)), "%s", tt.d)
	}
	assert.Equal(t, "-", ago(testNow, time.Time{}))
}

func TestExpires(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-2 * time.Hour, "expired 2h ago"},
		{0, "expired just now"},
		{30 * time.Second, "in <1m"},
		{5 * time.Minute, "in 5m"},
		{29*24*time.Hour + 16*time.Hour, "in 29d"},
		{99 * 24 * time.Hour, "in 99d"},
		{100 * 24 * time.Hour, "2025-06-09"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, expires(testNow, testNow.Add(tt.d)), "%s", tt.d)
	}
	assert.Equal(t, "-", expires(testNow, time.Time{}))
}

func TestClient(t *testing.T) {
	tests := []struct {
		d    *vault.DeviceInfoResponse
		want string
	}{
		{nil, "-"},
		{&vault.DeviceInfoResponse{}, "-"},
		{&vault.DeviceInfoResponse{Browser: "Firefox"}, "Firefox"},
		{&vault.DeviceInfoResponse{OS: "Linux"}, "Linux"},
		{&vault.DeviceInfoResponse{Browser: "Firefox", OS: "Linux"}, "Firefox on Linux"},
		{&vault.DeviceInfoResponse{Browser: "Evil\x1b]0;title\a", OS: "Linux"}, "Evil?]0;title? on Linux"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, client(tt.d))
	}
}

func TestWriteTableWithoutSessions(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, writeTable(&b, nil, testNow))
	assert.Equal(t, "No active sessions.\n", b.String())
}

func TestWriteTableKeepsControlCharactersOut(t *testing.T) {
	ip := "198.51.100.1\t\x1b[31m"
	var b bytes.Buffer
	require.NoError(t, writeTable(&b, []vault.SessionResponse{{
		ID:             "ses\n1",
		IPAddress:      &ip,
		DeviceInfo:     &vault.DeviceInfoResponse{DeviceType: "fridge\r"},
		LastActivityAt: testNow,
		ExpiresAt:      testNow.Add(time.Hour),
	}}, testNow))
	assert.Equal(t, 2, bytes.Count(b.Bytes(), []byte("\n")), "a header and one row, no current marker:\n%s", b.String())
	assert.Contains(t, b.String(), "ses?1  fridge?  -             198.51.100.1??[31m  just now     in 1h")
	assert.NotContains(t, b.String(), "\x1b")
}
