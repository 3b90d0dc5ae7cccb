package main

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

func TestDemoAdministrator(t *testing.T) {
	m := startMock(t, "-tenant", "acme", "-admin", "usr_support")
	require.NotEmpty(t, m.adminToken)
	assert.NotEqual(t, m.token, m.adminToken)

	resp := get(t, m.baseURL+"/admin/users/usr_demo/sessions", m.adminToken, "X-Tenant-ID", "acme")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var list struct {
		Sessions []vault.AdminSessionResponse `json:"sessions"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	assert.Len(t, list.Sessions, 3, "the administrator manages the demo user of its tenant")

	resp = get(t, m.baseURL+"/admin/users/usr_support/sessions", m.token, "X-Tenant-ID", "acme")
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "the demo user is no administrator")

	assert.Equal(t, 0, m.stop(t))
	assert.NotContains(t, m.stderr.String(), m.adminToken, "the token is never logged")
}

func TestAdminFlag(t *testing.T) {
	for _, args := range [][]string{{"-admin", ""}, {"-admin", "usr_demo"}, {"-user", "u1", "-admin", "u1"}} {
		_, err := parseFlags(args, nil)
		assert.Error(t, err, "%q", args)
	}
}
