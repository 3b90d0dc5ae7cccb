package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/vault-dev/vault-go/vaulttest"
)

// options are the parsed command-line flags.
type options struct {
	addr        string
	user        string
	admin       string
	tenant      string
	tenantSlug  string
	sessions    int
	failStatus  int
	failMode    string
	failCount   int
	failRoute   string
	failSession string
	retryAfter  string
	latency     time.Duration
	rateLimit   int
	rateWindow  time.Duration
	dialect     vaulttest.Dialect

	control         bool
	controlRemote   bool
	requestLog      int
	requestLogBytes byteSize
	showTokens      bool
	signedTokens    bool

	// accessTokenLifetime is -access-token-lifetime, or zero for
	// vaulttest's default.
	accessTokenLifetime time.Duration

	// webhookURLs and webhookSecrets are the -webhook-url and
	// -webhook-secret flags, paired in order.
	webhookURLs    []string
	webhookSecrets []string

	idleTimeout     time.Duration
	writeTimeout    time.Duration
	shutdownTimeout time.Duration
}

// Defaults of the flags that keep a long run in bounds.
const (
	defaultAdmin           = "usr_admin"
	defaultRequestLog      = 1000
	defaultRequestLogBytes = 8 << 20
	defaultIdleTimeout     = time.Minute
	defaultWriteTimeout    = time.Minute
	defaultShutdownTimeout = 2 * time.Second
)

var failModes = map[string]vaulttest.FaultAction{
	"reset":          vaulttest.ResetBeforeResponse,
	"reset-body":     vaulttest.ResetMidBody,
	"truncate":       vaulttest.TruncateBody,
	"proxy-html":     vaulttest.ProxyHTML,
	"html":           vaulttest.HTMLBody,
	"apply-reset":    vaulttest.ApplyThenReset,
	"apply-cut-body": vaulttest.ApplyThenCutBody,
}

// faultFlags names the flag that sets each field of a vaulttest.Fault.
var faultFlags = map[string]string{
	"Route":      "-fail-route",
	"SessionID":  "-fail-session",
	"Status":     "-fail-status",
	"Count":      "-fail-count",
	"Action":     "-fail-mode",
	"Latency":    "-latency",
	"RetryAfter": "-retry-after",
}

// emptyFlags are the flags of a fault that refuse an empty value, with
// what leaving the flag out does.
var emptyFlags = []struct{ name, unset string }{
	{"fail-route", "for every route"},
	{"fail-session", "for any session"},
	{"fail-mode", "to answer with -fail-status"},
	{"retry-after", "to send no Retry-After"},
}

