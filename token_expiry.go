package vault

import (
	"encoding/base64"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// TokenRefreshMargin is how long before an access token's expiry a
// TokenRefresher refreshes it: a call that starts just before then still
// ends, retries and all, before the token expires, and a clock that is a
// little off does not matter. A token that lives less than twice as
// long is refreshed halfway through its life instead.
const TokenRefreshMargin = time.Minute

// renewAt returns when an access token received at received is due for
// a refresh, or the zero time when it cannot tell: the token is not a
// JWT, or has no exp claim.
//
// It reads the exp and iat claims without verifying the token: the
// token is only sent to the API, which verifies it, and the worst a
// forged claim can do is cause an early refresh, or a 401 and then one.
// With both claims it counts the token's life, exp minus iat, from the
// moment it was received, so that a local clock that is off from the
// server's does not matter; with exp alone it compares exp with the
// local clock. A token that seems to have expired already, which only
// a clock far off can cause, is not refreshed by time at all: its 401
// will tell, rather than a refresh at every call.
func renewAt(token string, received time.Time) time.Time {
	exp, iat, ok := jwtTimes(token)
	if !ok {
		return time.Time{}
	}
	var life time.Duration
	if iat > 0 && exp > iat {
		life = seconds(exp - iat)
	} else {
		life = time.Unix(exp, 0).Sub(received)
	}
	if life <= 0 {
		return time.Time{}
	}
	return received.Add(life - min(TokenRefreshMargin, life/2))
}

// seconds converts a number of seconds to a Duration, capped at a
// hundred years so that a claim from a hostile token cannot overflow.
func seconds(n int64) time.Duration {
	const limit = 100 * 365 * 24 * 60 * 60
	return time.Duration(min(n, limit)) * time.Second
}

// jwtTimes returns the exp and iat claims of a JWT, in seconds since the
// Unix epoch (iat zero when it has none), and whether the token is a JWT
// with an exp claim.
func jwtTimes(token string) (exp, iat int64, ok bool) {
	_, rest, found := strings.Cut(token, ".")
	if !found {
		return 0, 0, false
	}
	payload, _, found := strings.Cut(rest, ".")
	if !found {
		return 0, 0, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(payload, "="))
	if err != nil {
		return 0, 0, false
	}
	var claims struct {
		Exp *float64 `json:"exp"`
		Iat *float64 `json:"iat"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Exp == nil {
		return 0, 0, false
	}
	exp, ok = wholeSeconds(*claims.Exp)
	if !ok {
		return 0, 0, false
	}
	if claims.Iat != nil {
		iat, _ = wholeSeconds(*claims.Iat)
	}
	return exp, iat, true
}

// wholeSeconds is a NumericDate claim in whole seconds, if it is a
// positive number that fits.
func wholeSeconds(f float64) (int64, bool) {
	if math.IsNaN(f) || f <= 0 || f >= 1<<62 {
		return 0, false
	}
	return int64(f), true
}
