package vaulttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	vault "github.com/vault-dev/vault-go"
)

// Error codes the handler answers with.
const (
	CodeBadRequest         = "BAD_REQUEST"
	CodeUnauthorized       = "UNAUTHORIZED"
	CodeForbidden          = "FORBIDDEN"
	CodeNotFound           = "NOT_FOUND"
	CodeMethodNotAllowed   = "METHOD_NOT_ALLOWED"
	CodeRateLimited        = "RATE_LIMITED"
	CodeInternalError      = "INTERNAL_ERROR"
	CodeServiceUnavailable = "SERVICE_UNAVAILABLE"
)

// result is a response the handler has decided on but not yet written.
type result struct {
	status int
	header http.Header
	body   any // nil for an empty body
	// apply makes the state change of the request; nil if it has none.
	// It runs with h.mu held, only when the result is really sent.
	apply func()
	// verbatim writes <, >, & and U+2028/U+2029 as they are rather than
	// as \u escapes, so that JSON the body holds as json.RawMessage, such
	// as a webhook delivery's signed body, is sent byte for byte.
	verbatim bool
}

func errorResult(status int, code, message string) result {
	return result{
		status: status,
		body: vault.ErrorResponse{Error: vault.ErrorResponseError{
			Code:    code,
			Message: message,
		}},
	}
}

// emptyResult is an answer without a body, as DialectServer gives from
// its authentication layer and its router.
func emptyResult(status int) result {
	return result{status: status}
}

// codeForStatus returns the error code the handler uses for status.
func codeForStatus(status int) string {
	switch status {
	case http.StatusInternalServerError:
		return CodeInternalError
	case http.StatusTooManyRequests:
		return CodeRateLimited
	}
	text := http.StatusText(status)
	if text == "" {
		return "HTTP_" + strconv.Itoa(status)
	}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.ToUpper(strings.Join(words, "_"))
}

// encode returns the JSON encoding of the result's body, or nil if it
// has none.
func (res result) encode() []byte {
	if res.body == nil {
		return nil
	}
	if res.verbatim {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(res.body); err != nil {
			panic("vaulttest: encoding response: " + err.Error())
		}
		return buf.Bytes() // Encode ends it with a newline
	}
	b, err := json.Marshal(res.body)
	if err != nil {
		// The bodies are the package's own fixed types; failing to
		// encode one is a bug.
		panic("vaulttest: encoding response: " + err.Error())
	}
	return append(b, '\n')
}

// writeResult writes res as a JSON response.
func writeResult(w http.ResponseWriter, res result) {
	b := res.encode()
	h := w.Header()
	for k, v := range res.header {
		h[k] = v
	}
	if b != nil {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(res.status)
	_, _ = w.Write(b)
}
