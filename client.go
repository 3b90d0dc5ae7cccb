package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// Client talks to the Vault API. Create one with NewClient and share it:
// a Client is safe for concurrent use by many goroutines, keeps a pool of
// connections, and can act for many users through WithAccessToken or
// Configuration.TokenSource.
type Client struct {
	// Sessions groups the Sessions API operations.
	Sessions *SessionsService
	// AdminSessions groups the admin API's operations on the sessions of
	// any user of the tenant, for an administrator's token.
	AdminSessions *AdminSessionsService
	// Auth groups the operations on the Client's tokens: a refresh and
	// a logout.
	Auth *AuthService

	baseURL      string // without a trailing slash
	token        string
	tokenSource  func(context.Context) (string, error)
	header       http.Header // the headers every request starts from
	auth         []string    // the Authorization value of token, built once
	httpClient   *http.Client
	transport    http.RoundTripper // the caller's or ours, for CloseIdleConnections
	maxRetries   int
	retryWaitMin time.Duration
	retryWaitMax time.Duration
	maxBody      int64
	budget       *retryBudget // nil when switched off
	logger       *slog.Logger
	hooks        Hooks
	ownTransport bool       // the transport is the SDK's pooled one
	basePath     string     // the path of baseURL, for logs
	readers      *sync.Pool // of *bodyReader, see getReader
}

// NewClient validates cfg, applies its defaults and returns a Client. An
// invalid field is reported as a *ConfigError naming it.
func NewClient(cfg Configuration) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := parseBaseURL(cfg.BaseURL, cfg.AllowInsecureHTTP)
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, value string }{
		{"AccessToken", cfg.AccessToken}, {"TenantID", cfg.TenantID}, {"UserAgent", cfg.UserAgent},
	} {
		if why := headerValueFault(f.value); why != "" {
			return nil, &ConfigError{Field: f.name, Reason: why}
		}
	}
	if err := checkTenantID(cfg.TenantID); err != nil {
		return nil, &ConfigError{Field: "TenantID", Reason: err.Error()}
	}
	for key, values := range cfg.Headers {
		// The name is checked even without values: net/http refuses an
		// invalid name whatever follows it.
		if err := checkHeader(key, ""); err != nil {
			return nil, &ConfigError{Field: "Headers", Reason: err.Error()}
		}
		for _, v := range values {
			if err := checkHeader(key, v); err != nil {
				return nil, &ConfigError{Field: "Headers", Reason: err.Error()}
			}
		}
	}
	switch {
	case cfg.RetryWaitMin < 0:
		return nil, &ConfigError{Field: "RetryWaitMin", Reason: "must not be negative"}
	case cfg.RetryWaitMax < 0:
		return nil, &ConfigError{Field: "RetryWaitMax", Reason: "must not be negative"}
	case int64(cfg.RetryBudget) > maxRetryBudget:
		return nil, &ConfigError{Field: "RetryBudget", Reason: fmt.Sprintf("%d is more than %d; set a negative value to switch the budget off", cfg.RetryBudget, int64(maxRetryBudget))}
	case cfg.MaxResponseBytes < 0:
		return nil, &ConfigError{Field: "MaxResponseBytes", Reason: "must not be negative"}
	case cfg.AttemptTimeout < 0:
		return nil, &ConfigError{Field: "AttemptTimeout", Reason: "must not be negative"}
	}

	c := &Client{
		baseURL:      base.String(),
		basePath:     base.Path,
		token:        cfg.AccessToken,
		tokenSource:  cfg.TokenSource,
		maxRetries:   cfg.MaxRetries,
		retryWaitMin: cfg.RetryWaitMin,
		retryWaitMax: cfg.RetryWaitMax,
		maxBody:      cfg.MaxResponseBytes,
		budget:       newRetryBudget(cfg.RetryBudget),
		logger:       cfg.Logger,
		hooks:        cfg.Hooks,
		ownTransport: cfg.HTTPClient == nil || cfg.HTTPClient.Transport == nil,
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = DefaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	// A bound left zero takes its default, but never past the bound the
	// caller set: RetryWaitMax alone below DefaultRetryWaitMin lowers the
	// first wait to it, and RetryWaitMin alone above DefaultRetryWaitMax
	// raises the cap to it. Only two bounds the caller set can conflict.
	switch {
	case c.retryWaitMin == 0 && c.retryWaitMax == 0:
		c.retryWaitMin, c.retryWaitMax = DefaultRetryWaitMin, DefaultRetryWaitMax
	case c.retryWaitMin == 0:
		c.retryWaitMin = min(DefaultRetryWaitMin, c.retryWaitMax)
	case c.retryWaitMax == 0:
		c.retryWaitMax = max(DefaultRetryWaitMax, c.retryWaitMin)
	}
	if c.retryWaitMin > c.retryWaitMax {
		return nil, &ConfigError{Field: "RetryWaitMin", Reason: fmt.Sprintf("%s is longer than RetryWaitMax %s", c.retryWaitMin, c.retryWaitMax)}
	}
	if c.maxBody == 0 {
		c.maxBody = DefaultMaxResponseBytes
	}

	// Requests share the value slices of c.header. Their capacity is
	// their length, so that a RoundTripper adding a value to its request
	// copies the slice instead of writing into the Client's.
	c.header = make(http.Header, len(cfg.Headers)+3)
	for key, values := range cfg.Headers {
		c.header[http.CanonicalHeaderKey(key)] = slices.Clip(slices.Clone(values))
	}
	c.header["Accept"] = []string{"application/json"}
	c.header["User-Agent"] = []string{userAgent(cfg.UserAgent)}
	if cfg.TenantID != "" {
		c.header["X-Tenant-Id"] = []string{cfg.TenantID}
	}

	if c.token != "" {
		c.auth = []string{"Bearer " + c.token}
	}

	c.transport, c.httpClient = newHTTPClient(cfg.HTTPClient, cfg.AttemptTimeout)
	c.readers = new(sync.Pool)
	c.Sessions = &SessionsService{client: c}
	c.AdminSessions = &AdminSessionsService{client: c}
	c.Auth = &AuthService{client: c}
	return c, nil
}

