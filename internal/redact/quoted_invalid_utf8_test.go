package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestQuotedFindsATokenThatIsNotUTF8(t *testing.T) {
	// A header value may hold bytes from 0x80 up (obs-text): net/http
	// sends such a token, and the SDK accepts it. String finds it raw;
	// Quoted, which replaced String for request IDs and Content-Types,
	// must find it at least as String does.
	const secret = "tok-\xff\xfe-secret-value"
	in := "req-" + secret
	assert.Equal(t, "req-"+Placeholder, String(in, secret))
	assert.Equal(t, "req-"+Placeholder, Quoted(in, secret))
}
