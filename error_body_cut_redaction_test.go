package vault

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCutErrorBodyHidesTheStartOfAnEscapedToken(t *testing.T) {
	// A body cut in transit or at the size limit loses a tail that is the
	// start of the token, so that the cut never shows most of it. The
	// same holds for the token written with JSON escapes, as a gateway's
	// body (not the API's envelope, so quoted in APIError.Body) writes it.
	const token = "abc/def+ghi<jkl"
	body := `{"error":"invalid_token","token":"abc\/def+ghi<jkl"}`
	cut := strings.Index(body, "<jkl") // all but the token's last four characters
	tests := []struct {
		name    string
		handler http.HandlerFunc
		limit   int64
	}{
		{"cut in transit", cutBody(http.StatusUnauthorized, "application/json", body, len(body), cut), 0},
		{"cut at the size limit", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusUnauthorized, body) }, int64(cut)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, ts := setup(t, func(c *Configuration) { c.MaxResponseBytes = tt.limit })
			ts.mux.HandleFunc("GET /users/me/sessions", tt.handler)
			_, err := client.Sessions.ListSessions(context.Background(), WithAccessToken(token))
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.NotContains(t, fmt.Sprintf("%v %+v", err, *apiErr), `abc\/def`)
		})
	}
}