func userAgent(extra string) string {
	ua := "vault-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if extra = strings.TrimSpace(extra); extra != "" {
		ua += " " + extra
	}
	return ua
}

// CloseIdleConnections closes the idle keep-alive connections of the
// Client's transport: its own, or the Transport of
// Configuration.HTTPClient. Call it when the Client is no longer needed.
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.transport.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// BaseURL returns the API root the Client sends to, without a trailing
// slash.
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the Client without its token.
func (c Client) String() string {
	return fmt.Sprintf("vault.Client{BaseURL:%q AccessToken:%s MaxRetries:%d}", c.baseURL, redacted(c.token != ""), c.maxRetries)
}

// GoString is String, so %#v does not print the token either.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so no fmt verb prints the token.
func (c Client) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue logs the Client under log/slog without its token.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.baseURL), slog.Int("max_retries", c.maxRetries))
}

// operation describes one API call for requests, errors and logs.
type operation struct {
	name   string // as in errors: "revoke session"
	method string
	// doneStatus is the status that, after an attempt whose answer was
	// lost, shows the change is already made: 404 to a revoke (the
	// session is gone), 401 to a logout of all sessions (the token is).
	// Zero for an operation without one.
	doneStatus int
	// idempotent marks a change that the server makes idempotent, such
	// as the admin routes' revokes: a retry after a lost answer is safe
	// and its answer is the call's, so no outcome is left unknown.
	idempotent bool
	// admin marks an operation of the admin API, which needs the token
	// of a tenant administrator and names a user and a session of the
	// caller's choosing: a 404 is news about them, not about the
	// BaseURL, and a 403 says the token is not an administrator's.
	admin bool
	// sendOnce marks a change that must never reach the server twice,
	// such as a refresh, which rotates the token it sends: the server
	// takes a second copy for a stolen token and revokes the session.
	// Once an attempt may have reached the server it is not sent again,
	// whatever came back (see resendable), a 5xx leaves its outcome
	// unknown (see effectOf), and its answer is its only record of what
	// it did, so a 204 without a body is no success.
	sendOnce bool
	// anonymous marks an operation sent without a bearer token, such as
	// a refresh, whose credential is in its body.
	anonymous bool
	// mayHaveDone says, in the error of a call whose outcome is unknown,
	// what the attempt whose answer was lost may have done. Empty means
	// "the change may have been made".
	mayHaveDone string
}

