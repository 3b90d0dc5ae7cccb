package vaulttest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// dialects are the two ways a server answers; the state controls hold in
// both.
var dialects = []vaulttest.Dialect{vaulttest.DialectSpec, vaulttest.DialectServer}

// listAs lists the sessions with token through the SDK, without retries.
func listAs(t *testing.T, srv *vaulttest.Server, token string) ([]vault.SessionResponse, error) {
	t.Helper()
	c, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: token, MaxRetries: -1})
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c.Sessions.ListSessions(context.Background())
}

func ids(list []vault.SessionResponse) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

func TestRevokeAndExpireSession(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newServer(t, vaulttest.WithDialect(d))
			demo := srv.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 3})
			me, phone, tablet := demo[0], demo[1], demo[2]

			srv.Advance(time.Minute)
			got, ok := srv.RevokeSession(phone.ID)
			require.True(t, ok)
			assert.True(t, got.Revoked)
			assert.Equal(t, epoch.Add(time.Minute), got.RevokedAt)
			srv.Advance(time.Minute)
			again, ok := srv.RevokeSession(phone.ID)
			require.True(t, ok)
			assert.Equal(t, got.RevokedAt, again.RevokedAt, "a second revocation keeps the first time")

			got, ok = srv.ExpireSession(tablet.ID)
			require.True(t, ok)
			assert.Equal(t, epoch.Add(2*time.Minute), got.ExpiresAt)
			assert.False(t, got.Active(srv.Now()))
			assert.False(t, got.Revoked, "an expired session is not revoked")

			list, err := listAs(t, srv, me.Token)
			require.NoError(t, err)
			assert.Equal(t, []string{me.ID}, ids(list))
			for _, tok := range []string{phone.Token, tablet.Token} {
				_, err := listAs(t, srv, tok)
				assert.ErrorIs(t, err, vault.ErrUnauthorized, "the token of a revoked or expired session is refused")
			}

			_, ok = srv.RevokeSession("ses_missing")
			assert.False(t, ok)
			_, ok = srv.ExpireSession("ses_missing")
			assert.False(t, ok)
		})
	}
}

func TestExpireSessionKeepsAnEarlierExpiry(t *testing.T) {
	srv := newServer(t)
	s := srv.AddSession("alice", vaulttest.SessionSeed{ExpiresAt: epoch.Add(-time.Hour)})
	got, ok := srv.ExpireSession(s.ID)
	require.True(t, ok)
	assert.Equal(t, epoch.Add(-time.Hour), got.ExpiresAt)
}

func TestAddSessionMintsAnotherSession(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			srv := newServer(t, vaulttest.WithDialect(d))
			first := srv.AddSession("alice", vaulttest.SessionSeed{})
			second := srv.AddSession("alice", vaulttest.SessionSeed{})
			assert.NotEqual(t, first.ID, second.ID)
			assert.NotEqual(t, first.Token, second.Token)

			list, err := listAs(t, srv, second.Token)
			require.NoError(t, err)
			require.Len(t, list, 2)
			for _, s := range list {
				assert.Equal(t, s.ID == second.ID, s.Current, "the new token is the current session")
			}
		})
	}
}

func TestGeneratedIDsSkipSeededOnes(t *testing.T) {
	// What the first generated session would be called.
	first := vaulttest.NewHandler().AddSession("x", vaulttest.SessionSeed{})

	srv := newServer(t)
	srv.AddSession("alice", vaulttest.SessionSeed{ID: first.ID, Token: first.Token})
	s := srv.AddSession("alice", vaulttest.SessionSeed{})
	assert.NotEqual(t, first.ID, s.ID, "a generated ID never takes a seeded one")
	assert.NotEqual(t, first.Token, s.Token)
}

func TestReset(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.String(), func(t *testing.T) {
			var seeded [][]vaulttest.Session
			srv := vaulttest.NewTestServer(t, vaulttest.WithDialect(d), vaulttest.WithSeed(func(h *vaulttest.Handler) {
				seeded = append(seeded, h.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 2}))
			}))
			require.Len(t, seeded, 1, "the seed runs when the server starts")
			alice := seeded[0]

			srv.SetNow(epoch)
			bob := srv.AddSession("bob", vaulttest.SessionSeed{})
			srv.AddUser(vaulttest.User{ID: "carol"})
			_, err := listAs(t, srv, alice[0].Token)
			require.NoError(t, err)
			srv.RevokeSession(alice[1].ID)
			srv.Faults().Add(vaulttest.Fault{Status: 503, Count: vaulttest.Unlimited})
			require.NotEmpty(t, srv.Requests())

			srv.Reset()

			require.Len(t, seeded, 2, "the seed runs again")
			require.Len(t, seeded[1], len(alice))
			for i, s := range seeded[1] {
				assert.Equal(t, alice[i].ID, s.ID, "the same session IDs as at the start")
				assert.Equal(t, alice[i].Token, s.Token, "the same tokens as at the start")
			}
			s, ok := srv.Session(alice[1].ID)
			require.True(t, ok)
			assert.False(t, s.Revoked)
			_, ok = srv.Session(bob.ID)
			assert.False(t, ok, "sessions added after the start are gone")
			_, ok = srv.User("carol")
			assert.False(t, ok, "users added after the start are gone")
			assert.Zero(t, srv.Faults().Pending())
			assert.Empty(t, srv.Requests())
			assert.WithinDuration(t, time.Now(), srv.Now(), time.Hour, "the clock follows time.Now again")

			r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", alice[0].Token)
			assert.Equal(t, http.StatusOK, r.status)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "req-000001", reqs[0].ID, "request IDs start over")
			_, err = listAs(t, srv, bob.Token)
			assert.ErrorIs(t, err, vault.ErrUnauthorized)
		})
	}
}

func TestResetWithoutSeedEmptiesTheServer(t *testing.T) {
	srv := newServer(t)
	me := srv.SeedDemo(vaulttest.Demo{})[0]
	tok := srv.AddSessionlessToken("alice", "")
	srv.Reset()
	assert.Empty(t, srv.Sessions(vaulttest.DemoUserID))
	for _, token := range []string{me.Token, tok} {
		r := call(t, srv.Client(), http.MethodGet, srv.URL+"/users/me/sessions", token)
		assert.Equal(t, http.StatusUnauthorized, r.status)
	}
	again := srv.SeedDemo(vaulttest.Demo{})[0]
	assert.Equal(t, me.ID, again.ID, "generated IDs start over")
	assert.Equal(t, me.Token, again.Token)
}

func TestConcurrentResetsEndSeeded(t *testing.T) {
	var first []string
	srv := vaulttest.NewTestServer(t, vaulttest.WithSeed(func(h *vaulttest.Handler) {
		demo := h.SeedDemo(vaulttest.Demo{UserID: "alice", Sessions: 2})
		if first == nil {
			first = []string{demo[0].ID, demo[1].ID}
		}
	}))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.Reset()
		}()
	}
	wg.Wait()
	var got []string
	for _, s := range srv.Sessions("alice") {
		got = append(got, s.ID)
	}
	assert.ElementsMatch(t, first, got, "one seed's sessions, with the first IDs")
}
