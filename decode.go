package vault

import (
	"errors"
	"fmt"
)

// The body of ListSessions comes in two forms, and decodeSessionList reads
// both:
//
//   - the spec's: a JSON array of sessions;
//   - the Vault server's: an object holding that array with the session
//     limits, {"sessions":[...],"currentSessions":4,"maxSessions":5,
//     "warning":"near_limit"}.
//
// Either way the sessions are read as the body streams in, so that a long
// list is never held twice in memory: the reader's buffer holds a few
// kilobytes of the body at a time. Any other JSON, such as an object
// without a "sessions" array or with "sessions": null, is an error, never
// an empty list. The member names of the object form are matched
// exactly. jsonread.go says how values are read.

// Member names of the Vault server's object form of the list.
const (
	memberSessions        = "sessions"
	memberCurrentSessions = "currentSessions"
	memberMaxSessions     = "maxSessions"
	memberWarning         = "warning"
)

// decodeSessionList decodes the body of ListSessions. The limits are zero
// after the array form.
func decodeSessionList(r *jsonReader) ([]SessionResponse, SessionLimits, error) {
	return decodeList(r, readListedSession)
}

// readListedSession reads one session of ListSessions' list into s,
// which is zero, and returns its ID.
func readListedSession(r *jsonReader, s *SessionResponse) (string, error) {
	err := r.readSession(s)
	return s.ID, err
}

// decodeList decodes a list of sessions of type T in either form, each
// read by readItem, which returns the ID it read: a session without one
// is an error. The limits are zero after the array form.
func decodeList[T any](r *jsonReader, readItem func(*jsonReader, *T) (string, error)) ([]T, SessionLimits, error) {
	var sessions []T
	var limits SessionLimits
	var err error
	switch k := r.kind(); k {
	case '[':
		sessions, err = readSessionArray(r, readItem)
	case '{':
		sessions, limits, err = readSessionObject(r, readItem)
	case 0: // no value, or a malformed one
		err = r.delim()
	default:
		err = fmt.Errorf(`expected a JSON array of sessions or an object with a "sessions" array, got %s`, describeKind(k))
	}
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, SessionLimits{}, err
	}
	return sessions, limits, nil
}

// readSessionObject reads the object form of the list.
func readSessionObject[T any](r *jsonReader, readItem func(*jsonReader, *T) (string, error)) ([]T, SessionLimits, error) {
	if err := r.delim(); err != nil {
		return nil, SessionLimits{}, err
	}
	var sessions []T // nil until the member is read
	var limits SessionLimits
	for r.more() {
		name, err := r.name()
		if err != nil {
			return nil, SessionLimits{}, err
		}
		member := memberName(name)
		switch member {
		case memberSessions:
			// The reader refuses a second "sessions": which list is meant?
			switch k := r.kind(); k {
			case '[':
			case 0:
				return nil, SessionLimits{}, r.delim()
			default:
				return nil, SessionLimits{}, fmt.Errorf(`expected "sessions" to be a JSON array, got %s`, describeKind(k))
			}
			sessions, err = readSessionArray(r, readItem)
			if err != nil {
				return nil, SessionLimits{}, err
			}
		case memberCurrentSessions:
			err = r.readInt(&limits.Current)
		case memberMaxSessions:
			err = r.readInt(&limits.Max)
		case memberWarning:
			err = r.readString(&limits.Warning) // null is no warning
		default:
			// A member a newer server added: read past it.
			if err := r.skip(); err != nil {
				return nil, SessionLimits{}, err
			}
		}
		if err != nil {
			return nil, SessionLimits{}, fmt.Errorf("member %q: %w", member, err)
		}
	}
	if err := r.delim(); err != nil { // the closing '}'
		return nil, SessionLimits{}, err
	}
	if sessions == nil {
		return nil, SessionLimits{}, errors.New(`expected an object with a "sessions" array, found none`)
	}
	return sessions, limits, nil
}

// memberName returns the member of the object form that name is, or "".
func memberName(name []byte) string {
	switch string(name) {
	case memberSessions:
		return memberSessions
	case memberCurrentSessions:
		return memberCurrentSessions
	case memberMaxSessions:
		return memberMaxSessions
	case memberWarning:
		return memberWarning
	}
	return ""
}

// readSessionArray reads an array of sessions. The result is never nil.
func readSessionArray[T any](r *jsonReader, readItem func(*jsonReader, *T) (string, error)) ([]T, error) {
	if err := r.delim(); err != nil { // the '['
		return nil, err
	}
	sessions := make([]T, 0, 8)
	var zero T
	for r.more() {
		sessions = append(sessions, zero)
		id, err := readItem(r, &sessions[len(sessions)-1])
		if err != nil {
			return nil, fmt.Errorf("session %d: %w", len(sessions)-1, err)
		}
		if id == "" {
			return nil, fmt.Errorf("session %d has no id", len(sessions)-1)
		}
	}
	if err := r.delim(); err != nil { // the closing ']'
		return nil, err
	}
	return sessions, nil
}

// Fields of SessionResponse, in the order of sessionMembers.
const (
	fieldID = iota
	fieldIPAddress
	fieldUserAgent
	fieldDeviceInfo
	fieldMFAVerified
	fieldCreatedAt
	fieldLastActivityAt
	fieldExpiresAt
	fieldCurrent
)

// sessionMembers are the member names of a session, for matching without
// regard to case.
var sessionMembers = []string{"id", "ipAddress", "userAgent", "deviceInfo", "mfaVerified", "createdAt", "lastActivityAt", "expiresAt", "current"}

