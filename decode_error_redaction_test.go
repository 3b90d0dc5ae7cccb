package vault

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTokenInAnUnparseableTimeIsRedactedAsTheErrorQuotesIt(t *testing.T) {
	// time.Time.UnmarshalJSON parses the JSON string without unescaping
	// it, and its error quotes the value Go's way, a backslash doubled:
	// the body's abc\/def reaches the message as abc\\/def, a form of the
	// token that none of the forms redact.Quoted knows matches.
	const token = "abc/def+ghi<jkl"
	tests := []struct{ name, value, leak string }{
		{"escaped slash", `abc\/def+ghi<jkl`, `abc\\/def+ghi<jkl`},
		{"unicode escape", `abc\u002fdef+ghi<jkl`, `abc\\u002fdef+ghi<jkl`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t)
			ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, http.StatusOK, `[{"id":"s1","current":true,"createdAt":"`+tt.value+`"}]`)
			})
			_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
			var decErr *DecodeError
			require.ErrorAs(t, err, &decErr)
			assert.NotContains(t, err.Error(), tt.leak)
			assert.NotContains(t, err.Error(), "def+ghi<jkl", "the token's tail, in any form")
		})
	}
}

func TestLongTokenInAJSONPointerIsRedacted(t *testing.T) {
	// A JSON pointer longer than 100 bytes is cut in the middle by
	// jsontext's error message. A real token (a JWT is hundreds of bytes,
	// the Vault server's hybrid-signed ones thousands) named as a member
	// shows only in part there, so the whole-token search finds nothing,
	// the error is kept as it is, and both its message and its
	// *jsontext.SyntacticError's JSONPointer still hold the token.
	token := "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyXzEifQ." + strings.Repeat("Kx9_Qm2-Vt7w", 20)
	client, ts := setup(t)
	ts.mux.HandleFunc("GET /users/me/sessions", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `[{"`+token+`":{"x":]}]`)
	})
	_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
	var decErr *DecodeError
	require.ErrorAs(t, err, &decErr)
	msg := fmt.Sprintf("%v %+v", err, *decErr)
	assert.NotContains(t, msg, token[:32], "the token's start")
	assert.NotContains(t, msg, token[len(token)-32:], "the token's end")
	var syntaxErr *jsontext.SyntacticError
	if errors.As(err, &syntaxErr) {
		assert.NotContains(t, string(syntaxErr.JSONPointer), token, "errors.As reaches the whole token")
	}
}
