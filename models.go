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

// DeviceInfoResponse describes the device behind a session, as the server
// derived it from the client's user agent.
type DeviceInfoResponse struct {
	// DeviceType is desktop, mobile or tablet.
	DeviceType DeviceType `json:"deviceType"`
	// OS is the operating system, such as "macOS".
	OS string `json:"os"`
	// Browser is the browser or client, such as "Chrome".
	Browser string `json:"browser"`
	// IsMobile reports whether the device is a mobile one.
	IsMobile bool `json:"isMobile"`
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
	// DeviceInfo is the parsed device description, if the server has one.
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
