package verify

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// claimsKey is the context key of the claims Middleware verified.
type claimsKey struct{}

// ClaimsFromContext returns the claims Middleware put in a request's
// context, and whether there are any.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}

// ContextWithClaims returns a copy of ctx carrying c, as Middleware
// passes it to the next handler: for tests of a handler behind it.
func ContextWithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// Middleware guards next with the verifier: a request reaches next only
// with an "Authorization: Bearer" token that Verify accepts, its claims
// in the request's context (see ClaimsFromContext). Otherwise it answers
// itself, with "Cache-Control: no-store" and a body that tells no more
// than the status:
//
//   - 401 with "WWW-Authenticate: Bearer" when the request has no bearer
//     token (RFC 6750);
//   - 401 with `WWW-Authenticate: Bearer error="invalid_token"` when
//     Verify refuses the token (ErrInvalidToken, ErrExpired,
//     ErrRevoked), the same answer whatever the reason;
//   - 503 when the verifier could not tell (ErrKeySetUnavailable,
//     ErrRevocationsUnavailable): the token may be valid, and a client
//     that gets 401 would drop it and sign in again.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r.Header)
		if !ok {
			refuse(w, http.StatusUnauthorized, "Bearer")
			return
		}
		claims, err := v.Verify(r.Context(), token)
		switch {
		case err == nil:
			next.ServeHTTP(w, r.WithContext(ContextWithClaims(r.Context(), claims)))
		case errors.Is(err, ErrInvalidToken), errors.Is(err, ErrExpired), errors.Is(err, ErrRevoked):
			refuse(w, http.StatusUnauthorized, `Bearer error="invalid_token"`)
		default:
			refuse(w, http.StatusServiceUnavailable, "")
		}
	})
}

// bearerToken returns the token of the request's one Authorization
// header, whose scheme is Bearer in any case.
func bearerToken(h http.Header) (string, bool) {
	values := h.Values("Authorization")
	if len(values) != 1 {
		return "", false
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	return token, token != ""
}

func refuse(w http.ResponseWriter, status int, challenge string) {
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, http.StatusText(status), status)
}
