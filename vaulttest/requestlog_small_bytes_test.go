package vaulttest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vault-dev/vault-go/vaulttest"
)

// TestRequestLogBytesHoldForSmallRequests fills a log bounded in bytes
// twice over with requests as small as a minimal client sends, an
// Authorization header alone, and checks that the records it keeps hold
// about the bound: the bytes counted for each record are about those it
// holds, so that vault-mock's bound of -request-log-bytes plus a few MiB
// holds for a long run of small requests as for one of large ones.
func TestRequestLogBytesHoldForSmallRequests(t *testing.T) {
	const bound = 16 << 20
	h := vaulttest.NewHandler(vaulttest.WithRequestLogBytes(bound))
	before := heapLive()
	for i := 0; i < 2*bound/400; i++ {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/users/me/sessions?page=%d", i), nil)
		req.Header.Set("Authorization", "Bearer vt_0bb2826b8d3362025fa0beb8673c021e5a2aa299")
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	held := heapLive() - before
	kept := len(h.Requests())
	runtime.KeepAlive(h)
	t.Logf("%d records kept, holding %d KiB: %d bytes each", kept, held>>10, held/uint64(kept))
	assert.Less(t, held, uint64(bound+bound/10), "a log bounded at %d MiB holds %d KiB", bound>>20, held>>10)
}
