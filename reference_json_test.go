package vault

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The reference decoders: how the SDK decoded its bodies with
// encoding/json before it read them with jsontext.
// FuzzDecodeMatchesEncodingJSON holds the SDK's decoders to the same
// results, but where they are stricter on purpose.

// referenceSessionList decodes the body of ListSessions with a
// json.Decoder, one session at a time.
func referenceSessionList(body []byte) ([]SessionResponse, SessionLimits, error) {
	return referenceList(body, referenceSessionArray)
}

// referenceList decodes a list of sessions in either form, its array
// read by readArray.
func referenceList[T any](body []byte, readArray func(*json.Decoder) ([]T, error)) ([]T, SessionLimits, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil {
		return nil, SessionLimits{}, err
	}
	var sessions []T
	var limits SessionLimits
	switch tok {
	case json.Delim('['):
		sessions, err = readArray(dec)
	case json.Delim('{'):
		sessions, limits, err = referenceSessionObject(dec, readArray)
	default:
		err = fmt.Errorf("got %v", tok)
	}
	if err == nil {
		err = referenceEnd(dec)
	}
	if err != nil {
		return nil, SessionLimits{}, err
	}
	return sessions, limits, nil
}

func referenceSessionObject[T any](dec *json.Decoder, readArray func(*json.Decoder) ([]T, error)) ([]T, SessionLimits, error) {
	var sessions []T
	var limits SessionLimits
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, SessionLimits{}, err
		}
		switch name, _ := tok.(string); name {
		case memberSessions:
			if sessions != nil {
				return nil, SessionLimits{}, errors.New(`"sessions" twice`)
			}
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, SessionLimits{}, fmt.Errorf("sessions: %v, %v", tok, err)
			}
			sessions, err = readArray(dec)
		case memberCurrentSessions:
			err = dec.Decode(&limits.Current)
		case memberMaxSessions:
			err = dec.Decode(&limits.Max)
		case memberWarning:
			var warning *string
			if err = dec.Decode(&warning); warning != nil {
				limits.Warning = *warning
			}
		default:
			err = dec.Decode(new(json.RawMessage))
		}
		if err != nil {
			return nil, SessionLimits{}, err
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, SessionLimits{}, err
	}
	if sessions == nil {
		return nil, SessionLimits{}, errors.New("no sessions")
	}
	return sessions, limits, nil
}

func referenceSessionArray(dec *json.Decoder) ([]SessionResponse, error) {
	sessions := []SessionResponse{}
	for dec.More() {
		var s SessionResponse
		wire := referenceSessionWire{SessionResponse: &s}
		if err := dec.Decode(&wire); err != nil {
			return nil, err
		}
		s.DeviceInfo = wire.DeviceInfo.info
		if s.ID == "" {
			return nil, errors.New("no id")
		}
		sessions = append(sessions, s)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return sessions, nil
}

func referenceAdminSessionArray(dec *json.Decoder) ([]AdminSessionResponse, error) {
	sessions := []AdminSessionResponse{}
	for dec.More() {
		s, err := referenceAdminSessionFrom(dec)
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, s)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	return sessions, nil
}

// referenceAdminSessionFrom decodes the next admin session of dec, which
// must have an id.
func referenceAdminSessionFrom(dec *json.Decoder) (AdminSessionResponse, error) {
	var s AdminSessionResponse
	wire := referenceAdminSessionWire{AdminSessionResponse: &s}
	if err := dec.Decode(&wire); err != nil {
		return AdminSessionResponse{}, err
	}
	s.DeviceInfo = wire.DeviceInfo.info
	if s.ID == "" {
		return AdminSessionResponse{}, errors.New("no id")
	}
	return s, nil
}

// referenceAdminSession decodes the body of GetUserSession: one object.
func referenceAdminSession(body []byte) (*AdminSessionResponse, error) {
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		return nil, errors.New("not an object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	s, err := referenceAdminSessionFrom(dec)
	if err != nil {
		return nil, err
	}
	if err := referenceEnd(dec); err != nil {
		return nil, err
	}
	return &s, nil
}

// referenceAdminSessionWire is referenceSessionWire for an admin session.
type referenceAdminSessionWire struct {
	*AdminSessionResponse
	DeviceInfo referenceDeviceInfoWire `json:"deviceInfo"`
}

// referenceSessionWire decodes a session, but for its deviceInfo, which
// its DeviceInfo field, less deeply nested, takes from the embedded one.
type referenceSessionWire struct {
	*SessionResponse
	DeviceInfo referenceDeviceInfoWire `json:"deviceInfo"`
}

type referenceDeviceInfoWire struct{ info *DeviceInfoResponse }

func (w *referenceDeviceInfoWire) UnmarshalJSON(data []byte) error {
	w.info = nil
	if data[0] != '{' {
		return nil
	}
	d, err := referenceDeviceInfo(data)
	w.info = d
	return err
}

// referenceDeviceInfo decodes a deviceInfo object through a map; null
// is nil.
func referenceDeviceInfo(data []byte) (*DeviceInfoResponse, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if v == nil { // null leaves what it decodes into as it is
		return nil, nil
	}
	members, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not an object")
	}
	d := new(DeviceInfoResponse)
	if v, ok := referenceTyped[string](members, memberDeviceType); ok {
		d.DeviceType = DeviceType(v)
	}
	d.OS, _ = referenceTyped[string](members, memberOS)
	d.Browser, _ = referenceTyped[string](members, memberBrowser)
	d.IsMobile, _ = referenceTyped[bool](members, memberIsMobile)
	if len(members) > 0 {
		d.Extra = members
	}
	return d, nil
}

// referenceTyped takes name out of members when its value is a T or
// null, and returns the value.
func referenceTyped[T any](members map[string]any, name string) (T, bool) {
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

// referenceMessage decodes a MessageResponse, which must have its
// message.
func referenceMessage(body []byte) (*MessageResponse, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var wire struct {
		Message *string `json:"message"`
	}
	if err := dec.Decode(&wire); err != nil {
		return nil, err
	}
	if wire.Message == nil {
		return nil, errors.New("no message")
	}
	if err := referenceEnd(dec); err != nil {
		return nil, err
	}
	return &MessageResponse{Message: *wire.Message}, nil
}

// referenceErrorEnvelope decodes {"error":{...}} with json.Unmarshal.
func referenceErrorEnvelope(body []byte) (*ErrorResponseError, error) {
	var env struct {
		Error *ErrorResponseError `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	return env.Error, nil
}

func referenceEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("after the value: %v", err)
	}
	return nil
}
