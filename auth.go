package vault

import (
	"context"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// Paths of the authentication operations, relative to the base URL.
const (
	refreshPath = "/auth/refresh"
	logoutPath  = "/auth/logout"
)

// AuthService is the part of the API that acts on tokens: a refresh of
// an access token and a logout. Reach it through Client.Auth. It mirrors
// refreshToken and logout of the TypeScript SDK's AuthenticationApi.
//
// A service that acts as itself with a refresh token does not call
// RefreshToken itself: NewTokenRefresher does, by the rules below, for
// every call of a Client.
type AuthService struct {
	client *Client
}

// String describes the service without its Client's token.
func (s *AuthService) String() string { return "vault.AuthService{" + s.client.String() + "}" }

// Format prints String for every verb, so no fmt verb prints the token.
func (s *AuthService) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, s.String()) }

// RefreshToken trades refreshToken for a new access token and a new
// refresh token. It is sent without an access token (WithAccessToken is
// refused) and with the Client's tenant, or WithTenant's, as
// X-Tenant-ID.
//
// The server rotates the refresh token: the one sent is spent once the
// server has read it, and the one in the answer is the next to send.
// Keep it before using the new access token, so that a restart goes on
// from it. The server takes a spent refresh token sent again for a
// stolen one and revokes its session: the user, or the service, must
// sign in again. So the SDK never sends a refresh twice. Once its
// request may have reached the server, the call is not retried,
// whatever comes back: not after a 503, a 429, a lost connection or a
// timeout. A refresh is retried like any call only on positive proof
// that it never reached the server: its connection was refused (or its
// dial failed otherwise), or net/http's trace saw it ask for a
// connection and get none. A RoundTripper in Configuration.HTTPClient
// that hides the trace (it sends on a transport of its own) gives no
// such proof, and its transport errors then match ErrOutcomeUnknown.
//
// A 400 (a malformed request) or 401 (a refresh token that is unknown,
// spent, expired or of a revoked session) is an *APIError, matching
// ErrUnauthorized for the 401; the Vault server sends both with an
// empty body. An error matching ErrOutcomeUnknown says that the refresh
// token may have been rotated: the answer was lost after the request
// was sent, the server answered 5xx (it may fail after rotating), or a
// 2xx body did not hold both tokens. The refresh token sent may then be
// spent, and sending it again may revoke the session: sign in again
// instead. So does a call cut short by its context once sent: give a
// refresh a context of its own, as TokenRefresher does.
//
// An empty refresh token, or one that is not valid UTF-8 (it could not
// be sent as it is), is refused with ErrInvalidArgument before anything
// is sent. The refresh token and both tokens of the answer never appear
// in an error, a log record, or fmt's print of the *AuthResponse.
//
// API: POST /auth/refresh (refreshToken).
func (s *AuthService) RefreshToken(ctx context.Context, refreshToken string, opts ...RequestOption) (*AuthResponse, error) {
	body, err := refreshBody(refreshToken)
	if err != nil {
		return nil, s.client.refuse(ctx, opRefreshToken, err)
	}
	resp := new(AuthResponse)
	err = s.client.doWith(ctx, opRefreshToken, refreshPath, payload{json: body, secret: refreshToken}, opts, (*authBody)(resp))
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// refreshBody returns the JSON body of a refresh, {"refreshToken":"…"}.
func refreshBody(refreshToken string) ([]byte, error) {
	switch {
	case refreshToken == "":
		return nil, fmt.Errorf("%w: the refresh token is empty", ErrInvalidArgument)
	case !utf8.ValidString(refreshToken):
		return nil, fmt.Errorf("%w: the refresh token is not valid UTF-8", ErrInvalidArgument)
	}
	body := make([]byte, 0, len(`{"refreshToken":""}`)+len(refreshToken))
	body = append(body, `{"refreshToken":`...)
	body, err := jsontext.AppendQuote(body, refreshToken)
	if err != nil {
		// Valid UTF-8 always quotes; the error is kept rather than
		// sending a body that is not the token.
		return nil, fmt.Errorf("%w: the refresh token cannot be quoted as JSON", ErrInvalidArgument)
	}
	return append(body, '}'), nil
}

// Logout ends the session of the token that makes the call: that token,
// and every other access and refresh token of the session, stop working.
// The Vault server answers {"message":"Logged out successfully"}, and 400
// with an empty body (an *APIError) to a token that has no session.
//
// A 401 is an *APIError matching ErrUnauthorized, unless an earlier
// attempt of the same call may have logged out already (its answer was
// lost): then the call succeeds with MessageEarlierAttemptApplied. With
// a Configuration.TokenSource, a 401 to its token first makes the Client
// ask the source for a new one, as for every call.
//
// API: POST /auth/logout (logout).
func (s *AuthService) Logout(ctx context.Context, opts ...RequestOption) (*MessageResponse, error) {
	return s.client.doMessage(ctx, opLogout, logoutPath, opts)
}
