package vault

import "fmt"

// The bodies of the admin Sessions API: a list of AdminSessionResponse in
// either form decodeList reads, and one AdminSessionResponse. A session
// is read by the rules of readSession (decode.go), its deviceInfo as the
// user's list reads it.

// Fields of AdminSessionResponse, in the order of adminSessionMembers.
const (
	adminFieldID = iota
	adminFieldUserID
	adminFieldIPAddress
	adminFieldUserAgent
	adminFieldDeviceFingerprint
	adminFieldDeviceInfo
	adminFieldMFAVerified
	adminFieldCreatedAt
	adminFieldLastActivityAt
	adminFieldExpiresAt
	adminFieldStatus
)

// adminSessionMembers are the member names of an admin session, for
// matching without regard to case.
var adminSessionMembers = []string{"id", "userId", "ipAddress", "userAgent", "deviceFingerprint", "deviceInfo",
	"mfaVerified", "createdAt", "lastActivityAt", "expiresAt", "status"}

// adminSessionField returns the field of AdminSessionResponse the member
// name fills, or -1.
func adminSessionField(name []byte) int {
	switch string(name) {
	case "id":
		return adminFieldID
	case "userId":
		return adminFieldUserID
	case "ipAddress":
		return adminFieldIPAddress
	case "userAgent":
		return adminFieldUserAgent
	case "deviceFingerprint":
		return adminFieldDeviceFingerprint
	case "deviceInfo":
		return adminFieldDeviceInfo
	case "mfaVerified":
		return adminFieldMFAVerified
	case "createdAt":
		return adminFieldCreatedAt
	case "lastActivityAt":
		return adminFieldLastActivityAt
	case "expiresAt":
		return adminFieldExpiresAt
	case "status":
		return adminFieldStatus
	}
	return matchFold(name, adminSessionMembers)
}

// readAdminSession reads one admin session into s, which is zero. A null
// leaves it zero, so that it fails for want of an id. A userId equal to
// userID, the user the call asked for, shares that string instead of
// allocating its own.
func (r *jsonReader) readAdminSession(s *AdminSessionResponse, userID string) error {
	if open, err := r.openObject(); !open {
		return err
	}
	for r.more() {
		name, err := r.name()
		if err != nil {
			return err
		}
		field := adminSessionField(name)
		switch field {
		case adminFieldID:
			err = r.readString(&s.ID)
		case adminFieldUserID:
			err = r.readKnownString(&s.UserID, userID)
		case adminFieldIPAddress:
			err = r.readOptionalString(&s.IPAddress)
		case adminFieldUserAgent:
			err = r.readOptionalString(&s.UserAgent)
		case adminFieldDeviceFingerprint:
			err = r.readOptionalString(&s.DeviceFingerprint)
		case adminFieldDeviceInfo:
			s.DeviceInfo, err = r.readSessionDeviceInfo()
		case adminFieldMFAVerified:
			err = r.readBool(&s.MFAVerified)
		case adminFieldCreatedAt:
			err = r.readTime(&s.CreatedAt)
		case adminFieldLastActivityAt:
			err = r.readTime(&s.LastActivityAt)
		case adminFieldExpiresAt:
			err = r.readTime(&s.ExpiresAt)
		case adminFieldStatus:
			err = r.readSessionStatus(&s.Status)
		default:
			// A member a newer server added: read past it.
			if err := r.skip(); err != nil {
				return err
			}
		}
		if err != nil {
			return fmt.Errorf("member %q: %w", adminSessionMembers[field], err)
		}
	}
	return r.delim()
}

// readKnownString reads a string into dst, as readString does, and sets
// dst to known instead of a copy when they are equal.
func (r *jsonReader) readKnownString(dst *string, known string) error {
	v, err := r.value()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case '"':
		if s := r.unquote(v); string(s) == known {
			*dst = known
		} else {
			*dst = string(s)
		}
	case 'n':
	default:
		return typeError("a string", v.Kind())
	}
	return nil
}

// readSessionStatus reads a status string into dst, without allocating
// one for the documented statuses; null leaves dst as it is.
func (r *jsonReader) readSessionStatus(dst *SessionStatus) error {
	v, err := r.value()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case '"':
	case 'n':
		return nil
	default:
		return typeError("a string", v.Kind())
	}
	switch s := r.unquote(v); string(s) {
	case string(SessionStatusActive):
		*dst = SessionStatusActive
	case string(SessionStatusExpired):
		*dst = SessionStatusExpired
	case string(SessionStatusRevoked):
		*dst = SessionStatusRevoked
	case string(SessionStatusRotated):
		*dst = SessionStatusRotated
	default:
		*dst = SessionStatus(s)
	}
	return nil
}

// newAdminSessionList returns the decoder of ListUserSessions' list of
// userID's sessions.
func newAdminSessionList(userID string) *listBody[AdminSessionResponse] {
	return &listBody[AdminSessionResponse]{
		readItem: func(r *jsonReader, s *AdminSessionResponse) (string, error) {
			err := r.readAdminSession(s, userID)
			return s.ID, err
		},
	}
}

// adminSessionBody is the decoder of GetUserSession: one session, which
// must have an id. userID is the user the call asked for.
type adminSessionBody struct {
	session AdminSessionResponse
	userID  string
}

func (b *adminSessionBody) decode(r *jsonReader) error {
	switch k := r.kind(); k {
	case '{', 'n':
	case 0:
		return r.delim()
	default:
		if err := r.skip(); err != nil {
			return err
		}
		return typeError("a JSON object", k)
	}
	if err := r.readAdminSession(&b.session, b.userID); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	if b.session.ID == "" {
		return fmt.Errorf("expected a session with an id, got none")
	}
	return nil
}
