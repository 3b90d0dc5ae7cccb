package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuotedFindsEscapedPercentAndBackslash(t *testing.T) {
	// A character that starts an escape (a percent sign, a backslash) may
	// itself be written escaped: %25 in a URL's query, \\ in a JSON
	// string. Taking it raw first must not stop the search for its
	// escaped form.
	tests := []struct{ name, secret, in string }{
		{"percent sign, percent-encoded", "ab%cd-efgh-ijkl", "t=ab%25cd-efgh-ijkl"},
		{"backslash, JSON-escaped", `ab\cd-efgh-ijkl`, `{"t":"ab\\cd-efgh-ijkl"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, Quoted(tt.in, tt.secret), Placeholder)
		})
	}
}
