package vault

import "time"

// SessionStatus is the state of a session as the admin API reports it.
// The API documents active, expired, revoked and rotated; any other
// value a newer server sends is kept as sent, so compare against the
// constants rather than assuming the set is closed.
type SessionStatus string

// Session statuses documented by the admin API.
const (
	// SessionStatusActive: the session is in use; its token works.
	SessionStatusActive SessionStatus = "active"
	// SessionStatusExpired: the session outlived its expiry.
	SessionStatusExpired SessionStatus = "expired"
	// SessionStatusRevoked: the session was signed out, by its user or
	// an administrator.
	SessionStatusRevoked SessionStatus = "revoked"
	// SessionStatusRotated: the session's refresh token was exchanged
	// for a new session's.
	SessionStatusRotated SessionStatus = "rotated"
)

// AdminSessionResponse is one session of a user as a tenant
// administrator sees it through AdminSessionsService: any session of the
// user, revoked and expired ones included, with its Status.
//
// The nullable fields of the API are pointers: both a JSON null and an
// absent field decode to nil. The spec describes the device with
// DeviceFingerprint; the Vault server's code sends a free-form
// deviceInfo instead, read into DeviceInfo as ListSessions reads it
// (members other than the spec's four land in DeviceInfo.Extra). Either
// may be nil.
type AdminSessionResponse struct {
	// ID identifies the session; pass it to GetUserSession or
	// RevokeUserSession.
	ID string `json:"id"`
	// UserID is the user the session belongs to.
	UserID string `json:"userId"`
	// IPAddress is the client address the session was created from, if known.
	IPAddress *string `json:"ipAddress"`
	// UserAgent is the raw User-Agent of the session's client, if known.
	UserAgent *string `json:"userAgent"`
	// DeviceFingerprint identifies the device, if the spec's server
	// knows it.
	DeviceFingerprint *string `json:"deviceFingerprint"`
	// DeviceInfo is the device description the Vault server sends, if
	// any. It is nil when deviceInfo is null, absent, or not a JSON
	// object: such a value is dropped rather than failing the call.
	DeviceInfo *DeviceInfoResponse `json:"deviceInfo"`
	// MFAVerified reports whether the session passed multi-factor authentication.
	MFAVerified bool `json:"mfaVerified"`
	// CreatedAt is when the session was created.
	CreatedAt time.Time `json:"createdAt"`
	// LastActivityAt is when the session was last used.
	LastActivityAt time.Time `json:"lastActivityAt"`
	// ExpiresAt is when the session stops, or stopped, being valid.
	ExpiresAt time.Time `json:"expiresAt"`
	// Status is the session's state: active, expired, revoked or
	// rotated, or another value a newer server sends. It is empty when
	// the server sends none.
	Status SessionStatus `json:"status"`
}
