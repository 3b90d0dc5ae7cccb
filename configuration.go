package vault

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// DefaultBaseURL is the production API's base URL.
const DefaultBaseURL = "https://api.vault.dev/api/v1"

// Defaults applied by NewClient to zero fields of Configuration.
const (
	// DefaultMaxRetries is the number of retries after the first attempt.
	DefaultMaxRetries = 3
	// DefaultRetryWaitMin is the first backoff; later ones double.
	DefaultRetryWaitMin = 500 * time.Millisecond
	// DefaultRetryWaitMax caps every single wait, a server's Retry-After
	// included: a longer requested wait ends the call at once instead.
	DefaultRetryWaitMax = 30 * time.Second
	// DefaultMaxResponseBytes bounds a response body. A list of a few
	// thousand sessions stays well below it.
	DefaultMaxResponseBytes = 10 << 20
)

// Configuration holds everything a Client needs. The zero value of every
// field but the credential is usable; NewClient fills in the defaults.
//
// Printing a Configuration with fmt or log/slog never shows the token.
type Configuration struct {
	// BaseURL is the API root, with or without a trailing slash.
	// Default: DefaultBaseURL.
	BaseURL string
	// AccessToken is the bearer token sent with every request.
	AccessToken string
	// TokenSource, when set, is called once per operation to get the bearer
	// token, and wins over AccessToken. Use it to read the acting user's
	// token from the context, or set it to a TokenRefresher's Token to
	// keep a token fresh with a refresh token.
	//
	// When the API answers 401 to a token the source returned, the Client
	// calls the source once more, with a context whose RefusedToken
	// reports the refused token, and sends the call again at once with
	// the token it returns, if that is another one. This happens once per
	// call, and not after an attempt whose answer was lost (the 401 may
	// then be news of that attempt). A source that returns the same
	// token, or an error, ends the call with the 401; a static
	// AccessToken, or WithAccessToken, never changes.
	TokenSource func(ctx context.Context) (string, error)
	// TenantID, when set, is sent as the X-Tenant-ID header of every
	// call; WithTenant replaces it for one call. NewClient refuses one that
	// holds a control character, a line break included.
	TenantID string
	// Headers are added to every request. They cannot set Authorization
	// (use AccessToken or TokenSource) nor the SDK's own headers.
	Headers http.Header
	// UserAgent is appended to the SDK's own product token in the
	// User-Agent header, such as "billing-service/2.1".
	UserAgent string
	// HTTPClient is the client whose Transport, Timeout and Jar are used.
	// Its CheckRedirect is not: the SDK never follows redirects. A nil
	// Transport keeps the SDK's pooled transport, not
	// http.DefaultTransport. Its Timeout bounds each attempt, not the
	// call; AttemptTimeout, when set, wins over it. A Jar is shared by
	// every call: on a Client that acts for many users, a cookie one
	// user's answer sets goes out with the others' requests, so leave it
	// nil there.
	//
	// Default: a client whose transport keeps up to 64 idle connections
	// per host, for concurrent use, and that has no timeout of its own: an
	// attempt lasts as long as the context allows, unless AttemptTimeout
	// is set.
	HTTPClient *http.Client
	// AttemptTimeout bounds each attempt of a call: connecting, sending
	// the request, waiting for the answer and reading its body. An attempt
	// that runs out of time fails like a lost connection and is retried
	// while retries remain; the call as a whole is bounded by its context.
	// Zero means no bound per attempt (the default); it must not be
	// negative.
	AttemptTimeout time.Duration
	// MaxRetries is the number of retries after the first attempt: 0 means
	// DefaultMaxRetries, a negative value disables retries.
	MaxRetries int
	// RetryWaitMin is the first backoff. Default: DefaultRetryWaitMin, or
	// RetryWaitMax when that alone is set and is shorter.
	RetryWaitMin time.Duration
	// RetryWaitMax caps every wait between attempts. When the server asks
	// for a longer wait, the call returns the *APIError at once with
	// RetryAfter set. Default: DefaultRetryWaitMax, or RetryWaitMin when
	// that alone is set and is longer. Setting both with RetryWaitMin the
	// longer is a *ConfigError.
	RetryWaitMax time.Duration
	// RetryBudget is how many retries the Client may make, across all its
	// calls, in a burst of failures: each retry spends from a shared
	// budget, a retry that succeeds is paid back, and calls that succeed
	// at their first attempt slowly earn back the retries that failed
	// (five such calls for one retry), so that an outage
	// does not multiply the load of every caller by MaxRetries+1. Once it
	// is spent, calls fail after their first attempt with an error wrapping
	// ErrRetryBudgetExhausted. A retry that a 429 directs with its wait
	// (Retry-After or X-RateLimit-Reset) spends nothing: rate limits are
	// per token, and one user's must not spend every user's retries. 0
	// means DefaultRetryBudget; a negative value switches the budget off;
	// NewClient refuses a value over math.MaxInt64/5.
	RetryBudget int
	// MaxResponseBytes bounds the body of a 2xx response; a longer one
	// fails with ErrResponseTooLarge. Error bodies are read up to 64 KiB
	// (or this bound, if smaller), enough for the API's error envelope.
	// Default: DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// AllowInsecureHTTP permits an http:// BaseURL whose host is not a
	// loopback address. Without it NewClient refuses to send a bearer token
	// in clear text; http://localhost and loopback addresses such as
	// 127.0.0.1 and [::1] are always allowed, for tests.
	AllowInsecureHTTP bool
	// Logger receives a record per attempt (debug), retry (info) and
	// failed call. A failure a service meets in its normal course is
	// logged at debug: a 401 for a user's token (from WithAccessToken or
	// TokenSource), a 403 but to an admin call with the Client's own
	// token, a 404 to a revoke or to an admin call (the user or session
	// is not in the tenant), a call its caller cancelled. A 429 is logged
	// at info. The others are warn: 5xx, network failures and timeouts,
	// bodies that do not decode, an empty retry budget, an unknown
	// outcome, a 401 for the Client's own AccessToken, a 403 to an admin
	// call with that token (it is not an administrator's), a 404 to a
	// list or a logout (the BaseURL is wrong), and a 400 or 401 to a
	// refresh, whichever Client sends it: a TokenRefresher whose refresh
	// token is refused fails for good, though the 401s of the calls made
	// with its tokens are a TokenSource's, at debug. Nil keeps the SDK
	// silent.
	Logger *slog.Logger
	// Hooks observe each call, for tracing and metrics; see Hooks. The
	// zero value observes nothing.
	Hooks Hooks
}

