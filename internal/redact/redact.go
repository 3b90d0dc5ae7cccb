// Package redact hides a bearer token that a server or an error message
// quotes back, before the text reaches an error, a log or a terminal.
//
// Only a token of at least MinSecretLen bytes is searched for. A shorter
// one is no secret worth the name, and replacing it would rewrite ordinary
// words: a token "tok" would turn "expired token" into "expired
// [REDACTED]en".
package redact

import (
	"bytes"
	"net/http"
	"strings"
)

// MinSecretLen is the shortest token that is searched for and replaced.
// Real bearer tokens (JWTs, opaque random strings) are far longer; eight
// bytes keeps even a short test token out of error messages, while a
// word-length string is left alone.
const MinSecretLen = 8

// Placeholder replaces every occurrence of the token.
const Placeholder = "[REDACTED]"

// Searched reports whether secret is long enough to be searched for.
func Searched(secret string) bool { return len(secret) >= MinSecretLen }

// String returns s with every occurrence of secret replaced.
func String(s, secret string) string {
	if !Searched(secret) || !strings.Contains(s, secret) {
		return s
	}
	return strings.ReplaceAll(s, secret, Placeholder)
}

// Bytes returns b, or a copy of it with every occurrence of secret
// replaced.
func Bytes(b []byte, secret string) []byte {
	if !Searched(secret) || !bytes.Contains(b, []byte(secret)) {
		return b
	}
	return bytes.ReplaceAll(b, []byte(secret), []byte(Placeholder))
}

// Header returns h, or a copy of it with secret replaced wherever a value
// holds it, in any of the forms Quoted knows. h itself is never changed.
func Header(h http.Header, secret string) http.Header {
	if !Searched(secret) || !headerHolds(h, secret) {
		return h
	}
	clean := make(http.Header, len(h))
	for k, vs := range h {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = Quoted(v, secret)
		}
		clean[k] = out
	}
	return clean
}

func headerHolds(h http.Header, secret string) bool {
	for _, vs := range h {
		for _, v := range vs {
			if Quoted(v, secret) != v {
				return true
			}
		}
	}
	return false
}

// Value returns v, a decoded JSON value, with secret replaced in every
// string it holds, map keys included, in the forms Quoted knows. It
// catches a token the server wrote with JSON escapes (such as \/ or
// \u003c), which String and Bytes do not see in the raw body.
func Value(v any, secret string) any {
	if !Searched(secret) {
		return v
	}
	switch v := v.(type) {
	case string:
		return Quoted(v, secret)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[Quoted(k, secret)] = Value(e, secret)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = Value(e, secret)
		}
		return out
	}
	return v
}
