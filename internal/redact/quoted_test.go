package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuoted(t *testing.T) {
	const secret = "ab/cd+ef<gh"
	tests := []struct {
		name, in, want string
	}{
		{"raw", "x ab/cd+ef<gh y", "x [REDACTED] y"},
		{"json slash", `"ab\/cd+ef<gh"`, `"[REDACTED]"`},
		{"json unicode, any case", `ab\u002Fcd\u002bef\u003Cgh`, "[REDACTED]"},
		{"percent", "t=ab%2Fcd%2Bef%3cgh&x=1", "t=[REDACTED]&x=1"},
		{"mixed forms", `ab%2Fcd\u002bef<gh`, "[REDACTED]"},
		{"twice", "ab/cd+ef<gh ab/cd+ef<gh", "[REDACTED] [REDACTED]"},
		{"a near miss stays", `ab\/cd+ef<gX`, `ab\/cd+ef<gX`},
		{"truncated escape stays", `ab\u00`, `ab\u00`},
		{"nothing", "plain text", "plain text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Quoted(tt.in, secret))
		})
	}
}

func TestQuotedAboveTheBasicPlane(t *testing.T) {
	const secret = "key-\U0001F511-value"
	assert.Equal(t, "[REDACTED]", Quoted(`key-\ud83d\udd11-value`, secret))
	assert.Equal(t, "[REDACTED]", Quoted("key-%F0%9F%94%91-value", secret))
}

func TestQuotedLeavesShortSecretsAlone(t *testing.T) {
	assert.Equal(t, "expired token", Quoted("expired token", "tok"))
}
