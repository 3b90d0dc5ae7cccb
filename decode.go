package vault

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The body of ListSessions comes in two forms, and decodeSessionList reads
// both:
//
//   - the spec's: a JSON array of sessions;
//   - the Vault server's: an object holding that array with the session
//     limits, {"sessions":[...],"currentSessions":4,"maxSessions":5,
//     "warning":"near_limit"}.
//
// Either way the sessions are decoded one element at a time, so that a
// long list is never held twice in memory (json.Decoder.Decode would
// buffer the whole array before decoding it). Any other JSON, such as an
// object without a "sessions" array or with "sessions": null, is an
// error, never an empty list, and so is a second "sessions" member. The
// member names of the object form are matched exactly; when a limit
// appears twice, the last one counts, as with encoding/json.

// Member names of the Vault server's object form of the list.
const (
	memberSessions        = "sessions"
	memberCurrentSessions = "currentSessions"
	memberMaxSessions     = "maxSessions"
	memberWarning         = "warning"
)

// decodeSessionList decodes the body of ListSessions. The limits are zero
// after the array form.
func decodeSessionList(r io.Reader) ([]SessionResponse, SessionLimits, error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, SessionLimits{}, err
	}
	var sessions []SessionResponse
	var limits SessionLimits
	switch tok {
	case json.Delim('['):
		sessions, err = decodeSessionArray(dec)
	case json.Delim('{'):
		sessions, limits, err = decodeSessionObject(dec)
	default:
		err = fmt.Errorf(`expected a JSON array of sessions or an object with a "sessions" array, got %s`, describeToken(tok))
	}
	if err != nil {
		return nil, SessionLimits{}, err
	}
	if err := expectEnd(dec); err != nil {
		return nil, SessionLimits{}, err
	}
	return sessions, limits, nil
}

// decodeSessionObject decodes the members of the object form, its '{'
// already read, up to and including its '}'.
func decodeSessionObject(dec *json.Decoder) ([]SessionResponse, SessionLimits, error) {
	var sessions []SessionResponse // nil until the member is read
	var limits SessionLimits
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, SessionLimits{}, err
		}
		name, _ := tok.(string) // inside an object, Token returns names as strings
		switch name {
		case memberSessions:
			if sessions != nil {
				// Which of two lists is meant? Refuse to guess.
				return nil, SessionLimits{}, errors.New(`member "sessions" appears twice`)
			}
			tok, err := dec.Token()
			if err != nil {
				return nil, SessionLimits{}, err
			}
			if tok != json.Delim('[') {
				return nil, SessionLimits{}, fmt.Errorf(`expected "sessions" to be a JSON array, got %s`, describeToken(tok))
			}
			if sessions, err = decodeSessionArray(dec); err != nil {
				return nil, SessionLimits{}, err
			}
		case memberCurrentSessions:
			err = decodeMember(dec, name, &limits.Current)
		case memberMaxSessions:
			err = decodeMember(dec, name, &limits.Max)
		case memberWarning:
			var warning *string // null is no warning
			err = decodeMember(dec, name, &warning)
			if warning != nil {
				limits.Warning = *warning
			}
		default:
			// A member a newer server added: read past it.
			err = decodeMember(dec, name, new(json.RawMessage))
		}
		if err != nil {
			return nil, SessionLimits{}, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, SessionLimits{}, err
	}
	if sessions == nil {
		return nil, SessionLimits{}, errors.New(`expected an object with a "sessions" array, found none`)
	}
	return sessions, limits, nil
}

// decodeMember decodes the value of one member of the object form into v.
func decodeMember(dec *json.Decoder, name string, v any) error {
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("member %q: %w", name, err)
	}
	return nil
}

