package vault

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeErrorQuotesOnlyAnExcerptOfTheBody(t *testing.T) {
	// An *APIError quotes at most an excerpt of a body (200 characters),
	// and jsontext cuts a JSON pointer at 100 bytes. A timestamp that does
	// not parse is quoted whole, twice, by time.ParseError: a server that
	// sends a megabyte there makes every failed call carry, redact and
	// log a two-megabyte error (twenty with the default MaxResponseBytes).
	value := strings.Repeat("x", 1<<20)
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `[{"id":"s1","current":true,"createdAt":"`+value+`"}]`)
	})
	_, err := client.Sessions.ListSessions(context.Background())
	var decErr *DecodeError
	require.ErrorAs(t, err, &decErr)
	assert.Less(t, len(err.Error()), 4<<10, "the error quotes the body whole")
}
