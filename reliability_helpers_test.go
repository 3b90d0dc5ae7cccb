package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// The reliability tests run the SDK against vaulttest and against hostile
// servers. They live in package vault_test because vaulttest imports the
// SDK.

// secretToken is the bearer token of the reliability tests; they look for
// it wherever it must never appear.
const secretToken = "vlt_s3cr3t-7f1c0d9e-b2a4-bearer"

// targetSessionID is the session RevokeSession revokes.
const targetSessionID = "sess_target"

// fixture is a vaulttest server with a user, alice, who has two sessions:
// the caller's, whose token the client sends, and the target of revokes.
type fixture struct {
	srv    *vaulttest.Server
	client *vault.Client
}

// newFixture starts a server and a client with retries that wait
// milliseconds, and a RetryWaitMax that lets a server ask for a second or
// two. Every test gets its own server and client, so that its first attempt
// goes out on a fresh connection.
func newFixture(t *testing.T, mutate ...func(*vault.Configuration)) *fixture {
	t.Helper()
	srv := vaulttest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddSession("alice", vaulttest.SessionSeed{Token: secretToken})
	srv.AddSession("alice", vaulttest.SessionSeed{ID: targetSessionID})

	cfg := vault.Configuration{
		BaseURL:      srv.URL,
		AccessToken:  secretToken,
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 3 * time.Second,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	client, err := vault.NewClient(cfg)
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return &fixture{srv: srv, client: client}
}

// operation is one of the three Sessions operations, as the fault matrix
// runs it.
type operation struct {
	name   string // as the SDK's errors name it
	route  string // as vaulttest.Fault.Route selects it
	method string
	path   string // relative to the base URL
	// call runs the operation and checks a successful result, so that a
	// nil error always means a correct answer.
	call func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error
}

var operations = []operation{
	{
		name: "list sessions", route: vaulttest.RouteListSessions,
		method: http.MethodGet, path: "/users/me/sessions",
		call: func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
			sessions, err := c.Sessions.ListSessions(ctx, opts...)
			if err == nil && len(sessions) != 2 {
				return fmt.Errorf("listed %d sessions, want 2", len(sessions))
			}
			return err
		},
	},
	{
		name: "logout all sessions", route: vaulttest.RouteLogoutAllSessions,
		method: http.MethodDelete, path: "/users/me/sessions",
		call: func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
			msg, err := c.Sessions.LogoutAllSessions(ctx, opts...)
			if err == nil && msg.Message != vaulttest.MessageAllSessionsRevoked {
				return fmt.Errorf("message %q", msg.Message)
			}
			return err
		},
	},
	{
		name: "revoke session", route: vaulttest.RouteRevokeSession,
		method: http.MethodDelete, path: "/users/me/sessions/" + targetSessionID,
		call: func(ctx context.Context, c *vault.Client, opts ...vault.RequestOption) error {
			msg, err := c.Sessions.RevokeSession(ctx, targetSessionID, opts...)
			if err == nil && msg.Message != vaulttest.MessageSessionRevoked {
				return fmt.Errorf("message %q", msg.Message)
			}
			return err
		},
	},
}

// assertAttempts checks that the server saw exactly want requests, all of
// them the operation's, with the caller's token.
func assertAttempts(t *testing.T, f *fixture, op operation, want int) []vaulttest.Request {
	t.Helper()
	reqs := f.srv.Requests()
	assert.Len(t, reqs, want, "attempts the server counted")
	for _, r := range reqs {
		assert.Equal(t, op.method, r.Method)
		assert.Equal(t, vaulttest.BasePath+op.path, r.Path)
		assert.Equal(t, "Bearer "+secretToken, r.Header.Get("Authorization"))
	}
	return reqs
}

// signalHandler is a slog.Handler that reports, on a channel, each record
// whose message is msg. The SDK logs "vault: retrying" just before it
// starts a backoff, which lets a test act during the wait.
type signalHandler struct {
	msg string
	ch  chan struct{}
}

func newSignalHandler(msg string) *signalHandler {
	return &signalHandler{msg: msg, ch: make(chan struct{}, 16)}
}

func (h *signalHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		select {
		case h.ch <- struct{}{}:
		default:
		}
	}
	return nil
}

func (h *signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *signalHandler) WithGroup(string) slog.Handler      { return h }

// errorChain returns err and every error it wraps, depth first.
func errorChain(err error) []error {
	if err == nil {
		return nil
	}
	chain := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		chain = append(chain, errorChain(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			chain = append(chain, errorChain(e)...)
		}
	}
	return chain
}

// assertNoSecret checks that s holds neither the token nor a telling part
// of it.
func assertNoSecret(t *testing.T, s, where string) {
	t.Helper()
	if strings.Contains(s, secretToken) || strings.Contains(s, "s3cr3t") {
		t.Errorf("the token appears in %s: %q", where, s)
	}
}

// assertErrorHasNoSecret prints every error of err's chain with every fmt
// verb a caller might use, and checks none shows the token.
func assertErrorHasNoSecret(t *testing.T, err error) {
	t.Helper()
	for _, e := range errorChain(err) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			assertNoSecret(t, fmt.Sprintf(verb, e), "an error printed with "+verb)
		}
		assertNoSecret(t, e.Error(), "Error()")
	}
	var apiErr *vault.APIError
	if errors.As(err, &apiErr) {
		assertNoSecret(t, fmt.Sprintf("%#v", *apiErr), "an APIError's fields")
	}
}
