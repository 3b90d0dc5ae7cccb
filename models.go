package vault

import "time"

// DeviceType is the kind of device a session was created on. The API
// documents desktop, mobile and tablet; any other value a newer server
// sends still decodes, so compare against the constants rather than
// assuming the set is closed.
type DeviceType string

// Device types documented by the API.
const (
	DeviceTypeDesktop DeviceType = "desktop"
	DeviceTypeMobile  DeviceType = "mobile"
	DeviceTypeTablet  DeviceType = "tablet"
)

// DeviceInfoResponse describes the device behind a session. The spec
// gives it four members, the typed fields, which the server derives from
// the client's user agent. The Vault server's code sends free-form JSON
// with snake_case members instead, such as {"oauth_provider":"google"} or
// {"is_impersonation":true,"impersonator_id":"..."}: those land in Extra.
type DeviceInfoResponse struct {
	// DeviceType is desktop, mobile or tablet.
	DeviceType DeviceType `json:"deviceType"`
	// OS is the operating system, such as "macOS".
	OS string `json:"os"`
	// Browser is the browser or client, such as "Chrome".
	Browser string `json:"browser"`
	// IsMobile reports whether the device is a mobile one.
	IsMobile bool `json:"isMobile"`
	// Extra holds every other member of the deviceInfo object, as
	// encoding/json decodes into any: strings, float64 numbers, bools,
	// nil, []any and map[string]any. A typed member whose value is not of
	// its field's JSON type is kept here too. Extra is nil when there is
	// no such member, as with every deviceInfo that follows the spec.
	Extra map[string]any `json:"-"`
}

// SessionResponse is one active session of the authenticated user.
//
// The nullable fields of the API are pointers: both a JSON null and an
// absent field decode to nil.
type SessionResponse struct {
	// ID identifies the session; pass it to SessionsService.RevokeSession.
	ID string `json:"id"`
	// IPAddress is the client address the session was created from, if known.
	IPAddress *string `json:"ipAddress"`
	// UserAgent is the raw User-Agent of the session's client, if known.
	UserAgent *string `json:"userAgent"`
	// DeviceInfo is the device description, if the server has one. It is
	// nil when deviceInfo is null or absent, and when ListSessions got a
	// deviceInfo that is not a JSON object (neither the spec nor the Vault
	// server sends one): such a value is dropped rather than failing the
	// list.
	DeviceInfo *DeviceInfoResponse `json:"deviceInfo"`
	// MFAVerified reports whether the session passed multi-factor authentication.
	MFAVerified bool `json:"mfaVerified"`
	// CreatedAt is when the session was created.
	CreatedAt time.Time `json:"createdAt"`
	// LastActivityAt is when the session was last used.
	LastActivityAt time.Time `json:"lastActivityAt"`
	// ExpiresAt is when the session stops being valid.
	ExpiresAt time.Time `json:"expiresAt"`
	// Current reports whether this is the session of the token that made
	// the request.
	Current bool `json:"current"`
}

// SessionLimits is what the Vault server reports with a session list
// about the user's concurrent sessions: how many there are, how many are
// allowed, and whether the user is close to the limit. The spec's list
// has no limits; see WithSessionLimits.
type SessionLimits struct {
	// Current is the number of active sessions the server counts.
	Current int
	// Max is the number of concurrent sessions allowed.
	Max int
	// Warning is WarningNearLimit, WarningLimitReached, or empty when the
	// server sends no warning. Another value a newer server sends is kept
	// as it is.
	Warning string
}

// Warnings of SessionLimits.
const (
	// WarningNearLimit: the user has at least max*4/5 of the sessions
	// allowed, in integer division (the server's rule: 1 of 2 already).
	WarningNearLimit = "near_limit"
	// WarningLimitReached: the user has as many sessions as allowed, or
	// more.
	WarningLimitReached = "limit_reached"
)

// MessageResponse is the confirmation the API returns for operations that
// have no other result, such as revoking a session.
type MessageResponse struct {
	// Message is a human-readable confirmation.
	Message string `json:"message"`
}

// ErrorResponse is the JSON envelope of every error the API returns. The
// SDK turns it into an *APIError; the type is exported for servers and
// fakes that need to produce the same shape.
type ErrorResponse struct {
	// Error holds the machine-readable code and the message.
	Error ErrorResponseError `json:"error"`
}

// ErrorResponseError is the body of an ErrorResponse.
type ErrorResponseError struct {
	// Code is a stable machine-readable code such as "NOT_FOUND".
	Code string `json:"code"`
	// Message is a human-readable description.
	Message string `json:"message"`
	// Details carries optional structured context, such as field errors.
	Details map[string]any `json:"details,omitempty"`
}
