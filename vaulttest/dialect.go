package vaulttest

import (
	"fmt"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// Dialect is the way a Handler answers: as the published spec of the
// Sessions API says, or as the Vault server's code does. The two differ;
// a test suite can run against both to cover either kind of server.
type Dialect int

const (
	// DialectSpec answers as the spec says, and is the default: the list
	// is a JSON array, deviceInfo has deviceType, os, browser and
	// isMobile, logout-all revokes every session of the caller, the
	// current one included, and revoking another user's session is 404.
	// Every response carries X-Request-Id and the X-RateLimit-* headers,
	// and every error a JSON body. A user with a TenantID must be called
	// with it in X-Tenant-ID.
	DialectSpec Dialect = iota
	// DialectServer answers as the Vault server's code does:
	//
	//   - the list is an object, {"sessions":[...],"currentSessions":4,
	//     "maxSessions":5,"warning":"near_limit"}, newest session first
	//     (the spec's list is oldest first), with the limit set by
	//     WithMaxSessions and a warning of "limit_reached" from the limit
	//     on, "near_limit" from max*4/5 in integer division, and null below;
	//   - deviceInfo is free-form: the members of the seed's
	//     DeviceInfo.Extra alone, or {} when the seed has no DeviceInfo
	//     (the typed fields, which that server does not have, are not
	//     sent), and SeedDemo seeds snake_case members such as
	//     "oauth_provider";
	//   - timestamps are in UTC with 0, 3 or 6 fractional digits;
	//   - logout-all keeps the caller's current session, revokes the
	//     others and answers "Revoked N sessions"; a token without a
	//     session (AddSessionlessToken) gets 400 BAD_REQUEST
	//     "No active session";
	//   - revoking a session of another user of the same tenant is 403
	//     FORBIDDEN; one of another tenant, or an unknown one, 404;
	//   - 401 and 405 have an empty body;
	//   - no X-Request-Id nor X-RateLimit-* header is sent, and the tenant
	//     comes from the token: X-Tenant-ID is ignored;
	//   - the admin routes describe a session's device with its free-form
	//     deviceInfo instead of the spec's deviceFingerprint, list the
	//     newest session first, and answer 403 "Access denied" and 404
	//     "Resource not found".
	DialectServer
)

var dialectNames = [...]string{"spec", "server"}

// String returns "spec" or "server".
func (d Dialect) String() string {
	if d >= 0 && int(d) < len(dialectNames) {
		return dialectNames[d]
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// MarshalText returns the name of d, as String does.
func (d Dialect) MarshalText() ([]byte, error) {
	if d < 0 || int(d) >= len(dialectNames) {
		return nil, fmt.Errorf("vaulttest: unknown dialect %d", int(d))
	}
	return []byte(d.String()), nil
}

// UnmarshalText sets d from its name, "spec" or "server", so that a
// Dialect can be a flag.TextVar.
func (d *Dialect) UnmarshalText(text []byte) error {
	for i, name := range dialectNames {
		if string(text) == name {
			*d = Dialect(i)
			return nil
		}
	}
	return fmt.Errorf("unknown dialect %q: use spec or server", text)
}

// DefaultMaxSessions is the limit of concurrent sessions DialectServer
// reports without WithMaxSessions.
const DefaultMaxSessions = 5

// WithDialect makes the handler answer in dialect d. Without this option
// it answers in DialectSpec.
func WithDialect(d Dialect) Option {
	return func(c *config) { c.dialect = d }
}

// WithMaxSessions sets the limit of concurrent sessions per user that
// DialectServer reports in the list; n less than 1 means
// DefaultMaxSessions. The handler does not enforce the limit: seeding
// more sessions is allowed, and shows the "limit_reached" warning.
func WithMaxSessions(n int) Option {
	return func(c *config) {
		if n < 1 {
			n = DefaultMaxSessions
		}
		c.maxSessions = n
	}
}

// Messages of DialectServer's answers where they differ from
// DialectSpec's.
const (
	serverMessageForbidden = "Access denied"
	serverMessageNotFound  = "Resource not found"
	serverMessageNoRoute   = "The requested resource was not found"
)

// serverList is the list of DialectServer.
type serverList struct {
	Sessions        []serverSession `json:"sessions"`
	CurrentSessions int             `json:"currentSessions"`
	MaxSessions     int             `json:"maxSessions"`
	Warning         *string         `json:"warning"`
}

// serverSession is a session of DialectServer's list, its members in the
// server's order.
type serverSession struct {
	ID             string         `json:"id"`
	CreatedAt      string         `json:"createdAt"`
	LastActivityAt string         `json:"lastActivityAt"`
	ExpiresAt      string         `json:"expiresAt"`
	IPAddress      *string        `json:"ipAddress"`
	UserAgent      *string        `json:"userAgent"`
	DeviceInfo     map[string]any `json:"deviceInfo"`
	MFAVerified    bool           `json:"mfaVerified"`
	Current        bool           `json:"current"`
}

// serverResponse renders s as DialectServer lists it, with lastActivity
// as its last activity.
func (s *Session) serverResponse(current bool, lastActivity time.Time) serverSession {
	c := s.clone()
	r := serverSession{
		ID:             c.ID,
		CreatedAt:      serverTime(c.CreatedAt),
		LastActivityAt: serverTime(lastActivity),
		ExpiresAt:      serverTime(c.ExpiresAt),
		DeviceInfo:     map[string]any{},
		MFAVerified:    c.MFAVerified,
		Current:        current,
	}
	if c.IPAddress != "" {
		r.IPAddress = &c.IPAddress
	}
	if c.UserAgent != "" {
		r.UserAgent = &c.UserAgent
	}
	if c.DeviceInfo != nil && c.DeviceInfo.Extra != nil {
		r.DeviceInfo = c.DeviceInfo.Extra
	}
	return r
}

// serverWarning is the warning DialectServer lists for current sessions
// out of max, with the server's thresholds: the limit, and four fifths of
// it in whole sessions.
func serverWarning(current, max int) *string {
	var w string
	switch {
	case current >= max:
		w = vault.WarningLimitReached
	case current >= max*4/5:
		w = vault.WarningNearLimit
	default:
		return nil
	}
	return &w
}

// serverTime formats t as the server does: RFC 3339 in UTC with a Z, and
// 0, 3 or 6 fractional digits, as few as hold its microseconds.
func serverTime(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	switch {
	case t.Nanosecond() == 0:
		return t.Format("2006-01-02T15:04:05Z")
	case t.Nanosecond()%int(time.Millisecond) == 0:
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000Z")
}
