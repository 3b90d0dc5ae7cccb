package vault

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// AuthResponse is the answer to a refresh: a new access token, the
// refresh token to send next time, and the user they belong to.
//
// Printing an AuthResponse with fmt (any verb, %#v included) or logging
// it with log/slog shows neither token: String, GoString, Format and
// LogValue print [REDACTED] in their place. Encoding it as JSON, to
// store it, keeps them.
type AuthResponse struct {
	// AccessToken is the new bearer token. The Vault server's is a JWT
	// that lives 15 minutes.
	AccessToken string `json:"accessToken"`
	// RefreshToken is the refresh token to send next time: the one just
	// sent is spent.
	RefreshToken string `json:"refreshToken"`
	// User is the user the tokens act for.
	User UserResponse `json:"user"`
	// MFARequired reports whether the user must still pass multi-factor
	// authentication; a refresh always answers false.
	MFARequired bool `json:"mfaRequired"`
}

// String describes the response without its tokens.
func (a AuthResponse) String() string {
	return "vault.AuthResponse{AccessToken:" + redacted(a.AccessToken != "") +
		" RefreshToken:" + redacted(a.RefreshToken != "") +
		" User:" + a.User.String() +
		" MFARequired:" + strconv.FormatBool(a.MFARequired) + "}"
}

// GoString is String, so %#v does not print the tokens either.
func (a AuthResponse) GoString() string { return a.String() }

// Format prints String for every verb, so no fmt verb prints the tokens.
func (a AuthResponse) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, a.String()) }

// LogValue logs the response under log/slog without its tokens.
func (a AuthResponse) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_token", redacted(a.AccessToken != "")),
		slog.String("refresh_token", redacted(a.RefreshToken != "")),
		slog.Any("user", a.User),
		slog.Bool("mfa_required", a.MFARequired),
	)
}

// UserResponse is the user of an AuthResponse. The nullable name of the
// API is a pointer: both a JSON null and an absent name decode to nil.
type UserResponse struct {
	// ID identifies the user.
	ID string `json:"id"`
	// Email is the user's email address.
	Email string `json:"email"`
	// EmailVerified reports whether the user has verified the address.
	EmailVerified bool `json:"emailVerified"`
	// Name is the user's display name, if the user has one.
	Name *string `json:"name"`
	// MFAEnabled reports whether the user has set up multi-factor
	// authentication.
	MFAEnabled bool `json:"mfaEnabled"`
}

// String describes the user on one line, with the name rather than its
// pointer.
func (u UserResponse) String() string {
	var b strings.Builder
	b.WriteString("vault.UserResponse{ID:")
	b.WriteString(strconv.Quote(u.ID))
	b.WriteString(" Email:")
	b.WriteString(strconv.Quote(u.Email))
	b.WriteString(" EmailVerified:")
	b.WriteString(strconv.FormatBool(u.EmailVerified))
	b.WriteString(" Name:")
	if u.Name != nil {
		b.WriteString(strconv.Quote(*u.Name))
	} else {
		b.WriteString("nil")
	}
	b.WriteString(" MFAEnabled:")
	b.WriteString(strconv.FormatBool(u.MFAEnabled))
	b.WriteByte('}')
	return b.String()
}

// GoString is String.
func (u UserResponse) GoString() string { return u.String() }

// Format prints String for every verb.
func (u UserResponse) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, u.String()) }

// LogValue logs the user under log/slog as a group of its fields.
func (u UserResponse) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("id", u.ID),
		slog.String("email", u.Email),
		slog.Bool("email_verified", u.EmailVerified),
		slog.Bool("mfa_enabled", u.MFAEnabled),
	}
	if u.Name != nil {
		attrs = append(attrs, slog.String("name", *u.Name))
	}
	return slog.GroupValue(attrs...)
}
