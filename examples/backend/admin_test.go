package main

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// newAdminFixture is newFixture with an administrator of alice's tenant
// (the users without a tenant), usr_support, and mallory, a user of the
// tenant globex.
func newAdminFixture(t *testing.T) (f *fixture, admin, mallory vaulttest.Session) {
	t.Helper()
	f = newFixture(t)
	f.vault.AddUser(vaulttest.User{ID: "usr_support", Admin: true})
	admin = f.vault.AddSession("usr_support", vaulttest.SessionSeed{})
	f.vault.AddUser(vaulttest.User{ID: "mallory", TenantID: "globex"})
	mallory = f.vault.AddSession("mallory", vaulttest.SessionSeed{})
	return f, admin, mallory
}

func TestAdminListsAUsersDevices(t *testing.T) {
	f, admin, _ := newAdminFixture(t)
	f.vault.RevokeSession(f.alice[2].ID)

	var got userSessionsResponse
	resp := call(t, f.service, http.MethodGet, "/admin/users/alice/sessions", admin.Token, &got)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, got.Sessions, 3, "the revoked session is listed too")
	statuses := map[vault.SessionStatus]int{}
	for _, s := range got.Sessions {
		statuses[s.Status]++
		assert.Equal(t, "alice", s.UserID)
	}
	assert.Equal(t, map[vault.SessionStatus]int{vault.SessionStatusActive: 2, vault.SessionStatusRevoked: 1}, statuses)
	assert.Equal(t, 2, got.Active)
	assert.Equal(t, vaulttest.DefaultMaxSessions, got.Max)
}

func TestAdminSignsAUserOutEverywhere(t *testing.T) {
	f, admin, _ := newAdminFixture(t)
	var msg vault.MessageResponse
	resp := call(t, f.service, http.MethodPost, "/admin/users/alice/sign-out-everywhere", admin.Token, &msg)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "Revoked 3 sessions for user alice", msg.Message)
	for _, s := range f.vault.Sessions("alice") {
		assert.True(t, s.Revoked, s.ID)
	}

	resp = call(t, f.service, http.MethodPost, "/admin/users/alice/sign-out-everywhere", admin.Token, &msg)
	require.Equal(t, http.StatusOK, resp.StatusCode, "safe to repeat")
	assert.Equal(t, "Revoked 0 sessions for user alice", msg.Message)

	resp = call(t, f.service, http.MethodGet, "/account/sessions", f.alice[0].Token, nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "alice's own token is signed out")
}

func TestAdminRevokesOneDevice(t *testing.T) {
	f, admin, _ := newAdminFixture(t)
	var got revokedResponse
	resp := call(t, f.service, http.MethodDelete, "/admin/users/alice/sessions/"+f.alice[1].ID, admin.Token, &got)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{f.alice[1].ID}, got.Revoked)
	s, _ := f.vault.Session(f.alice[1].ID)
	assert.True(t, s.Revoked)
	s, _ = f.vault.Session(f.alice[0].ID)
	assert.False(t, s.Revoked, "only that device")
}

func TestAdminRoutesRefuse(t *testing.T) {
	f, admin, mallory := newAdminFixture(t)
	tests := []struct {
		name, method, path, token string
		status                    int
		code                      string
	}{
		{"a user who is no administrator", http.MethodGet, "/admin/users/alice/sessions", f.alice[0].Token, http.StatusForbidden, "FORBIDDEN"},
		{"a user through the admin route", http.MethodPost, "/admin/users/alice/sign-out-everywhere", f.alice[1].Token, http.StatusForbidden, "FORBIDDEN"},
		{"a user of another tenant", http.MethodGet, "/admin/users/mallory/sessions", admin.Token, http.StatusNotFound, "NOT_FOUND"},
		{"an unknown user", http.MethodPost, "/admin/users/nobody/sign-out-everywhere", admin.Token, http.StatusNotFound, "NOT_FOUND"},
		{"another user's session", http.MethodDelete, "/admin/users/alice/sessions/" + mallory.ID, admin.Token, http.StatusNotFound, "NOT_FOUND"},
		{"an ID that could reach another route", http.MethodGet, "/admin/users/..%2Fx/sessions", admin.Token, http.StatusBadRequest, "BAD_REQUEST"},
		{"no token", http.MethodGet, "/admin/users/alice/sessions", "", http.StatusUnauthorized, "UNAUTHORIZED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got errorBody
			resp := call(t, f.service, tt.method, tt.path, tt.token, &got)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.code, got.Error.Code)
		})
	}
	for _, s := range f.vault.Sessions("alice") {
		assert.False(t, s.Revoked, s.ID)
	}
	s, _ := f.vault.Session(mallory.ID)
	assert.False(t, s.Revoked)
}