// decodeSessionArray decodes the elements of an array of sessions, its
// '[' already read, up to and including its ']'. The result is never nil.
func decodeSessionArray(dec *json.Decoder) ([]SessionResponse, error) {
	sessions := make([]SessionResponse, 0, 8)
	var wire sessionWire // one for the list: Decode makes it escape
	for dec.More() {
		sessions = append(sessions, SessionResponse{})
		s := &sessions[len(sessions)-1]
		wire = sessionWire{SessionResponse: s}
		if err := dec.Decode(&wire); err != nil {
			return nil, fmt.Errorf("session %d: %w", len(sessions)-1, err)
		}
		s.DeviceInfo = wire.DeviceInfo.info
		if s.ID == "" {
			return nil, fmt.Errorf("session %d has no id", len(sessions)-1)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, err
	}
	return sessions, nil
}

// sessionWire decodes one session of the list into SessionResponse, but
// for its deviceInfo, which goes through deviceInfoWire: its DeviceInfo
// field, being less deeply nested, takes the member from the embedded one.
type sessionWire struct {
	*SessionResponse
	DeviceInfo deviceInfoWire `json:"deviceInfo"`
}

// deviceInfoWire decodes a session's deviceInfo, which the Vault server
// fills with free-form JSON. A value that is not an object leaves the
// session without a device description, as null does, instead of failing
// the whole list.
type deviceInfoWire struct {
	info *DeviceInfoResponse
}

func (w *deviceInfoWire) UnmarshalJSON(data []byte) error {
	if len(data) == 0 || data[0] != '{' {
		w.info = nil
		return nil
	}
	w.info = new(DeviceInfoResponse)
	return w.info.UnmarshalJSON(data)
}

// Member names of DeviceInfoResponse's typed fields.
const (
	memberDeviceType = "deviceType"
	memberOS         = "os"
	memberBrowser    = "browser"
	memberIsMobile   = "isMobile"
)

// UnmarshalJSON decodes a deviceInfo object. The members deviceType, os,
// browser and isMobile, matched exactly, fill the typed fields when their
// value is of the field's JSON type (a string, or a boolean for isMobile);
// null leaves a field zero. Every other member, and a typed one holding
// another type of value, goes to Extra as encoding/json decodes into any.
// Extra is nil when nothing goes to it. A value that is not an object is
// an error; ListSessions does not fail on one but sets the session's
// DeviceInfo to nil.
func (d *DeviceInfoResponse) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	if v == nil { // null, which leaves d as it is, as for any struct
		return nil
	}
	members, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("deviceInfo: expected a JSON object, got %s", describeValue(v))
	}
	*d = DeviceInfoResponse{}
	if v, ok := typedMember[string](members, memberDeviceType); ok {
		d.DeviceType = DeviceType(v)
	}
	d.OS, _ = typedMember[string](members, memberOS)
	d.Browser, _ = typedMember[string](members, memberBrowser)
	d.IsMobile, _ = typedMember[bool](members, memberIsMobile)
	if len(members) > 0 {
		d.Extra = members
	}
	return nil
}

// typedMember takes the member name out of members when its value is a T
// or null, and returns the value.
func typedMember[T any](members map[string]any, name string) (T, bool) {
	var zero T
	raw, present := members[name]
	if !present {
		return zero, false
	}
	if raw == nil {
		delete(members, name)
		return zero, false
	}
	v, ok := raw.(T)
	if ok {
		delete(members, name)
	}
	return v, ok
}

// MarshalJSON encodes the typed fields under their member names and the
// members of Extra beside them. A member of Extra named like a typed
// field stands in for that field when the field is zero, as it does after
// UnmarshalJSON kept a value of another type there; otherwise the typed
// field wins. What MarshalJSON writes, UnmarshalJSON reads back unchanged.
func (d DeviceInfoResponse) MarshalJSON() ([]byte, error) {
	type typed struct {
		DeviceType DeviceType `json:"deviceType"`
		OS         string     `json:"os"`
		Browser    string     `json:"browser"`
		IsMobile   bool       `json:"isMobile"`
	}
	if len(d.Extra) == 0 {
		return json.Marshal(typed{d.DeviceType, d.OS, d.Browser, d.IsMobile})
	}
	members := make(map[string]any, len(d.Extra)+4)
	for name, v := range d.Extra {
		members[name] = v
	}
	setTyped(members, memberDeviceType, d.DeviceType)
	setTyped(members, memberOS, d.OS)
	setTyped(members, memberBrowser, d.Browser)
	setTyped(members, memberIsMobile, d.IsMobile)
	return json.Marshal(members)
}

// setTyped sets the member name to the value of a typed field, unless the
// field is zero and members already has the name.
func setTyped[T comparable](members map[string]any, name string, v T) {
	var zero T
	if _, taken := members[name]; taken && v == zero {
		return
	}
	members[name] = v
}

// sessionList is the decoder of ListSessions. limitsDst, when not nil, is
// where WithSessionLimits wants the limits.
type sessionList struct {
	sessions  []SessionResponse
	limits    SessionLimits
	limitsDst *SessionLimits
}

func (l *sessionList) decode(r io.Reader) (err error) {
	l.sessions, l.limits, err = decodeSessionList(r)
	return err
}

// messageBody is the decoder of the operations answering a
// MessageResponse.
type messageBody MessageResponse

func (m *messageBody) decode(r io.Reader) error {
	return decodeMessageInto(r, (*MessageResponse)(m))
}

// decodeMessage decodes a MessageResponse, which must have its message.
func decodeMessage(r io.Reader) (*MessageResponse, error) {
	msg := new(MessageResponse)
	if err := decodeMessageInto(r, msg); err != nil {
		return nil, err
	}
	return msg, nil
}

func decodeMessageInto(r io.Reader, msg *MessageResponse) error {
	dec := json.NewDecoder(r)
	var wire struct {
		Message *string `json:"message"`
	}
	if err := dec.Decode(&wire); err != nil {
		return err
	}
	if wire.Message == nil {
		return errors.New(`expected a JSON object with a "message" string`)
	}
	if err := expectEnd(dec); err != nil {
		return err
	}
	msg.Message = *wire.Message
	return nil
}

// expectEnd fails if anything but white space follows the JSON value.
func expectEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return errors.New("unexpected data after the JSON value")
		}
		return err
	}
	return nil
}

func describeToken(tok json.Token) string {
	if d, ok := tok.(json.Delim); ok {
		return "'" + d.String() + "'"
	}
	return describeValue(tok)
}

// describeValue names the JSON type of a value decoded into any, or of a
// token other than a delimiter.
func describeValue(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}
