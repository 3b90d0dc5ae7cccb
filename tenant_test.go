package vault_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// tenantRecorder is an httptest server that answers every Sessions route
// with success and records the X-Tenant-ID values of each request.
type tenantRecorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen [][]string // X-Tenant-ID values, one entry per request
}

func newTenantRecorder(t *testing.T) *tenantRecorder {
	t.Helper()
	rec := new(tenantRecorder)
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Header.Values("X-Tenant-ID"))
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(`[{"id":"ses_me","mfaVerified":false,"createdAt":"2026-01-01T00:00:00Z","lastActivityAt":"2026-01-01T00:00:00Z","expiresAt":"2026-02-01T00:00:00Z","current":true},` +
				`{"id":"ses_other","mfaVerified":false,"createdAt":"2026-01-01T00:00:00Z","lastActivityAt":"2026-01-01T00:00:00Z","expiresAt":"2026-02-01T00:00:00Z","current":false}]`))
			return
		}
		_, _ = w.Write([]byte(`{"message":"done"}`))
	}))
	t.Cleanup(rec.Close)
	return rec
}

// requests returns the X-Tenant-ID values of the requests so far, and
// forgets them.
func (rec *tenantRecorder) requests() [][]string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := rec.seen
	rec.seen = nil
	return out
}

func (rec *tenantRecorder) client(t *testing.T, tenantID string) *vault.Client {
	t.Helper()
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:      rec.URL,
		AccessToken:  "tenant-test-token",
		TenantID:     tenantID,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 10 * time.Millisecond,
	})
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// sessionCalls are the operations of SessionsService, each making one
// request but RevokeOtherSessions, which lists and then revokes one.
var sessionCalls = []struct {
	name     string
	requests int
	call     func(context.Context, *vault.Client, ...vault.RequestOption) error
}{
	{"ListSessions", 1, func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
		_, err := c.Sessions.ListSessions(ctx, opts...)
		return err
	}},
	{"RevokeSession", 1, func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
		_, err := c.Sessions.RevokeSession(ctx, "ses_other", opts...)
		return err
	}},
	{"LogoutAllSessions", 1, func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
		_, err := c.Sessions.LogoutAllSessions(ctx, opts...)
		return err
	}},
	{"RevokeOtherSessions", 2, func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
		_, err := c.Sessions.RevokeOtherSessions(ctx, opts...)
		return err
	}},
}

func TestWithTenantSetsTheTenantOfOneCall(t *testing.T) {
	tests := []struct {
		name       string
		configured string // Configuration.TenantID
		opts       []vault.RequestOption
		want       []string // X-Tenant-ID values of the call's requests
	}{
		{"no tenant at all", "", nil, nil},
		{"the Client's tenant", "acme", nil, []string{"acme"}},
		{"a tenant for the call only", "", []vault.RequestOption{vault.WithTenant("globex")}, []string{"globex"}},
		{"in place of the Client's, not beside it", "acme", []vault.RequestOption{vault.WithTenant("globex")}, []string{"globex"}},
		{"the last one wins", "acme", []vault.RequestOption{vault.WithTenant("globex"), vault.WithTenant("initech")}, []string{"initech"}},
		{"with the other options", "acme", []vault.RequestOption{vault.WithAccessToken("user-token"), vault.WithTenant("globex"), vault.WithHeader("X-Trace", "1")}, []string{"globex"}},
	}
	for _, op := range sessionCalls {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				rec := newTenantRecorder(t)
				client := rec.client(t, tt.configured)
				require.NoError(t, op.call(context.Background(), client, tt.opts...))
				got := rec.requests()
				require.Len(t, got, op.requests)
				for _, values := range got {
					assert.Equal(t, tt.want, values)
				}

				// The next call without the option is the Client's again.
				require.NoError(t, op.call(context.Background(), client))
				for _, values := range rec.requests() {
					if tt.configured == "" {
						assert.Empty(t, values)
					} else {
						assert.Equal(t, []string{tt.configured}, values)
					}
				}
			})
		}
	}
}

