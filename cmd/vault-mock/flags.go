package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/vault-dev/vault-go/vaulttest"
)

// options are the parsed command-line flags.
type options struct {
	addr       string
	user       string
	tenant     string
	sessions   int
	failStatus int
	failMode   string
	failCount  int
	failRoute  string
	retryAfter string
	latency    time.Duration
	rateLimit  int
	rateWindow time.Duration
}

var failModes = map[string]vaulttest.FaultAction{
	"reset":      vaulttest.ResetBeforeResponse,
	"reset-body": vaulttest.ResetMidBody,
	"truncate":   vaulttest.TruncateBody,
	"proxy-html": vaulttest.ProxyHTML,
	"html":       vaulttest.HTMLBody,
}

// parseFlags parses args; usage and errors go to stderr.
func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("vault-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:4010", "listen `address`; port 0 picks a free port")
	fs.StringVar(&o.user, "user", vaulttest.DemoUserID, "`ID` of the demo user")
	fs.StringVar(&o.tenant, "tenant", "", "tenant `ID` of the demo user; requests must then send it as X-Tenant-ID")
	fs.IntVar(&o.sessions, "sessions", vaulttest.DemoSessions, fmt.Sprintf("number of demo sessions, 1 to %d", vaulttest.MaxDemoSessions))
	fs.IntVar(&o.failStatus, "fail-status", 0, "answer failing requests with this HTTP `status` and a JSON error")
	fs.StringVar(&o.failMode, "fail-mode", "", "fail requests another way: reset, reset-body, truncate, proxy-html or html")
	fs.IntVar(&o.failCount, "fail-count", 1, "number of requests to fail; -1 fails all of them")
	fs.StringVar(&o.failRoute, "fail-route", "", "fail only requests to this `route`, such as \"DELETE /users/me/sessions/{sessionId}\"")
	fs.StringVar(&o.retryAfter, "retry-after", "", "Retry-After `value` of failed requests: seconds or an HTTP date")
	fs.DurationVar(&o.latency, "latency", 0, "delay every response by this `duration`")
	fs.IntVar(&o.rateLimit, "rate-limit", 0, "enforce a limit of `N` requests per token and window (default: advertise 100 per minute only)")
	fs.DurationVar(&o.rateWindow, "rate-window", vaulttest.DefaultRateLimitWindow, "rate-limit window")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, usageError(fs, "unexpected arguments: %q", fs.Args())
	}
	switch {
	case o.sessions < 1 || o.sessions > vaulttest.MaxDemoSessions:
		return options{}, usageError(fs, "-sessions must be between 1 and %d", vaulttest.MaxDemoSessions)
	case o.failStatus != 0 && (o.failStatus < 100 || o.failStatus > 599):
		return options{}, usageError(fs, "-fail-status %d is not an HTTP status", o.failStatus)
	case o.failMode != "" && failModes[o.failMode] == vaulttest.Respond:
		return options{}, usageError(fs, "unknown -fail-mode %q", o.failMode)
	case o.failCount < -1 || o.failCount == 0:
		return options{}, usageError(fs, "-fail-count must be positive or -1")
	case o.latency < 0:
		return options{}, usageError(fs, "-latency must not be negative")
	case o.rateLimit < 0:
		return options{}, usageError(fs, "-rate-limit must not be negative")
	case o.rateWindow <= 0:
		return options{}, usageError(fs, "-rate-window must be positive")
	case !validRoute(o.failRoute):
		return options{}, usageError(fs, "-fail-route %q must be a path such as /users/me/sessions, optionally after a method", o.failRoute)
	case o.user == "":
		return options{}, usageError(fs, "-user must not be empty")
	}
	return o, nil
}

func usageError(fs *flag.FlagSet, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	fmt.Fprintf(fs.Output(), "vault-mock: %v\n", err)
	fs.Usage()
	return err
}

// validRoute reports whether r has the form Fault.Route accepts.
func validRoute(r string) bool {
	if r == "" {
		return true
	}
	if m, p, ok := strings.Cut(r, " "); ok {
		if m == "" || strings.ToUpper(m) != m {
			return false
		}
		r = strings.TrimSpace(p)
	}
	return strings.HasPrefix(r, "/")
}

// faults returns the faults the flags ask for.
func (o options) faults() []vaulttest.Fault {
	var out []vaulttest.Fault
	if o.failStatus != 0 || o.failMode != "" {
		f := vaulttest.Fault{
			Route:      o.failRoute,
			Count:      o.failCount,
			Status:     o.failStatus,
			Action:     failModes[o.failMode],
			RetryAfter: o.retryAfter,
			Latency:    o.latency,
		}
		if f.Action == vaulttest.Respond && f.Status == 0 {
			f.Status = http.StatusServiceUnavailable
		}
		out = append(out, f)
	}
	if o.latency > 0 {
		out = append(out, vaulttest.Fault{Latency: o.latency, Count: vaulttest.Unlimited})
	}
	return out
}

// handlerOptions returns the vaulttest options the flags ask for.
func (o options) handlerOptions() []vaulttest.Option {
	if o.rateLimit == 0 {
		return nil
	}
	return []vaulttest.Option{vaulttest.WithRateLimit(vaulttest.RateLimit{
		Limit:   o.rateLimit,
		Window:  o.rateWindow,
		Enforce: true,
	})}
}