// sessionField returns the field of SessionResponse the member name
// fills, or -1.
func sessionField(name []byte) int {
	switch string(name) {
	case "id":
		return fieldID
	case "ipAddress":
		return fieldIPAddress
	case "userAgent":
		return fieldUserAgent
	case "deviceInfo":
		return fieldDeviceInfo
	case "mfaVerified":
		return fieldMFAVerified
	case "createdAt":
		return fieldCreatedAt
	case "lastActivityAt":
		return fieldLastActivityAt
	case "expiresAt":
		return fieldExpiresAt
	case "current":
		return fieldCurrent
	}
	return matchFold(name, sessionMembers)
}

// openObject reads the '{' that opens a session object. It reports false
// when there is no object to read members from: a null, which it reads
// (the session stays zero and fails for want of an id), or a value of
// another type, whose error it returns.
func (r *jsonReader) openObject() (bool, error) {
	switch k := r.kind(); k {
	case '{':
		if err := r.delim(); err != nil {
			return false, err
		}
		return true, nil
	case 'n':
		_, err := r.value()
		return false, err
	default:
		if err := r.skip(); err != nil {
			return false, err
		}
		return false, typeError("a JSON object", k)
	}
}

// readSession reads one session into s, which is zero. A null leaves it
// zero, so that it fails for want of an id.
func (r *jsonReader) readSession(s *SessionResponse) error {
	if open, err := r.openObject(); !open {
		return err
	}
	for r.more() {
		name, err := r.name()
		if err != nil {
			return err
		}
		field := sessionField(name)
		switch field {
		case fieldID:
			err = r.readString(&s.ID)
		case fieldIPAddress:
			err = r.readOptionalString(&s.IPAddress)
		case fieldUserAgent:
			err = r.readOptionalString(&s.UserAgent)
		case fieldDeviceInfo:
			s.DeviceInfo, err = r.readSessionDeviceInfo()
		case fieldMFAVerified:
			err = r.readBool(&s.MFAVerified)
		case fieldCreatedAt:
			err = r.readTime(&s.CreatedAt)
		case fieldLastActivityAt:
			err = r.readTime(&s.LastActivityAt)
		case fieldExpiresAt:
			err = r.readTime(&s.ExpiresAt)
		case fieldCurrent:
			err = r.readBool(&s.Current)
		default:
			// A member a newer server added: read past it. An error
			// here is jsontext's, which says where it is.
			if err := r.skip(); err != nil {
				return err
			}
		}
		if err != nil {
			return fmt.Errorf("member %q: %w", sessionMembers[field], err)
		}
	}
	return r.delim()
}

// decoder decodes a 2xx body into the result of an operation.
type decoder interface {
	decode(*jsonReader) error
}

// limitsReader is a decoder of a list that carries session limits, for
// WithSessionLimits.
type limitsReader interface {
	setLimitsDst(*SessionLimits)
}

// sessionList is the decoder of ListSessions.
type sessionList = listBody[SessionResponse]

// listBody is the decoder of a list of sessions of type T, in either
// form. limitsDst, when not nil, is where WithSessionLimits wants the
// limits.
type listBody[T any] struct {
	sessions  []T
	limits    SessionLimits
	limitsDst *SessionLimits
	readItem  func(*jsonReader, *T) (string, error)
}

func (l *listBody[T]) setLimitsDst(dst *SessionLimits) { l.limitsDst = dst }

func (l *listBody[T]) decode(r *jsonReader) (err error) {
	l.sessions, l.limits, err = decodeList(r, l.readItem)
	return err
}

// result returns the list and sets the limits WithSessionLimits asked
// for, to zero when the call failed.
func (l *listBody[T]) result(err error) ([]T, error) {
	if l.limitsDst != nil {
		if err != nil {
			l.limits = SessionLimits{}
		}
		*l.limitsDst = l.limits
	}
	if err != nil {
		return nil, err
	}
	return l.sessions, nil
}

// messageBody is the decoder of the operations answering a
// MessageResponse.
type messageBody MessageResponse

func (m *messageBody) decode(r *jsonReader) error {
	return decodeMessageInto(r, (*MessageResponse)(m))
}

// messageMembers is the member name of a MessageResponse, for matching
// without regard to case.
var messageMembers = []string{"message"}

// decodeMessageInto decodes a MessageResponse, which must have its
// message.
func decodeMessageInto(r *jsonReader, msg *MessageResponse) error {
	var message string
	found := false // a "message" string, not null
	switch k := r.kind(); k {
	case '{':
		if err := r.delim(); err != nil {
			return err
		}
		for r.more() {
			name, err := r.name()
			if err != nil {
				return err
			}
			if string(name) != "message" && matchFold(name, messageMembers) != 0 {
				if err := r.skip(); err != nil {
					return err
				}
				continue
			}
			if found, err = r.readNullableString(&message); err != nil {
				return fmt.Errorf(`member "message": %w`, err)
			}
		}
		if err := r.delim(); err != nil {
			return err
		}
	case 'n': // null, as for any struct, leaves the message out
		if _, err := r.value(); err != nil {
			return err
		}
	case 0:
		return r.delim()
	default:
		if err := r.skip(); err != nil {
			return err
		}
		return typeError(`a JSON object with a "message" string`, k)
	}
	if !found {
		return errors.New(`expected a JSON object with a "message" string`)
	}
	if err := r.end(); err != nil {
		return err
	}
	msg.Message = message
	return nil
}
