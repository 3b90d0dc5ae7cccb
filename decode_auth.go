package vault

import (
	"errors"
	"fmt"
)

// The answer to a refresh is a JSON object,
//
//	{"accessToken":"…","refreshToken":"…","user":{"id":"…","email":"…",
//	 "emailVerified":true,"name":null,"mfaEnabled":false},
//	 "mfaRequired":false,"sessionInfo":null}
//
// read by the rules of jsonread.go. Both tokens must be there, as
// non-empty strings: an answer without them is no refresh, and the SDK
// never returns a zero value with a nil error. Other members, such as
// sessionInfo, are read past. No error quotes a value read: the values
// are the tokens.

// authMembers are the member names of an AuthResponse, and userMembers
// of its user, for matching without regard to case.
var (
	authMembers = []string{"accessToken", "refreshToken", "user", "mfaRequired"}
	userMembers = []string{"id", "email", "emailVerified", "name", "mfaEnabled"}
)

// authField returns the index in authMembers of the member name, or -1.
func authField(name []byte) int {
	for i, m := range authMembers {
		if string(name) == m {
			return i
		}
	}
	return matchFold(name, authMembers)
}

// userField returns the index in userMembers of the member name, or -1.
func userField(name []byte) int {
	for i, m := range userMembers {
		if string(name) == m {
			return i
		}
	}
	return matchFold(name, userMembers)
}

// authBody is the decoder of RefreshToken.
type authBody AuthResponse

func (b *authBody) decode(r *jsonReader) error {
	var resp AuthResponse
	if err := r.readObject(func(field int) error {
		switch field {
		case 0:
			return r.readString(&resp.AccessToken)
		case 1:
			return r.readString(&resp.RefreshToken)
		case 2:
			return r.readUser(&resp.User)
		default:
			return r.readBool(&resp.MFARequired)
		}
	}, authField, authMembers); err != nil {
		return err
	}
	if err := r.end(); err != nil {
		return err
	}
	if resp.AccessToken == "" || resp.RefreshToken == "" {
		return errors.New(`expected an object with "accessToken" and "refreshToken" strings, not empty`)
	}
	*b = authBody(resp)
	return nil
}

// readUser reads the user of an AuthResponse; null leaves it zero.
func (r *jsonReader) readUser(u *UserResponse) error {
	if r.kind() == 'n' {
		_, err := r.value()
		return err
	}
	return r.readObject(func(field int) error {
		switch field {
		case 0:
			return r.readString(&u.ID)
		case 1:
			return r.readString(&u.Email)
		case 2:
			return r.readBool(&u.EmailVerified)
		case 3:
			return r.readOptionalString(&u.Name)
		default:
			return r.readBool(&u.MFAEnabled)
		}
	}, userField, userMembers)
}

// readObject reads a JSON object, calling read for each member that
// field finds in names (by its index there) and reading past the others.
// An error names the member it is in, never its value.
func (r *jsonReader) readObject(read func(field int) error, field func([]byte) int, names []string) error {
	if k := r.kind(); k != '{' {
		if k == 0 {
			return r.delim()
		}
		if err := r.skip(); err != nil {
			return err
		}
		return typeError("a JSON object", k)
	}
	if err := r.delim(); err != nil {
		return err
	}
	for r.more() {
		name, err := r.name()
		if err != nil {
			return err
		}
		f := field(name)
		if f < 0 {
			if err := r.skip(); err != nil {
				return err
			}
			continue
		}
		if err := read(f); err != nil {
			return fmt.Errorf("member %q: %w", names[f], err)
		}
	}
	return r.delim()
}