func TestWithTenantOnConcurrentCalls(t *testing.T) {
	rec := newTenantRecorder(t)
	client := rec.client(t, "acme")
	tenants := []string{"t1", "t2", "t3", "t4"}
	options := make([]vault.RequestOption, len(tenants))
	for i, tenant := range tenants {
		options[i] = vault.WithTenant(tenant) // each option shared by many calls
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(opt vault.RequestOption) {
			defer wg.Done()
			_, err := client.Sessions.LogoutAllSessions(context.Background(), opt)
			errs <- err
		}(options[i%len(options)])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	count := map[string]int{}
	for _, values := range rec.requests() {
		require.Len(t, values, 1, "one X-Tenant-ID per request")
		count[values[0]]++
	}
	assert.Equal(t, map[string]int{"t1": 10, "t2": 10, "t3": 10, "t4": 10}, count)
}

func TestWithTenantRefusesWhatCannotBeSent(t *testing.T) {
	tests := []struct {
		name     string
		tenantID string
		want     string
	}{
		{"empty", "", "empty tenant ID"},
		{"header injection", "acme\r\nX-Evil: 1", "control character U+000D"},
		{"line feed", "acme\nglobex", "control character U+000A"},
		{"NUL", "acme\x00", "control character U+0000"},
		{"tab", "acme\tglobex", "control character U+0009"},
		{"escape", "acme\x1b[2J", "control character U+001B"},
		{"DEL", "acme\x7f", "control character U+007F"},
	}
	for _, op := range sessionCalls {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				rec := newTenantRecorder(t)
				client := rec.client(t, "acme")
				err := op.call(context.Background(), client, vault.WithTenant(tt.tenantID))
				require.ErrorIs(t, err, vault.ErrInvalidArgument)
				assert.Contains(t, err.Error(), "WithTenant")
				assert.Contains(t, err.Error(), tt.want)
				assert.True(t, strings.HasPrefix(err.Error(), "vault: "), err.Error())
				assert.Empty(t, rec.requests(), "nothing is sent")
			})
		}
	}
}

func TestConfigurationTenantIDRefusesControlCharacters(t *testing.T) {
	for _, id := range []string{"acme\r\nX-Evil: 1", "acme\x00", "acme\tglobex", "acme\x1b", "acme\x7f"} {
		_, err := vault.NewClient(vault.Configuration{AccessToken: "token", TenantID: id})
		var cfgErr *vault.ConfigError
		require.True(t, errors.As(err, &cfgErr), "%q: %v", id, err)
		assert.Equal(t, "TenantID", cfgErr.Field, "%q", id)
	}
	_, err := vault.NewClient(vault.Configuration{AccessToken: "token", TenantID: "acme-42 (EU)"})
	assert.NoError(t, err, "printable characters and spaces are a tenant ID's own business")
}

// TestWithTenantServesManyTenantsFromOneClient runs one Client, without a
// tenant of its own, for users of two tenants against vaulttest, which
// refuses a token sent for another tenant than its user's.
func TestWithTenantServesManyTenantsFromOneClient(t *testing.T) {
	srv := vaulttest.NewServer()
	defer srv.Close()
	srv.AddUser(vaulttest.User{ID: "alice", TenantID: "acme"})
	srv.AddUser(vaulttest.User{ID: "bob", TenantID: "globex"})
	alice := srv.AddSession("alice", vaulttest.SessionSeed{})
	bob := srv.AddSession("bob", vaulttest.SessionSeed{})
	client := newClient(t, srv)
	ctx := context.Background()

	for _, tt := range []struct {
		user, token, tenant string
		want                error
	}{
		{"alice", alice.Token, "acme", nil},
		{"bob", bob.Token, "globex", nil},
		{"alice", alice.Token, "globex", vault.ErrUnauthorized},
		{"bob", bob.Token, "acme", vault.ErrUnauthorized},
	} {
		sessions, err := client.Sessions.ListSessions(ctx, vault.WithAccessToken(tt.token), vault.WithTenant(tt.tenant))
		if tt.want != nil {
			assert.ErrorIs(t, err, tt.want, "%s in %s", tt.user, tt.tenant)
			continue
		}
		require.NoError(t, err, "%s in %s", tt.user, tt.tenant)
		require.Len(t, sessions, 1)
		assert.True(t, sessions[0].Current)
	}
	for _, r := range srv.Requests() {
		assert.Len(t, r.Header.Values("X-Tenant-ID"), 1)
	}
}
