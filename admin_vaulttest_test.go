package vault_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// These tests run the admin operations against vaulttest in each
// dialect: the spec describes a device with deviceFingerprint, the Vault
// server with a free-form deviceInfo.

// adminTenant seeds, in the tenant acme, an administrator and the demo
// user with six sessions, one of them revoked and one expired, and a
// user of the tenant globex. It returns a client with the
// administrator's token and the demo's sessions.
func adminTenant(t *testing.T, srv *vaulttest.Server) (*vault.Client, []vaulttest.Session) {
	t.Helper()
	srv.AddUser(vaulttest.User{ID: "usr_admin", TenantID: "acme", Admin: true})
	admin := srv.AddSession("usr_admin", vaulttest.SessionSeed{})
	demo := srv.SeedDemo(vaulttest.Demo{TenantID: "acme", Sessions: 6})
	srv.RevokeSession(demo[4].ID)
	srv.ExpireSession(demo[5].ID)
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "globex"})
	srv.AddSession("bob", vaulttest.SessionSeed{ID: "ses_bob"})
	client := newClient(t, srv, func(c *vault.Configuration) {
		c.AccessToken = admin.Token
		c.TenantID = "acme"
	})
	return client, demo
}

func TestAdminSessionsInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			client, demo := adminTenant(t, srv)
			ctx := context.Background()

			limits := vault.SessionLimits{Warning: "stale"}
			sessions, err := client.AdminSessions.ListUserSessions(ctx, vaulttest.DemoUserID, vault.WithSessionLimits(&limits))
			require.NoError(t, err)
			assert.Equal(t, vault.SessionLimits{Current: 4, Max: vaulttest.DefaultMaxSessions}, limits)

			seeded := srv.Sessions(vaulttest.DemoUserID) // oldest first
			if d == vaulttest.DialectServer {
				slices.Reverse(seeded)
			}
			require.Len(t, sessions, len(seeded), "revoked and expired sessions are listed")
			for i, got := range sessions {
				want := seeded[i]
				assert.Equal(t, want.ID, got.ID)
				assert.Equal(t, vaulttest.DemoUserID, got.UserID)
				assert.Equal(t, want.Status(srv.Now()), got.Status, want.ID)
				assert.Equal(t, want.IPAddress, deref(got.IPAddress), want.ID)
				assert.Equal(t, want.UserAgent, deref(got.UserAgent), want.ID)
				assert.Equal(t, want.MFAVerified, got.MFAVerified, want.ID)
				assert.True(t, want.CreatedAt.Equal(got.CreatedAt), want.ID)
				assert.True(t, want.ExpiresAt.Equal(got.ExpiresAt), want.ID)
				if d == vaulttest.DialectSpec {
					assert.Equal(t, want.DeviceFingerprint, deref(got.DeviceFingerprint), want.ID)
					assert.Nil(t, got.DeviceInfo, want.ID)
				} else {
					assert.Nil(t, got.DeviceFingerprint, want.ID)
					assert.Equal(t, wantDeviceInfo(d, want.DeviceInfo), got.DeviceInfo, want.ID)
				}
			}
			statuses := map[vault.SessionStatus]int{}
			for _, s := range sessions {
				statuses[s.Status]++
			}
			assert.Equal(t, map[vault.SessionStatus]int{
				vault.SessionStatusActive: 4, vault.SessionStatusRevoked: 1, vault.SessionStatusExpired: 1,
			}, statuses)

			one, err := client.AdminSessions.GetUserSession(ctx, vaulttest.DemoUserID, demo[4].ID)
			require.NoError(t, err)
			assert.Equal(t, vault.SessionStatusRevoked, one.Status)

			msg, err := client.AdminSessions.RevokeUserSession(ctx, vaulttest.DemoUserID, demo[1].ID)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf(vaulttest.MessageUserSessionRevokedFormat, demo[1].ID, vaulttest.DemoUserID), msg.Message)
			s, _ := srv.Session(demo[1].ID)
			assert.True(t, s.Revoked)

			_, err = client.AdminSessions.RevokeUserSession(ctx, vaulttest.DemoUserID, demo[1].ID)
			assert.NoError(t, err, "revoking a revoked session succeeds again")
			_, err = client.AdminSessions.RevokeUserSession(ctx, vaulttest.DemoUserID, "ses_bob")
			assert.ErrorIs(t, err, vault.ErrNotFound, "another user's session")

			msg, err = client.AdminSessions.RevokeAllUserSessions(ctx, vaulttest.DemoUserID)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf(vaulttest.MessageUserSessionsRevokedFormat, 3, vaulttest.DemoUserID), msg.Message)
			for _, s := range srv.Sessions(vaulttest.DemoUserID) {
				assert.False(t, s.Active(srv.Now()), s.ID)
			}

			// The demo user's own token is refused now.
			user := newClient(t, srv, func(c *vault.Configuration) { c.AccessToken = demo[0].Token; c.TenantID = "acme" })
			_, err = user.Sessions.ListSessions(ctx)
			assert.ErrorIs(t, err, vault.ErrUnauthorized)
		})
	}
}

