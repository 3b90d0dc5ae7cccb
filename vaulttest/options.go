package vaulttest

import (
	"log/slog"
	"time"
)

// Default rate limit advertised by a Handler, as documented for the
// general API: 100 requests per minute.
const (
	DefaultRateLimit       = 100
	DefaultRateLimitWindow = time.Minute
)

// An Option configures a Handler or a Server.
type Option func(*config)

type config struct {
	clock       func() time.Time
	logger      *slog.Logger
	rateLimit   RateLimit
	dialect     Dialect
	maxSessions int
	seeds       []func(*Handler)
	control     *ControlOptions
	requestLog  int
	// requestLogBytes bounds the request log in bytes; zero for none.
	requestLogBytes int
	showTokens      bool
	// signedTokens is WithSignedTokens.
	signedTokens bool
	// accessTokenLifetime is WithAccessTokenLifetime's, or zero.
	accessTokenLifetime time.Duration
	// latency is WithLatency's, or zero.
	latency time.Duration

	webhooks       []Webhook
	webhookOptions WebhookOptions
}

func defaultConfig() config {
	return config{
		clock:       time.Now,
		maxSessions: DefaultMaxSessions,
		rateLimit: RateLimit{
			Limit:  DefaultRateLimit,
			Window: DefaultRateLimitWindow,
		},
	}
}

// RateLimit describes the rate limit a Handler applies per bearer token,
// or per client address for requests without one. Requests are counted in
// fixed windows of the server's clock that start with a key's first
// request.
type RateLimit struct {
	// Limit is the number of requests allowed per window. Zero or less
	// means DefaultRateLimit.
	Limit int
	// Window is the length of a window. Zero or less means
	// DefaultRateLimitWindow.
	Window time.Duration
	// Enforce makes the handler answer requests over the limit with 429
	// RATE_LIMITED and a Retry-After header. Without it the rate-limit
	// headers are only advertised.
	Enforce bool
}

// WithRateLimit sets the rate limit. Without this option the handler
// advertises DefaultRateLimit per DefaultRateLimitWindow and does not
// enforce it. In DialectServer no rate-limit header is sent; an enforced
// limit still answers 429 with Retry-After.
func WithRateLimit(rl RateLimit) Option {
	return func(c *config) {
		if rl.Limit <= 0 {
			rl.Limit = DefaultRateLimit
		}
		if rl.Window <= 0 {
			rl.Window = DefaultRateLimitWindow
		}
		c.rateLimit = rl
	}
}

// WithClock sets the function the handler reads the current time from.
// The default is time.Now. A clock that runs (see Handler.Freeze) reads
// it, moved on by Advance; a frozen one does not.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.clock = now
		}
	}
}

// WithLogger makes the handler log every request it answers, at level
// Info, to l. Bearer tokens are never logged. Without this option the
// handler logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithLatency delays every answer of the API by d, the way a fault's
// Latency does, outside the fault queue: it leaves every queued fault to
// match the requests it selects, and a fault's own Latency adds to it.
// The wait ends early when the request's context ends, when the handler
// is reset or closed. Control API requests are not delayed. Zero or
// less means no delay.
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = max(d, 0) }
}
