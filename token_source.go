package vault

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
)

// A Configuration.TokenSource learns that the API refused a token it
// returned through the context of its next call: when a call sent with
// the source's token gets 401, the Client calls the source once more,
// with a context whose RefusedToken is that token. A source that can get
// a new token, such as TokenRefresher, which refreshes, returns it, and
// the Client sends the call again with it, at once and only once. A
// source that returns the same token, or an error, ends the call with
// the 401.

// refusedTokenKey is the context key of RefusedToken.
type refusedTokenKey struct{}

// RefusedToken reports the token the API has just refused with 401, when
// the Client calls its Configuration.TokenSource again to get a new one
// for the same call. It reports false in every other call of the
// source. A source that caches its token should drop a cached token
// equal to the refused one and return a new one: the Client sends the
// call again only with a different token.
func RefusedToken(ctx context.Context) (token string, ok bool) {
	if ctx == nil {
		return "", false
	}
	token, ok = ctx.Value(refusedTokenKey{}).(string)
	return token, ok && token != ""
}

// renewToken deals with a 401 to a token of the Client's TokenSource: it
// asks the source for a new token, telling it which was refused (see
// RefusedToken), and reports whether the call is to be sent again, at
// once, with the new token. A call is sent again so once at most, and
// never after an attempt that may have made its change: a 401 may then
// be news of that attempt (see outcome). A token the call brought
// (WithAccessToken) and the Client's AccessToken cannot change, and
// their 401 is final.
func (k *call) renewToken(ctx context.Context, a attempt) bool {
	if !k.fromSource || k.renewed || k.lostAnswer || a.resp == nil || a.resp.StatusCode != http.StatusUnauthorized {
		return false
	}
	refused := k.secret
	token, err := k.client.resolveToken(context.WithValue(ctx, refusedTokenKey{}, refused), "")
	switch {
	case err != nil:
		k.result = &renewError{refused: k.result, source: err}
		return false
	case token == refused:
		return false
	}
	k.renewed = true
	k.auth = []string{"Bearer " + token}
	k.secret = token
	k.log(ctx, slog.LevelInfo, "vault: token refused, sending again with a new one", slog.Int("status", http.StatusUnauthorized))
	return true
}

// sourceError is the error of a TokenSource, which names it.
type sourceError struct{ err error }

func (e *sourceError) Error() string {
	return "token source: " + strings.TrimPrefix(e.err.Error(), "vault: ")
}

func (e *sourceError) Unwrap() error { return e.err }

// renewError is the error of a call whose token was refused with 401,
// after which its TokenSource failed to give a new one. It matches the
// 401's *APIError, and so ErrUnauthorized, and the source's error.
type renewError struct {
	refused error // the *APIError of the 401
	source  error
}

func (e *renewError) Error() string {
	return e.refused.Error() + "; then " + e.source.Error()
}

func (e *renewError) Unwrap() []error { return []error{e.refused, e.source} }