// ConfigError is returned by NewClient for an invalid Configuration. It
// names the field at fault.
type ConfigError struct {
	// Field is the name of the Configuration field, such as "BaseURL".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error returns "vault: invalid Configuration.<Field>: <Reason>".
func (e *ConfigError) Error() string {
	return "vault: invalid Configuration." + e.Field + ": " + e.Reason
}

// reservedHeaders are set by the SDK itself and cannot be overridden
// through Configuration.Headers or WithHeader.
var reservedHeaders = map[string]string{
	"Authorization": "use AccessToken, TokenSource or WithAccessToken",
	"Accept":        "the SDK sets it",
	"User-Agent":    "use Configuration.UserAgent",
	"X-Tenant-Id":   "use Configuration.TenantID or WithTenant",
	"Content-Type":  "the SDK sets it on a request with a body",
	"Host":          "use BaseURL",
}

// checkHeader refuses a header the SDK owns or one net/http would reject.
func checkHeader(key, value string) error {
	canonical := http.CanonicalHeaderKey(key)
	if why, reserved := reservedHeaders[canonical]; reserved {
		return fmt.Errorf("header %s is reserved: %s", canonical, why)
	}
	if !validHeaderName(key) {
		return fmt.Errorf("header name %q is not a valid token", key)
	}
	if why := headerValueFault(value); why != "" {
		return fmt.Errorf("value of header %s %s", canonical, why)
	}
	return nil
}

// headerValueFault says why net/http would refuse to send a header value,
// or returns "": a line break or NUL would end the header early, and
// net/http refuses every other control character but the tab too.
func headerValueFault(value string) string {
	if strings.ContainsAny(value, "\r\n\x00") {
		return "contains a line break or NUL"
	}
	for i := 0; i < len(value); i++ {
		if c := value[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return "contains a control character"
		}
	}
	return ""
}

// checkTenantID refuses a tenant ID that cannot be sent as the value of
// X-Tenant-ID as it is: a control character (a line break, NUL or tab
// included) would end the header early, be refused by net/http, or name
// another tenant once the server trims it.
func checkTenantID(id string) error {
	for i := 0; i < len(id); i++ {
		if c := id[i]; c < ' ' || c == 0x7f {
			return fmt.Errorf("tenant ID contains the control character %U", rune(c))
		}
	}
	return nil
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// parseBaseURL checks BaseURL and returns it without a trailing slash.
func parseBaseURL(raw string, allowInsecure bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// The parse error quotes the whole URL, which may hold credentials:
		// keep only its reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, &ConfigError{Field: "BaseURL", Reason: "not a URL: " + err.Error()}
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, &ConfigError{Field: "BaseURL", Reason: fmt.Sprintf("scheme must be https or http, not %q", u.Scheme)}
	case u.Host == "":
		return nil, &ConfigError{Field: "BaseURL", Reason: "has no host"}
	case u.User != nil:
		return nil, &ConfigError{Field: "BaseURL", Reason: "must not carry credentials; use AccessToken"}
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, &ConfigError{Field: "BaseURL", Reason: "must not have a query or fragment"}
	case u.Scheme == "http" && !allowInsecure && !isLoopback(u.Hostname()):
		return nil, &ConfigError{Field: "BaseURL", Reason: fmt.Sprintf(
			"http:// to non-loopback host %q would send the token in clear text; use https or set AllowInsecureHTTP", u.Hostname())}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String describes the configuration without the token: AccessToken shows
// only whether it is set, and Headers only their names.
func (c Configuration) String() string {
	var b strings.Builder
	b.WriteString("vault.Configuration{")
	fmt.Fprintf(&b, "BaseURL:%q AccessToken:%s TokenSource:%s", printableURL(c.BaseURL), redacted(c.AccessToken != ""), setOrUnset(c.TokenSource != nil))
	if c.TenantID != "" {
		fmt.Fprintf(&b, " TenantID:%q", c.TenantID)
	}
	if len(c.Headers) > 0 {
		fmt.Fprintf(&b, " Headers:%v", headerNames(c.Headers))
	}
	if c.UserAgent != "" {
		fmt.Fprintf(&b, " UserAgent:%q", c.UserAgent)
	}
	fmt.Fprintf(&b, " HTTPClient:%s AttemptTimeout:%s MaxRetries:%d RetryWaitMin:%s RetryWaitMax:%s RetryBudget:%d MaxResponseBytes:%d AllowInsecureHTTP:%t Logger:%s Hooks:%s}",
		setOrUnset(c.HTTPClient != nil), c.AttemptTimeout, c.MaxRetries, c.RetryWaitMin, c.RetryWaitMax, c.RetryBudget, c.MaxResponseBytes, c.AllowInsecureHTTP, setOrUnset(c.Logger != nil), setOrUnset(c.Hooks.set()))
	return b.String()
}

// GoString is String, so %#v does not print the token either.
func (c Configuration) GoString() string { return c.String() }

// Format prints String for every verb, so no fmt verb prints the token.
func (c Configuration) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue logs the configuration under log/slog without the token.
func (c Configuration) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", printableURL(c.BaseURL)),
		slog.String("access_token", redacted(c.AccessToken != "")),
		slog.String("tenant_id", c.TenantID),
	)
}

func redacted(set bool) string {
	if set {
		return "[REDACTED]"
	}
	return `""`
}

func setOrUnset(set bool) string {
	if set {
		return "set"
	}
	return "nil"
}

func headerNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// printableURL is raw without the password it may carry, for printing a
// Configuration that NewClient has not checked yet.
func printableURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if strings.Contains(raw, "@") {
			return "[REDACTED]"
		}
		return raw
	}
	return u.Redacted()
}
