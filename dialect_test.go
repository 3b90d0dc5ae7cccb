package vault_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// These tests run the SDK against vaulttest in each of its dialects: the
// spec's and the Vault server's. Both must read the same sessions.

var dialects = []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer}

// newDialectServer starts a server in dialect d with its clock frozen at
// a time with a fraction of a second, which the two dialects write
// differently.
func newDialectServer(t *testing.T, d vaulttest.Dialect, opts ...vaulttest.Option) *vaulttest.Server {
	t.Helper()
	srv := vaulttest.NewServer(append([]vaulttest.Option{vaulttest.WithDialect(d)}, opts...)...)
	t.Cleanup(srv.Close)
	srv.SetNow(time.Date(2026, 11, 27, 8, 15, 30, 120_000_000, time.UTC))
	return srv
}

// wantDeviceInfo is what ListSessions reads of a seeded DeviceInfo in
// dialect d: the spec's carries every field, the server's only Extra,
// and {} for a session without one.
func wantDeviceInfo(d vaulttest.Dialect, seeded *vault.DeviceInfoResponse) *vault.DeviceInfoResponse {
	if d == vaulttest.DialectSpec {
		return seeded
	}
	got := &vault.DeviceInfoResponse{}
	if seeded != nil && len(seeded.Extra) > 0 {
		got.Extra = seeded.Extra
	}
	return got
}

func TestListSessionsInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			demo := srv.SeedDemo(vaulttest.Demo{Sessions: 6})
			// A spec server may add members of its own; they reach Extra too.
			srv.AddSession(vaulttest.DemoUserID, vaulttest.SessionSeed{
				ID: "sess_mixed",
				DeviceInfo: &vault.DeviceInfoResponse{
					DeviceType: vault.DeviceTypeMobile, OS: "Android", Browser: "App", IsMobile: true,
					Extra: map[string]any{"app_version": "4.2.0", "push": map[string]any{"enabled": true, "topics": []any{"security"}}},
				},
				CreatedAt: srv.Now().Add(-time.Minute),
			})
			client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = demo[0].Token })

			limits := vault.SessionLimits{Current: -1, Max: -1, Warning: "stale"}
			sessions, err := client.Sessions.ListSessions(context.Background(), vault.WithSessionLimits(&limits))
			require.NoError(t, err)

			seeded := srv.Sessions(vaulttest.DemoUserID) // oldest first
			if d == vaulttest.DialectServer {
				slices.Reverse(seeded) // the server lists the newest first
			}
			require.Len(t, sessions, len(seeded))
			for i, got := range sessions {
				want := seeded[i]
				assert.Equal(t, want.ID, got.ID)
				assert.Equal(t, want.ID == demo[0].ID, got.Current, want.ID)
				assert.Equal(t, want.MFAVerified, got.MFAVerified, want.ID)
				assert.Equal(t, want.IPAddress, deref(got.IPAddress), want.ID)
				assert.Equal(t, want.UserAgent, deref(got.UserAgent), want.ID)
				assert.Equal(t, wantDeviceInfo(d, want.DeviceInfo), got.DeviceInfo, want.ID)
				assert.True(t, want.CreatedAt.Equal(got.CreatedAt), "%s: created %s, read %s", want.ID, want.CreatedAt, got.CreatedAt)
				assert.True(t, want.LastActivityAt.Equal(got.LastActivityAt), "%s: last active %s, read %s", want.ID, want.LastActivityAt, got.LastActivityAt)
				assert.True(t, want.ExpiresAt.Equal(got.ExpiresAt), want.ID)
			}

			if d == vaulttest.DialectSpec {
				assert.Zero(t, limits, "the spec's array has no limits")
			} else {
				assert.Equal(t, vault.SessionLimits{Current: 7, Max: vaulttest.DefaultMaxSessions, Warning: vault.WarningLimitReached}, limits)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func TestSessionLimitsFromTheServer(t *testing.T) {
	for _, tt := range []struct {
		sessions int
		want     vault.SessionLimits
	}{
		{3, vault.SessionLimits{Current: 3, Max: 5}},
		{4, vault.SessionLimits{Current: 4, Max: 5, Warning: vault.WarningNearLimit}},
		{5, vault.SessionLimits{Current: 5, Max: 5, Warning: vault.WarningLimitReached}},
	} {
		t.Run(fmt.Sprint(tt.sessions), func(t *testing.T) {
			srv := newDialectServer(t, vaulttest.DialectServer, vaulttest.WithMaxSessions(5))
			demo := srv.SeedDemo(vaulttest.Demo{Sessions: tt.sessions})
			client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = demo[0].Token })
			var limits vault.SessionLimits
			sessions, err := client.Sessions.ListSessions(context.Background(), vault.WithSessionLimits(&limits))
			require.NoError(t, err)
			assert.Len(t, sessions, tt.sessions)
			assert.Equal(t, tt.want, limits)
		})
	}
}

func TestLogoutAllSessionsInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			demo := srv.SeedDemo(vaulttest.Demo{Sessions: 3})
			client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = demo[0].Token })

			msg, err := client.Sessions.LogoutAllSessions(context.Background())
			require.NoError(t, err)
			sessions, listErr := client.Sessions.ListSessions(context.Background())
			cur, _ := srv.Session(demo[0].ID)

			if d == vaulttest.DialectSpec {
				assert.Equal(t, vaulttest.MessageAllSessionsRevoked, msg.Message)
				assert.True(t, cur.Revoked, "the spec ends the current session too")
				assert.ErrorIs(t, listErr, vault.ErrUnauthorized)
				return
			}
			assert.Equal(t, "Revoked 2 sessions", msg.Message)
			assert.False(t, cur.Revoked, "the server keeps the current session")
			require.NoError(t, listErr)
			require.Len(t, sessions, 1)
			assert.True(t, sessions[0].Current)
		})
	}
}