var (
	opListSessions      = operation{name: "list sessions", method: http.MethodGet}
	opLogoutAllSessions = operation{name: "logout all sessions", method: http.MethodDelete, doneStatus: http.StatusUnauthorized}
	opRevokeSession     = operation{name: "revoke session", method: http.MethodDelete, doneStatus: http.StatusNotFound}

	opListUserSessions      = operation{name: "list user sessions", method: http.MethodGet, admin: true}
	opGetUserSession        = operation{name: "get user session", method: http.MethodGet, admin: true}
	opRevokeUserSession     = operation{name: "revoke user session", method: http.MethodDelete, idempotent: true, admin: true}
	opRevokeAllUserSessions = operation{name: "revoke all user sessions", method: http.MethodDelete, idempotent: true, admin: true}

	opRefreshToken = operation{name: "refresh token", method: http.MethodPost, sendOnce: true, anonymous: true,
		mayHaveDone: "the refresh token may have been rotated"}
	opLogout = operation{name: "logout", method: http.MethodPost, doneStatus: http.StatusUnauthorized}
)

// changesState reports whether the operation changes the server's state
// in a way a retry cannot repeat safely, so that an attempt whose answer
// was lost may still have taken effect.
func (op operation) changesState() bool { return op.method != http.MethodGet && !op.idempotent }

// authorization returns the Authorization header of one call.
func (c *Client) authorization(ctx context.Context, override string) ([]string, error) {
	if override == "" && c.tokenSource == nil && c.auth != nil {
		return c.auth, nil
	}
	token, err := c.resolveToken(ctx, override)
	if err != nil {
		return nil, err
	}
	return []string{"Bearer " + token}, nil
}

// resolveToken picks the credential of one call: WithAccessToken, then
// TokenSource, then AccessToken.
func (c *Client) resolveToken(ctx context.Context, override string) (string, error) {
	if override != "" {
		return override, nil
	}
	if c.tokenSource != nil {
		token, err := c.tokenSource(ctx)
		if err != nil {
			return "", &sourceError{err: err}
		}
		if token == "" {
			return "", fmt.Errorf("%w: TokenSource returned an empty token", ErrNoCredential)
		}
		if why := headerValueFault(token); why != "" {
			return "", fmt.Errorf("%w: TokenSource returned a token that %s", ErrInvalidArgument, why)
		}
		return token, nil
	}
	if c.token == "" {
		return "", ErrNoCredential
	}
	return c.token, nil
}

// logFailure records a call that failed after sending, at the level of
// failureLevel.
func (c *Client) logFailure(ctx context.Context, op operation, path string, attempts int, userToken bool, err error) {
	if c.logger == nil {
		return
	}
	level := failureLevel(op, userToken, err)
	if !c.logger.Enabled(ctx, level) {
		return
	}
	c.logger.LogAttrs(ctx, level, "vault: call failed",
		slog.String("operation", op.name),
		slog.String("method", op.method),
		slog.String("path", c.basePath+path),
		slog.Int("attempts", attempts),
		slog.String("error", err.Error()),
	)
}

// failureLevel is the level of a failed call's record. A service meets
// some answers in its normal course, and those are debug, or they would
// flood its logs: a 401 for a user's token (passed with WithAccessToken
// or TokenSource: it expired or was revoked), a 403 but to an admin
// operation with the Client's own token, a 404 to a revoke (the session
// is already gone) or to an admin operation (the user or session is not
// in the tenant), and a call cancelled because its caller went away. A
// 429 is news about one caller, and info. The rest, warn, is what an
// operator should look at: 5xx, network failures and timeouts, bodies
// that do not decode, an empty retry budget, a change whose outcome is
// unknown, a 401 for the Client's own AccessToken (the service's
// credential is broken), a 400 or 401 to a refresh (the refresh token,
// sent in the body rather than as a bearer token, is refused: a
// TokenRefresher fails for good and the service must sign in again), a 403 to an admin operation with that token (it
// is not an administrator's) and a 404 to the user's list or logout (the
// BaseURL is wrong).
func failureLevel(op operation, userToken bool, err error) slog.Level {
	switch {
	case errors.Is(err, ErrRetryBudgetExhausted), errors.Is(err, ErrOutcomeUnknown):
		return slog.LevelWarn
	case errors.Is(err, ErrUnauthorized):
		if userToken {
			return slog.LevelDebug
		}
		return slog.LevelWarn
	case errors.Is(err, ErrNotFound):
		if op.doneStatus == http.StatusNotFound || op.admin {
			return slog.LevelDebug
		}
		return slog.LevelWarn
	case errors.Is(err, ErrForbidden) && op.admin && !userToken:
		return slog.LevelWarn
	case errors.Is(err, ErrForbidden), errors.Is(err, context.Canceled):
		return slog.LevelDebug
	case errors.Is(err, ErrRateLimited):
		return slog.LevelInfo
	}
	return slog.LevelWarn
}
