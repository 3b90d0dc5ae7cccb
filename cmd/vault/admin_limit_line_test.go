package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	vault "github.com/vault-dev/vault-go"
)

// TestAdminLimitLineCountsOneSession checks the last line of "admin
// sessions list" for a user with a single active session, the common
// case after a sign-out everywhere and one new sign-in.
func TestAdminLimitLineCountsOneSession(t *testing.T) {
	tests := []struct {
		limits vault.SessionLimits
		want   string
	}{
		{vault.SessionLimits{Current: 1, Max: 5}, "1 active session of 5 allowed"},
		{vault.SessionLimits{Current: 1}, "1 active session"},
		{vault.SessionLimits{Current: 2, Max: 5}, "2 active sessions of 5 allowed"},
		{vault.SessionLimits{Max: 5}, "0 active sessions of 5 allowed"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, adminLimitLine(tt.limits), "%+v", tt.limits)
	}
}
