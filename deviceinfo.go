package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Member names of DeviceInfoResponse's typed fields.
const (
	memberDeviceType = "deviceType"
	memberOS         = "os"
	memberBrowser    = "browser"
	memberIsMobile   = "isMobile"
)

// readSessionDeviceInfo reads a session's deviceInfo, which the Vault
// server fills with free-form JSON. A value that is not an object leaves
// the session without a device description, as null does, instead of
// failing the whole list.
func (r *jsonReader) readSessionDeviceInfo() (*DeviceInfoResponse, error) {
	if r.kind() != '{' {
		return nil, r.skip()
	}
	d := new(DeviceInfoResponse)
	if err := r.readDeviceInfo(d); err != nil {
		return nil, err
	}
	return d, nil
}

// readDeviceInfo reads a deviceInfo object into d, which is zero. A
// typed member holding a value of its field's JSON type fills the field,
// null leaves it zero, and any other value goes to Extra, with the
// members that have no field. Extra stays nil when nothing goes to it, so
// a deviceInfo with only the spec's members costs no map.
func (r *jsonReader) readDeviceInfo(d *DeviceInfoResponse) error {
	if err := r.delim(); err != nil {
		return err
	}
	for r.more() {
		name, err := r.name()
		if err != nil {
			return err
		}
		member := typedDeviceMember(name)
		typed := member != ""
		if !typed {
			// Copied before the next peek or read, which may move the
			// reader's buffer under name.
			member = string(name)
		}
		switch k := r.kind(); {
		case !typed:
		case k == 'n':
			_, err = r.value()
		case k == '"' && member == memberDeviceType:
			d.DeviceType, err = r.readDeviceType()
		case k == '"' && member == memberOS:
			err = r.readString(&d.OS)
		case k == '"' && member == memberBrowser:
			err = r.readString(&d.Browser)
		case (k == 't' || k == 'f') && member == memberIsMobile:
			err = r.readBool(&d.IsMobile)
		default:
			typed = false
		}
		if !typed {
			var v any
			if v, err = r.readAny(); err == nil {
				if d.Extra == nil {
					d.Extra = make(map[string]any)
				}
				d.Extra[member] = v
			}
		}
		if err != nil {
			return fmt.Errorf("deviceInfo: member %q: %w", member, err)
		}
	}
	return r.delim()
}

// typedDeviceMember returns the member name of the typed field that name
// matches exactly, or "".
func typedDeviceMember(name []byte) string {
	switch string(name) {
	case memberDeviceType:
		return memberDeviceType
	case memberOS:
		return memberOS
	case memberBrowser:
		return memberBrowser
	case memberIsMobile:
		return memberIsMobile
	}
	return ""
}

// readDeviceType reads a device type string, without allocating one for
// the documented types.
func (r *jsonReader) readDeviceType() (DeviceType, error) {
	v, err := r.value()
	if err != nil {
		return "", err
	}
	switch s := r.unquote(v); string(s) {
	case string(DeviceTypeDesktop):
		return DeviceTypeDesktop, nil
	case string(DeviceTypeMobile):
		return DeviceTypeMobile, nil
	case string(DeviceTypeTablet):
		return DeviceTypeTablet, nil
	default:
		return DeviceType(s), nil
	}
}

// UnmarshalJSON decodes a deviceInfo object. The members deviceType, os,
// browser and isMobile, matched exactly, fill the typed fields when their
// value is of the field's JSON type (a string, or a boolean for isMobile);
// null leaves a field zero. Every other member, and a typed one holding
// another type of value, goes to Extra as encoding/json decodes into any.
// Extra is nil when nothing goes to it. A value that is not an object is
// an error; ListSessions does not fail on one but sets the session's
// DeviceInfo to nil. So is an object with two members of the same name.
func (d *DeviceInfoResponse) UnmarshalJSON(data []byte) error {
	var r jsonReader
	r.reset(bytes.NewBuffer(data))
	var decoded DeviceInfoResponse
	switch k := r.kind(); k {
	case '{':
		if err := r.readDeviceInfo(&decoded); err != nil {
			return err
		}
	case 'n': // null, which leaves d as it is, as for any struct
		if _, err := r.value(); err != nil {
			return err
		}
		return r.end()
	case 0:
		return r.delim()
	default:
		if err := r.skip(); err != nil {
			return err
		}
		return fmt.Errorf("deviceInfo: expected a JSON object, got %s", describeKind(k))
	}
	if err := r.end(); err != nil {
		return err
	}
	*d = decoded
	return nil
}

// MarshalJSON encodes the typed fields under their member names. With
// Extra set, it writes the members of Extra and, beside them, only the
// typed fields that are not zero: a free-form deviceInfo, such as the
// Vault server's {"oauth_provider":"google"}, is written as it came, not
// with four empty members it never had. A member of Extra named like a
// typed field stands in for that field when the field is zero, as it does
// after UnmarshalJSON kept a value of another type there; otherwise the
// typed field wins. What MarshalJSON writes, UnmarshalJSON reads back
// unchanged.
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

// setTyped sets the member name to the value of a typed field that is
// not zero.
func setTyped[T comparable](members map[string]any, name string, v T) {
	var zero T
	if v != zero {
		members[name] = v
	}
}