// parseFlags parses args. For -h it prints the usage on stderr and
// returns flag.ErrHelp; other errors are returned for the caller to
// print on one line.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("vault-mock", flag.ContinueOnError)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:4010", "listen `address`; port 0 picks a free port")
	fs.StringVar(&o.user, "user", vaulttest.DemoUserID, "`ID` of the demo user")
	fs.StringVar(&o.admin, "admin", defaultAdmin, "`ID` of the demo administrator, of the demo user's tenant; its token is VAULT_ADMIN_TOKEN")
	fs.StringVar(&o.tenant, "tenant", "", "tenant `ID` of the demo user; requests must then send it as X-Tenant-ID, or the slug as X-Tenant-Slug")
	fs.StringVar(&o.tenantSlug, "tenant-slug", "", "tenant `slug` of the demo user; requests may send it as X-Tenant-Slug")
	fs.IntVar(&o.sessions, "sessions", vaulttest.DemoSessions, fmt.Sprintf("number of demo sessions, 1 to %d", vaulttest.MaxDemoSessions))
	fs.IntVar(&o.failStatus, "fail-status", 0, "answer failing requests with this HTTP `status` and a JSON error, or send it in the -fail-mode's answer")
	fs.StringVar(&o.failMode, "fail-mode", "", "fail requests another way: reset, reset-body, truncate, proxy-html or html;\n"+
		"apply-reset and apply-cut-body make the request's change, then reset before the answer or in its body")
	fs.IntVar(&o.failCount, "fail-count", 1, "number of requests to fail; -1 fails all of them")
	fs.StringVar(&o.failRoute, "fail-route", "", "fail only requests to this `route`, such as \"DELETE /users/me/sessions/{sessionId}\"")
	fs.StringVar(&o.failSession, "fail-session", "", "fail only the revocation of the session with this `ID`, by its user or an administrator;\n"+
		"with -fail-route \"GET /admin/users/{userId}/sessions/{sessionId}\", only an administrator's read of it")
	fs.StringVar(&o.retryAfter, "retry-after", "", "Retry-After `value` of failed requests: seconds or an HTTP date")
	fs.DurationVar(&o.latency, "latency", 0, "delay every response by this `duration`")
	fs.IntVar(&o.rateLimit, "rate-limit", 0, "enforce a limit of `N` requests per token and window (default: advertise 100 per minute only)")
	fs.DurationVar(&o.rateWindow, "rate-window", vaulttest.DefaultRateLimitWindow, "rate-limit window")
	fs.TextVar(&o.dialect, "dialect", vaulttest.DialectSpec, "answer as the API's spec says (spec) or as the Vault server's code does (server)")
	fs.BoolVar(&o.control, "control", true, "serve the control API under "+vaulttest.ControlPath+", to clients on the loopback interface")
	fs.BoolVar(&o.controlRemote, "control-remote", false, "serve the control API to clients on any address too")
	fs.BoolVar(&o.signedTokens, "signed-tokens", false, "make session tokens JWTs signed as the Vault server signs its access tokens, valid 15 minutes\n"+
		"or -access-token-lifetime, with the key set at "+vaulttest.JWKSPath+" (printed as VAULT_JWKS_URL)")
	fs.DurationVar(&o.accessTokenLifetime, "access-token-lifetime", 0, "make the access tokens the mock generates for sessions, the printed ones and those of a refresh\n"+
		"(POST "+vaulttest.BasePath+"/auth/refresh), expire this long after they were issued by the mock's clock, or with their session\n"+
		"if sooner; an expired token is answered 401. A token given in a session seed, or without a session, does not expire.\n"+
		"Default: "+vaulttest.AccessTokenLifetime.String()+" with -signed-tokens, as the Vault server's; without it, tokens live as long as their session")
	fs.IntVar(&o.requestLog, "request-log", defaultRequestLog, "keep the last `N` requests in the log that the control API reads")
	o.requestLogBytes = defaultRequestLogBytes
	fs.Var(&o.requestLogBytes, "request-log-bytes", "keep no more requests in the log than fit in this `size`, such as 8MiB, 512KiB or a number of bytes")
	fs.BoolVar(&o.showTokens, "show-tokens", false, "show tokens in the request log and on standard error as requests sent them, instead of [REDACTED]")
	fs.Func("webhook-url", "send session.created and session.revoked to this `URL`; repeat it for more endpoints, each with its -webhook-secret", func(v string) error {
		o.webhookURLs = append(o.webhookURLs, v)
		return nil
	})
	fs.Func("webhook-secret", "the `secret` that signs the deliveries to the -webhook-url of the same rank", func(v string) error {
		o.webhookSecrets = append(o.webhookSecrets, v)
		return nil
	})
	fs.DurationVar(&o.idleTimeout, "idle-timeout", defaultIdleTimeout, "close a kept-alive connection after this long without a request")
	fs.DurationVar(&o.writeTimeout, "write-timeout", defaultWriteTimeout, "cut a response not written this long after its request was read; 0 for no limit")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", defaultShutdownTimeout, "on SIGINT or SIGTERM, wait this long for responses in flight, then close their connections")

	// The flag package prints its errors with the whole usage; an error
	// here is one line, and the usage is for -h.
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stderr)
		fs.Usage()
		return options{}, flag.ErrHelp
	}
	if err != nil {
		return options{}, fmt.Errorf("%w (vault-mock -h lists the flags)", err)
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	// An empty value is refused where leaving the flag out means
	// something else: as the control API refuses "", so that a variable
	// a script failed to fill does not widen a failure to every request.
	for _, f := range emptyFlags {
		if isSet(fs, f.name) && fs.Lookup(f.name).Value.String() == "" {
			return options{}, fmt.Errorf("-%s \"\": an empty string; leave the flag out %s", f.name, f.unset)
		}
	}
	switch {
	case o.sessions < 1 || o.sessions > vaulttest.MaxDemoSessions:
		return options{}, fmt.Errorf("-sessions must be between 1 and %d", vaulttest.MaxDemoSessions)
	case o.failMode != "" && failModes[o.failMode] == vaulttest.Respond:
		return options{}, fmt.Errorf("unknown -fail-mode %q; the modes are %s", o.failMode, modeList())
	case o.latency < 0:
		return options{}, errors.New("-latency must not be negative")
	case o.rateLimit < 0:
		return options{}, errors.New("-rate-limit must not be negative")
	case o.rateWindow <= 0:
		return options{}, errors.New("-rate-window must be positive")
	case isSet(fs, "access-token-lifetime") && o.accessTokenLifetime <= 0:
		return options{}, fmt.Errorf("-access-token-lifetime %s: must be positive; leave it out for the default", o.accessTokenLifetime)
	case o.user == "":
		return options{}, errors.New("-user must not be empty")
	case o.admin == "":
		return options{}, errors.New("-admin must not be empty")
	case o.admin == o.user:
		return options{}, fmt.Errorf("-admin %q is the demo user; the administrator is a user of its own", o.admin)
	case o.requestLog < 1:
		return options{}, errors.New("-request-log must be positive")
	case o.requestLogBytes < minRequestLogBytes:
		return options{}, fmt.Errorf("-request-log-bytes must be at least %s", byteSize(minRequestLogBytes))
	case o.idleTimeout <= 0:
		return options{}, errors.New("-idle-timeout must be positive")
	case o.writeTimeout < 0:
		return options{}, errors.New("-write-timeout must not be negative")
	case o.shutdownTimeout < 0:
		return options{}, errors.New("-shutdown-timeout must not be negative")
	case o.controlRemote && !o.control:
		return options{}, errors.New("-control-remote needs the control API, which -control=false turns off")
	}
	// The faults of the flags follow the control API's rules.
	for _, f := range []vaulttest.Fault{o.failure(), {Latency: o.latency, Count: vaulttest.Unlimited}} {
		if err := f.ValidateInput(o.writeTimeout); err != nil {
			return options{}, flagError(err, o)
		}
	}
	if err := o.checkWebhooks(); err != nil {
		return options{}, err
	}
	if !o.failing() {
		// Without a failure these flags would select nothing.
		for _, name := range []string{"fail-route", "fail-session", "fail-count", "retry-after"} {
			if isSet(fs, name) {
				return options{}, fmt.Errorf("-%s needs -fail-status or -fail-mode", name)
			}
		}
	}
	return o, nil
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func modeList() string {
	names := make([]string, 0, len(failModes))
	for name := range failModes {
		names = append(names, name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// flagError restates an error of vaulttest.Fault.ValidateInput in terms
// of the flags of o.
func flagError(err error, o options) error {
	mode := o.failMode
	var fe *vaulttest.FaultError
	if !errors.As(err, &fe) {
		return err
	}
	name := faultFlags[fe.Field]
	if name == "" {
		return err
	}
	msg := fmt.Sprintf("%s %s", name, fe.Value)
	if fe.Field == "Status" && mode != "" {
		msg += " with -fail-mode " + mode
	}
	if fe.Field == "Latency" {
		// -latency, the one latency of the flags.
		return fmt.Errorf("-latency %s %s", fe.Value, strings.Replace(fe.Reason, "the server's write timeout of", "-write-timeout", 1))
	}
	msg += ": " + fe.Reason
	if fe.Route != "" {
		msg += fmt.Sprintf("; write -fail-route %q", fe.Route)
		if fe.SessionID != "" {
			msg += fmt.Sprintf(" -fail-session %q", fe.SessionID)
		}
	}
	return errors.New(msg)
}

// checkWebhooks checks that -webhook-url and -webhook-secret come in
// pairs, each an endpoint vaulttest accepts. No error holds a secret.
func (o options) checkWebhooks() error {
	if len(o.webhookURLs) != len(o.webhookSecrets) {
		return fmt.Errorf("%d -webhook-url and %d -webhook-secret: give one secret per URL, in the same order", len(o.webhookURLs), len(o.webhookSecrets))
	}
	for _, w := range o.webhooks() {
		if err := w.Validate(); err != nil {
			return fmt.Errorf("-webhook-url %q: %s", w.URL, strings.TrimPrefix(err.Error(), "vaulttest: "))
		}
	}
	return nil
}

// webhooks returns the endpoints of the -webhook flags.
func (o options) webhooks() []vaulttest.Webhook {
	out := make([]vaulttest.Webhook, 0, len(o.webhookURLs))
	for i, u := range o.webhookURLs {
		out = append(out, vaulttest.Webhook{URL: u, Secret: o.webhookSecrets[i]})
	}
	return out
}

// failing reports whether the flags ask for failures.
func (o options) failing() bool { return o.failStatus != 0 || o.failMode != "" }

// failure returns the fault that -fail-status or -fail-mode asks for,
// with the other -fail flags.
func (o options) failure() vaulttest.Fault {
	f := vaulttest.Fault{
		Route:      o.failRoute,
		SessionID:  o.failSession,
		Count:      o.failCount,
		Status:     o.failStatus,
		Action:     failModes[o.failMode],
		RetryAfter: o.retryAfter,
	}
	if f.Action == vaulttest.Respond && f.Status == 0 {
		f.Status = http.StatusServiceUnavailable
	}
	return f
}

// faults returns the faults the flags ask for.
func (o options) faults() []vaulttest.Fault {
	var out []vaulttest.Fault
	if o.failing() {
		out = append(out, o.failure())
	}
	return out
}

// handlerOptions returns the vaulttest options the flags ask for; seed
// seeds the handler, when it starts and on every reset.
func (o options) handlerOptions(seed func(*vaulttest.Handler)) []vaulttest.Option {
	opts := []vaulttest.Option{
		vaulttest.WithDialect(o.dialect),
		vaulttest.WithRequestLog(o.requestLog),
		vaulttest.WithRequestLogBytes(int(o.requestLogBytes)),
		vaulttest.WithSeed(seed),
		// Outside the fault queue, so that it shadows no fault.
		vaulttest.WithLatency(o.latency),
	}
	if o.showTokens {
		opts = append(opts, vaulttest.WithShowTokens())
	}
	if o.signedTokens {
		opts = append(opts, vaulttest.WithSignedTokens())
	}
	if o.accessTokenLifetime > 0 {
		opts = append(opts, vaulttest.WithAccessTokenLifetime(o.accessTokenLifetime))
	}
	if o.control {
		opts = append(opts, vaulttest.WithControlAPI(vaulttest.ControlOptions{AllowRemote: o.controlRemote, WriteTimeout: o.writeTimeout}))
	}
	for _, w := range o.webhooks() {
		opts = append(opts, vaulttest.WithWebhook(w.URL, w.Secret))
	}
	if o.rateLimit == 0 {
		return opts
	}
	return append(opts, vaulttest.WithRateLimit(vaulttest.RateLimit{
		Limit:   o.rateLimit,
		Window:  o.rateWindow,
		Enforce: true,
	}))
}
