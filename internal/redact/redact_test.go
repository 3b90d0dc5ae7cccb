package redact

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestString(t *testing.T) {
	tests := []struct {
		name, s, secret, want string
	}{
		{"long token replaced everywhere", "bad token vt_0123456789 (vt_0123456789)", "vt_0123456789", "bad token [REDACTED] ([REDACTED])"},
		{"token of the minimum length", "x abcdefgh y", "abcdefgh", "x [REDACTED] y"},
		{"short token leaves words alone", "Invalid or expired token", "tok", "Invalid or expired token"},
		{"one-letter token leaves codes alone", "UNAVAILABLE", "B", "UNAVAILABLE"},
		{"seven bytes is below the minimum", "abcdefg", "abcdefg", "abcdefg"},
		{"empty token", "anything", "", "anything"},
		{"absent token", "nothing to hide", "vt_0123456789", "nothing to hide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, String(tt.s, tt.secret))
			assert.Equal(t, tt.want, string(Bytes([]byte(tt.s), tt.secret)))
		})
	}
}

func TestHeader(t *testing.T) {
	h := http.Header{"Location": {"/x?t=vt_0123456789"}, "Www-Authenticate": {"Bearer"}}
	got := Header(h, "vt_0123456789")
	assert.Equal(t, []string{"/x?t=[REDACTED]"}, got["Location"])
	assert.Equal(t, []string{"Bearer"}, got["Www-Authenticate"])
	assert.Equal(t, "/x?t=vt_0123456789", h.Get("Location"), "the original header is not changed")

	assert.Equal(t, h, Header(h, "Bearer"[:3]), "a short secret is not searched for")
	assert.Equal(t, h, Header(h, "absent-secret"))
}

func TestTrimQuotedPartial(t *testing.T) {
	const secret = "vt_0123456789"
	tests := []struct{ name, in, want string }{
		{"cut inside the token", `{"message":"token vt_01234`, `{"message":"token `},
		{"cut after one byte of it", `token v`, `token `},
		{"whole token kept for String", `token vt_0123456789`, `token vt_0123456789`},
		{"no token", `{"message":"bad`, `{"message":"bad`},
		{"cut inside an escaped token", `{"t":"vt_0123\u00`, `{"t":"`},
		{"cut inside a percent-encoded token", `t=vt%5F01%3`, `t=`},
		{"a cut escape that is not the token's start stays cut", `token \u00`, `token `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, TrimQuotedPartial(tt.in, secret))
		})
	}
	assert.Equal(t, "ab", TrimQuotedPartial("ab", "a"), "a short secret is not searched for")
}

func TestValue(t *testing.T) {
	const secret = "abc/def+ghi<jkl"
	in := map[string]any{
		"message": "token abc/def+ghi<jkl is bad",
		"nested":  []any{"x abc/def+ghi<jkl", 3.0, map[string]any{"abc/def+ghi<jkl": true}},
	}
	got := Value(in, secret)
	assert.Equal(t, map[string]any{
		"message": "token [REDACTED] is bad",
		"nested":  []any{"x [REDACTED]", 3.0, map[string]any{"[REDACTED]": true}},
	}, got)
	assert.Equal(t, "token abc/def+ghi<jkl is bad", in["message"], "the input is not changed")
}
