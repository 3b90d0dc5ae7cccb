package vault_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
)

// Hostile input for the parsers: JSON nested past any sense, and response
// headers larger than net/http reads.

// nested returns depth JSON arrays, one inside the other.
func nested(depth int) string {
	return strings.Repeat("[", depth) + strings.Repeat("]", depth)
}

func TestHostileDeeplyNestedJSON(t *testing.T) {
	bodies := map[string]func(operation) string{
		"as the value": func(op operation) string {
			if op.method == http.MethodGet {
				return "[" + nested(100_000) + "]"
			}
			return nested(100_000)
		},
		"inside a field": func(op operation) string {
			if op.method == http.MethodGet {
				return `[{"id":"sess_x","deviceInfo":{"extra":` + nested(100_000) + `}}]`
			}
			return `{"message":"ok","extra":` + nested(100_000) + `}`
		},
	}
	for _, op := range operations {
		for name, body := range bodies {
			t.Run(op.name+"/"+name, func(t *testing.T) {
				payload := body(op)
				h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/json")
					_, _ = io.WriteString(w, payload)
				})
				err := callHostile(t, h, op)
				var decodeErr *vault.DecodeError
				require.ErrorAs(t, err, &decodeErr)
				assert.Equal(t, http.StatusOK, decodeErr.StatusCode)
				assert.Equal(t, op.name, decodeErr.Operation)
				assert.Contains(t, err.Error(), "exceeded max depth", "the JSON reader's nesting limit stops it")
				assert.EqualValues(t, 1, h.requests.Load())
				h.assertHandlersEnd(t)
			})
		}
	}
}

func TestHostileDeeplyNestedErrorBody(t *testing.T) {
	// 20,000 levels fit in the 64 KiB read of an error body: it is the
	// depth, not a cut, that makes it no envelope.
	body := `{"error":{"code":"BAD_REQUEST","message":"nested","details":{"d":` + nested(20_000) + `}}}`
	require.Less(t, len(body), 64<<10)
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, body)
			})
			err := callHostile(t, h, op)
			var apiErr *vault.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
			assert.Empty(t, apiErr.Code, "no envelope was accepted")
			assert.Nil(t, apiErr.Details)
			assert.True(t, strings.HasPrefix(apiErr.Body, `{"error":{"code":"BAD_REQUEST"`), apiErr.Body)
			assert.LessOrEqual(t, len(apiErr.Body), 256)
			assert.EqualValues(t, 1, h.requests.Load())
			h.assertHandlersEnd(t)
		})
	}
}

func TestHostileHugeHeader(t *testing.T) {
	// net/http's Transport reads at most 10 MiB of response headers by
	// default (MaxResponseHeaderBytes); this server sends 11 MiB in one
	// header line. The SDK does not retry it (the server would send the
	// same headers again) and reports net/http's error.
	const size = 11 << 20
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			h := newHostile(t, func(w http.ResponseWriter, r *http.Request) {
				conn, bw, err := http.NewResponseController(w).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				_, _ = bw.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: ")
				pad := strings.Repeat("a", 64<<10)
				for n := 0; n < size; n += len(pad) {
					if _, err := bw.WriteString(pad); err != nil {
						return
					}
				}
				_, _ = bw.WriteString("\r\nContent-Length: 2\r\n\r\n[]")
				_ = bw.Flush()
			})
			err := callHostile(t, h, op)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "server response headers exceeded")
			assert.True(t, strings.HasPrefix(err.Error(), "vault: "+op.name+": "), err.Error())
			var apiErr *vault.APIError
			assert.False(t, errors.As(err, &apiErr))
			assert.EqualValues(t, 1, h.requests.Load())
			h.assertHandlersEnd(t)
		})
	}
}
