package verify

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Claims are the claims of a verified Vault access token. A claim the
// token leaves out, or sends as null, is the zero value.
type Claims struct {
	// Subject is sub: the user's ID.
	Subject string
	// Issuer is iss and Audience is aud.
	Issuer, Audience string
	// ID is jti, the token's own ID.
	ID string
	// Type is type: "access" for every token Verify accepts.
	Type string
	// TenantID is tenant_id and SessionID is session_id: the session the
	// token was issued for, empty for a token outside a session.
	TenantID, SessionID string
	// Email, Name, Scope and ACR are email, name, scope and acr (the
	// authentication context class: "0" to "3").
	Email, Name, Scope, ACR string
	// Roles is roles and AMR is amr (the authentication methods, such as
	// "pwd" and "totp").
	Roles, AMR []string
	// EmailVerified is email_verified and MFAAuthenticated is
	// mfa_authenticated.
	EmailVerified, MFAAuthenticated bool
	// IssuedAt, NotBefore and ExpiresAt are iat, nbf and exp, and
	// StepUpExpiresAt is step_up_expires_at: when a step-up
	// authentication ends.
	IssuedAt, NotBefore, ExpiresAt, StepUpExpiresAt time.Time
	// Extra holds the custom claims, those not named above, as
	// encoding/json decodes them into an any: a JSON number is a float64.
	// It is nil when there are none.
	Extra map[string]any
}

// readClaims decodes the payload into c. Each string claim without
// escapes is a substring of one string holding the whole payload, so
// that the claims cost one allocation for their text.
func readClaims(sc *scratch, payload []byte, c *Claims) error {
	if decodeInto(&sc.payload, payload) != nil {
		return errMalformed
	}
	text := sc.payload.String()
	sc.dec.Reset(&sc.payload)
	r := claimReader{sc: sc, text: text}
	if tok, err := sc.dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return errPayload
	}
	var haveExp, haveIat bool
	for sc.dec.PeekKind() == '"' {
		name, err := sc.dec.ReadValue()
		if err != nil {
			return errPayload
		}
		switch string(sc.unquote(name)) {
		case "sub":
			err = r.str(&c.Subject)
		case "iss":
			err = r.str(&c.Issuer)
		case "aud":
			err = r.str(&c.Audience)
		case "jti":
			err = r.str(&c.ID)
		case "type":
			err = r.str(&c.Type)
		case "tenant_id":
			err = r.str(&c.TenantID)
		case "session_id":
			err = r.str(&c.SessionID)
		case "email":
			err = r.str(&c.Email)
		case "name":
			err = r.str(&c.Name)
		case "scope":
			err = r.str(&c.Scope)
		case "acr":
			err = r.str(&c.ACR)
		case "roles":
			err = r.strs(&c.Roles)
		case "amr":
			err = r.strs(&c.AMR)
		case "email_verified":
			err = r.boolean(&c.EmailVerified)
		case "mfa_authenticated":
			err = r.boolean(&c.MFAAuthenticated)
		case "exp":
			haveExp, err = r.date(&c.ExpiresAt)
		case "iat":
			haveIat, err = r.date(&c.IssuedAt)
		case "nbf":
			_, err = r.date(&c.NotBefore)
		case "step_up_expires_at":
			_, err = r.date(&c.StepUpExpiresAt)
		default:
			err = r.extra(c, r.nameString(name))
		}
		if err != nil {
			return errPayload
		}
	}
	if tok, err := sc.dec.ReadToken(); err != nil || tok.Kind() != '}' {
		return errPayload
	}
	if !sc.atEnd() {
		return errPayload // something after the object
	}
	switch {
	case c.Subject == "":
		return errNoSubject
	case !haveExp:
		return errNoExpiry
	case !haveIat:
		return errNoIssuedAt
	}
	return nil
}

// claimReader reads the value of one claim at a time.
type claimReader struct {
	sc   *scratch
	text string // the payload, for substrings
}

// errClaimType is the error of a claim of another JSON type than its
// field's; readClaims reports every such error as errPayload.
var errClaimType = errPayload

// value reads the next value and returns it with its text: a substring of
// the payload, which costs no allocation.
func (r *claimReader) value() (jsontext.Value, string, error) {
	v, err := r.sc.dec.ReadValue()
	if err != nil {
		return nil, "", err
	}
	end := int(r.sc.dec.InputOffset())
	return v, r.text[end-len(v) : end], nil
}

// stringOf returns the content of the JSON string v whose text is s.
func (r *claimReader) stringOf(v jsontext.Value, s string) (string, error) {
	if bytes.IndexByte(v, '\\') < 0 {
		return s[1 : len(s)-1], nil
	}
	u, err := jsontext.AppendUnquote(nil, v)
	return string(u), err
}

func (r *claimReader) str(dst *string) error {
	v, s, err := r.value()
	switch {
	case err != nil:
		return err
	case v.Kind() == 'n':
		return nil
	case v.Kind() != '"':
		return errClaimType
	}
	*dst, err = r.stringOf(v, s)
	return err
}

func (r *claimReader) strs(dst *[]string) error {
	if r.sc.dec.PeekKind() == 'n' {
		_, err := r.sc.dec.ReadToken()
		return err
	}
	if tok, err := r.sc.dec.ReadToken(); err != nil || tok.Kind() != '[' {
		return errClaimType
	}
	list := []string{}
	for r.sc.dec.PeekKind() == '"' {
		v, s, err := r.value()
		if err != nil {
			return err
		}
		item, err := r.stringOf(v, s)
		if err != nil {
			return err
		}
		list = append(list, item)
	}
	if tok, err := r.sc.dec.ReadToken(); err != nil || tok.Kind() != ']' {
		return errClaimType
	}
	*dst = list
	return nil
}

func (r *claimReader) boolean(dst *bool) error {
	v, _, err := r.value()
	if err != nil {
		return err
	}
	switch v.Kind() {
	case 'n':
	case 't':
		*dst = true
	case 'f':
		*dst = false
	default:
		return errClaimType
	}
	return nil
}

// maxUnixSeconds is the last second of year 9999: a date past it is not
// a date a token means.
const maxUnixSeconds = 253402300799

// date reads a NumericDate: seconds since the Unix epoch, an integer as
// the Vault server sends, or a fraction. It reports whether the claim was
// a number rather than null.
func (r *claimReader) date(dst *time.Time) (bool, error) {
	v, s, err := r.value()
	switch {
	case err != nil:
		return false, err
	case v.Kind() == 'n':
		return false, nil
	case v.Kind() != '0':
		return false, errClaimType
	}
	if !strings.ContainsAny(s, ".eE") {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil || sec < 0 || sec > maxUnixSeconds {
			return false, errClaimType
		}
		*dst = time.Unix(sec, 0)
		return true, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > maxUnixSeconds || math.IsNaN(f) {
		return false, errClaimType
	}
	sec, frac := math.Modf(f)
	*dst = time.Unix(int64(sec), int64(frac*1e9))
	return true, nil
}

// nameString returns a claim's name as a string.
func (r *claimReader) nameString(name jsontext.Value) string {
	s, err := r.stringOf(name, string(name))
	if err != nil {
		return ""
	}
	return s
}

// extra reads a custom claim into c.Extra.
func (r *claimReader) extra(c *Claims, name string) error {
	v, err := r.sc.dec.ReadValue()
	if err != nil {
		return err
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return err
	}
	if c.Extra == nil {
		c.Extra = make(map[string]any)
	}
	c.Extra[name] = x
	return nil
}