func TestLogoutAllWithoutASessionIsABadRequestOnTheServer(t *testing.T) {
	srv := newDialectServer(t, vaulttest.DialectServer)
	srv.SeedDemo(vaulttest.Demo{})
	token := srv.AddSessionlessToken(vaulttest.DemoUserID, "")
	client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = token })

	_, err := client.Sessions.LogoutAllSessions(context.Background())
	var apiErr *vault.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "BAD_REQUEST", apiErr.Code)
	assert.Equal(t, "No active session", apiErr.Message)
	assert.Equal(t, 1, apiErr.Attempts, "a 400 is not retried")

	_, err = client.Sessions.RevokeOtherSessions(context.Background())
	assert.ErrorIs(t, err, vault.ErrNoCurrentSession, "no session of the list is the token's")
}

func TestRevokeAnotherUsersSessionInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			srv.AddUser(vaulttest.User{ID: "alice", TenantID: "acme"})
			srv.AddUser(vaulttest.User{ID: "bob", TenantID: "acme"})
			srv.AddUser(vaulttest.User{ID: "carol", TenantID: "globex"})
			alice := srv.AddSession("alice", vaulttest.SessionSeed{})
			bob := srv.AddSession("bob", vaulttest.SessionSeed{})
			carol := srv.AddSession("carol", vaulttest.SessionSeed{})
			client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = alice.Token; c.TenantID = "acme" })

			_, errSameTenant := client.Sessions.RevokeSession(context.Background(), bob.ID)
			_, errOtherTenant := client.Sessions.RevokeSession(context.Background(), carol.ID)
			assert.ErrorIs(t, errOtherTenant, vault.ErrNotFound)
			if d == vaulttest.DialectSpec {
				assert.ErrorIs(t, errSameTenant, vault.ErrNotFound)
			} else {
				assert.ErrorIs(t, errSameTenant, vault.ErrForbidden)
				var apiErr *vault.APIError
				require.ErrorAs(t, errSameTenant, &apiErr)
				assert.Equal(t, "FORBIDDEN", apiErr.Code)
			}
			for _, s := range []vaulttest.Session{bob, carol} {
				got, _ := srv.Session(s.ID)
				assert.False(t, got.Revoked)
			}
		})
	}
}

func TestRevokeOtherSessionsInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			demo := srv.SeedDemo(vaulttest.Demo{Sessions: 5})
			client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = demo[0].Token })

			var limits vault.SessionLimits
			revoked, err := client.Sessions.RevokeOtherSessions(context.Background(), vault.WithSessionLimits(&limits))
			require.NoError(t, err)
			assert.Len(t, revoked, 4)
			for _, s := range srv.Sessions(vaulttest.DemoUserID) {
				assert.Equal(t, s.ID != demo[0].ID, s.Revoked, s.ID)
			}
			if d == vaulttest.DialectServer {
				assert.Equal(t, vault.SessionLimits{Current: 5, Max: 5, Warning: vault.WarningLimitReached}, limits,
					"the limits of the list, before the revocations")
			} else {
				assert.Zero(t, limits)
			}
		})
	}
}

func TestUnauthorizedInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = "vt_unknown" })
			_, err := client.Sessions.ListSessions(context.Background())
			assert.ErrorIs(t, err, vault.ErrUnauthorized)
			var apiErr *vault.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
			if d == vaulttest.DialectServer {
				assert.Empty(t, apiErr.Code, "the server's authentication layer sends no body")
				assert.Empty(t, apiErr.Body)
				assert.Empty(t, apiErr.RequestID)
				assert.Equal(t, "vault: list sessions: 401: Unauthorized", err.Error())
			} else {
				assert.Equal(t, "UNAUTHORIZED", apiErr.Code)
				assert.NotEmpty(t, apiErr.RequestID)
			}
		})
	}
}

func TestDialectsReadTheSameAfterEachStep(t *testing.T) {
	// The same steps give the same sessions, whichever dialect answers.
	read := func(d vaulttest.Dialect) []string {
		srv := newDialectServer(t, d)
		demo := srv.SeedDemo(vaulttest.Demo{Sessions: 4})
		client := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = demo[0].Token })
		_, err := client.Sessions.RevokeSession(context.Background(), demo[2].ID)
		require.NoError(t, err)
		sessions, err := client.Sessions.ListSessions(context.Background())
		require.NoError(t, err)
		var out []string
		for _, s := range sessions {
			out = append(out, fmt.Sprintf("%s current=%t mfa=%t last=%s", s.ID, s.Current, s.MFAVerified, s.LastActivityAt.UTC().Format(time.RFC3339Nano)))
		}
		return out
	}
	spec, server := read(vaulttest.DialectSpec), read(vaulttest.DialectServer)
	assert.Len(t, spec, 3)
	// The server lists the newest session first, the spec's list the
	// oldest: the same sessions in the other order.
	slices.Reverse(server)
	assert.Equal(t, spec, server)
}
