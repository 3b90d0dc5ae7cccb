package vault_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
)

// secretFault is a way for a call to go wrong, for the secrets test.
type secretFault struct {
	name   string
	config func(*vault.Configuration)
	faults func(route string) []vaulttest.Fault
	// timeout, if set, is the call's deadline.
	timeout time.Duration
}

var secretFaults = []secretFault{
	{name: "none", faults: func(string) []vaulttest.Fault { return nil }},
	{name: "503 then 200", faults: times(2, vaulttest.Fault{Status: 503})},
	{name: "503 forever", faults: forever(vaulttest.Fault{Status: 503})},
	{name: "429 Retry-After too long", faults: forever(vaulttest.Fault{Status: 429, RetryAfter: "120"})},
	{name: "401", faults: times(1, vaulttest.Fault{Status: 401})},
	{name: "404", faults: times(1, vaulttest.Fault{Status: 404})},
	{name: "reset before response", faults: forever(vaulttest.Fault{Action: vaulttest.ResetBeforeResponse})},
	{name: "reset mid-body", faults: forever(vaulttest.Fault{Action: vaulttest.ResetMidBody})},
	{name: "truncated JSON", faults: times(1, vaulttest.Fault{Action: vaulttest.TruncateBody})},
	{name: "proxy page", faults: forever(vaulttest.Fault{Action: vaulttest.ProxyHTML})},
	{name: "HTML 200", faults: times(1, vaulttest.Fault{Action: vaulttest.HTMLBody})},
	{name: "slow attempts", config: attemptsTimingOut, faults: forever(vaulttest.Fault{Latency: time.Minute})},
	{name: "deadline", faults: forever(vaulttest.Fault{Latency: time.Minute}), timeout: 100 * time.Millisecond},
	{name: "budget exhausted", config: func(c *vault.Configuration) { c.RetryBudget = 1 },
		faults: forever(vaulttest.Fault{Status: 503})},
}

// attemptsTimingOut ends every attempt with a short timeout and retries
// once: the case shows the logs and the error of a retried timeout while
// keeping the case, run for every operation and way of passing the token,
// short.
func attemptsTimingOut(c *vault.Configuration) {
	slowAttempts(hopelessAttemptTimeout)(c)
	c.MaxRetries = 1
}

// credentials are the three ways a call gets its token.
var credentials = []struct {
	name   string
	config func(*vault.Configuration)
	opts   []vault.RequestOption
}{
	{name: "AccessToken", config: func(*vault.Configuration) {}},
	{name: "TokenSource", config: func(c *vault.Configuration) {
		c.AccessToken = ""
		c.TokenSource = func(context.Context) (string, error) { return secretToken, nil }
	}},
	{name: "WithAccessToken", config: func(c *vault.Configuration) { c.AccessToken = "" },
		opts: []vault.RequestOption{vault.WithAccessToken(secretToken)}},
}

func TestTokenNeverLeaksUnderFaults(t *testing.T) {
	// Every operation, under every fault, with every way of passing the
	// token, logs at Debug level through text and JSON handlers. Neither
	// the logs, nor the errors printed every way, nor the client, its
	// configuration or the captured response printed with fmt, may show
	// the token. The server must still have received it.
	t.Parallel()
	for _, cred := range credentials {
		for _, sf := range secretFaults {
			for _, op := range operations {
				t.Run(cred.name+"/"+sf.name+"/"+op.name, func(t *testing.T) {
					t.Parallel()
					var logs syncbuf.Buffer
					var cfg vault.Configuration
					f := newFixture(t, func(c *vault.Configuration) {
						c.RetryWaitMax = 5 * time.Millisecond
						c.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
					}, cred.config, func(c *vault.Configuration) {
						if sf.config != nil {
							sf.config(c)
						}
						cfg = *c
					})
					f.srv.Faults().Add(sf.faults(op.route)...)
					jsonLogger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

					timeout := sf.timeout
					if timeout == 0 {
						timeout = 30 * time.Second
					}
					var errs []error
					var resp *http.Response
					for i := 0; i < 2; i++ {
						ctx, cancel := context.WithTimeout(context.Background(), timeout)
						opts := append([]vault.RequestOption{vault.WithHTTPResponse(&resp)}, cred.opts...)
						errs = append(errs, op.call(ctx, f.client, opts...))
						cancel()
					}

					for _, err := range errs {
						assertErrorHasNoSecret(t, err)
						jsonLogger.Debug("call", "error", err)
						if err != nil {
							jsonLogger.Info("call", slog.Any("error", err), slog.String("text", err.Error()))
						}
					}
					jsonLogger.Info("client", "client", f.client, "config", cfg, "config_ptr", &cfg, "sessions", f.client.Sessions)
					for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
						for _, v := range []any{f.client, *f.client, f.client.Sessions, cfg, &cfg, resp} {
							assertNoSecret(t, fmt.Sprintf(verb, v), fmt.Sprintf("%T printed with %s", v, verb))
						}
					}

					out := logs.String()
					assert.Regexp(t, `msg="vault: (attempt|call failed)"`, out, "the SDK logged the call")
					if errs[0] != nil {
						assert.Contains(t, out, "vault: call failed")
					}
					assertNoSecret(t, out, "the logs")

					reqs := f.srv.Requests()
					if assert.NotEmpty(t, reqs) {
						assert.Equal(t, "Bearer "+secretToken, reqs[0].Header.Get("Authorization"), "the server got the token")
					}
					assert.False(t, strings.Contains(out, "Authorization"), "no header dump in the logs")
				})
			}
		}
	}
}
