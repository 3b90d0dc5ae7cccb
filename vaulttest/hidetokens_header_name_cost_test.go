package vaulttest_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestHidingTokensInALongHeaderNameCostsWhatAValueDoes sends a request
// with 60 KiB of header, once as a value and once as a name of
// upper-case letters, as a hostile or broken client can, to a handler
// with signed tokens. The log's tokens are hidden under the handler's
// lock, which every request and control call waits for: looking for
// tokens in a name must cost what looking in a value does, not a copy
// in lower case of every token-sized window of the name (hundreds of
// MiB, and most of a second, for one request). It compares the bytes
// each request allocates, which do not depend on the machine's speed.
func TestHidingTokensInALongHeaderNameCostsWhatAValueDoes(t *testing.T) {
	h := vaulttest.NewHandler(vaulttest.WithSignedTokens())
	s := h.AddSession("alice", vaulttest.SessionSeed{})
	long := strings.Repeat("A-", 30<<10)
	allocated := func(name, value string) uint64 {
		r := httptest.NewRequest(http.MethodGet, vaulttest.BasePath+"/users/me/sessions", nil)
		r.Header.Set("Authorization", "Bearer "+s.Token)
		r.Header[name] = []string{value}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		runtime.ReadMemStats(&after)
		require.Equal(t, http.StatusOK, w.Code)
		return after.TotalAlloc - before.TotalAlloc
	}
	inValue := allocated("X-Long", long)
	inName := allocated(long, "x")
	assert.LessOrEqual(t, inName, 4*inValue+1<<20,
		"a 60 KiB header name allocates %d KiB to hide tokens, a value of the same size %d KiB", inName>>10, inValue>>10)
}