func TestAdminSessionsRefusedInEachDialect(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			admin, demo := adminTenant(t, srv)
			ctx := context.Background()

			_, err := admin.AdminSessions.ListUserSessions(ctx, "bob")
			assert.ErrorIs(t, err, vault.ErrNotFound, "another tenant's user is not found")
			_, err = admin.AdminSessions.RevokeAllUserSessions(ctx, "bob")
			assert.ErrorIs(t, err, vault.ErrNotFound)
			_, err = admin.AdminSessions.GetUserSession(ctx, vaulttest.DemoUserID, "ses_nope")
			assert.ErrorIs(t, err, vault.ErrNotFound)
			bob, _ := srv.Session("ses_bob")
			assert.True(t, bob.Active(srv.Now()))

			// A user's token, passed for one call on the administrator's
			// Client, is not an administrator's.
			_, err = admin.AdminSessions.ListUserSessions(ctx, vaulttest.DemoUserID, vault.WithAccessToken(demo[0].Token))
			assert.ErrorIs(t, err, vault.ErrForbidden)
			_, err = admin.AdminSessions.RevokeUserSession(ctx, vaulttest.DemoUserID, demo[0].ID, vault.WithAccessToken(demo[0].Token))
			assert.ErrorIs(t, err, vault.ErrForbidden)
			s, _ := srv.Session(demo[0].ID)
			assert.False(t, s.Revoked)

			_, err = admin.AdminSessions.ListUserSessions(ctx, vaulttest.DemoUserID, vault.WithAccessToken("vt_not_a_token"))
			assert.ErrorIs(t, err, vault.ErrUnauthorized)
		})
	}
}

func TestAdminRevokeWhoseAnswerIsLost(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newDialectServer(t, d)
			client, demo := adminTenant(t, srv)
			ctx := context.Background()

			srv.Faults().Add(vaulttest.Fault{SessionID: demo[0].ID, Action: vaulttest.ApplyThenReset})
			msg, err := client.AdminSessions.RevokeUserSession(ctx, vaulttest.DemoUserID, demo[0].ID)
			require.NoError(t, err, "the retry revokes the revoked session again, and succeeds")
			assert.Equal(t, fmt.Sprintf(vaulttest.MessageUserSessionRevokedFormat, demo[0].ID, vaulttest.DemoUserID), msg.Message)

			srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeAllUserSessions, Action: vaulttest.ApplyThenCutBody})
			msg, err = client.AdminSessions.RevokeAllUserSessions(ctx, vaulttest.DemoUserID)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf(vaulttest.MessageUserSessionsRevokedFormat, 0, vaulttest.DemoUserID), msg.Message,
				"the retry's answer: the lost attempt revoked them")
			for _, s := range srv.Sessions(vaulttest.DemoUserID) {
				assert.False(t, s.Active(srv.Now()), s.ID)
			}

			srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteGetUserSession, Status: 503, Count: 2})
			_, err = client.AdminSessions.GetUserSession(ctx, vaulttest.DemoUserID, demo[0].ID)
			require.NoError(t, err, "retried past two 503s")

			srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeUserSession, Action: vaulttest.ApplyThenReset})
			_, err = client.AdminSessions.RevokeUserSession(ctx, vaulttest.DemoUserID, "ses_missing")
			require.ErrorIs(t, err, vault.ErrNotFound, "a 404 after a lost answer is a real 404")
			assert.NotErrorIs(t, err, vault.ErrOutcomeUnknown)
		})
	}
}

func TestAdminSessionsOnAnEmptyUser(t *testing.T) {
	srv := newDialectServer(t, vaulttest.DialectSpec)
	client, _ := adminTenant(t, srv)
	srv.AddUser(vaulttest.User{ID: "carol", TenantID: "acme"})
	sessions, err := client.AdminSessions.ListUserSessions(context.Background(), "carol")
	require.NoError(t, err)
	assert.NotNil(t, sessions)
	assert.Empty(t, sessions)
	msg, err := client.AdminSessions.RevokeAllUserSessions(context.Background(), "carol")
	require.NoError(t, err)
	assert.Equal(t, "Revoked 0 sessions for user carol", msg.Message)
}
