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
