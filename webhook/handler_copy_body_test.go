package webhook

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandlerCopyMustCarryTheSameBody checks what the Handler takes for
// a copy of a delivery it handled. It compares X-Webhook-ID alone, which
// the timestamp form does not sign. A delivery that failed once (Handle
// returned an error, so its ID is not remembered) is then lost for good
// if, before the server's retry, anyone who captured another delivery of
// the last five minutes sends it again with the failed delivery's ID: that
// one verifies and succeeds, its ID is remembered, and the real retry is
// answered 204 without Handle ever seeing it. For a session.revoked, the
// backend keeps a revoked session alive. The server sends every attempt
// of a delivery with the same body, so a copy can be told by its ID and
// its body together.
func TestHandlerCopyMustCarryTheSameBody(t *testing.T) {
	revoked := testBody
	other := bytes.Replace(testBody, []byte("1f2e3d4c-5b6a"), []byte("77777777-5b6a"), 1) // another session
	var mu sync.Mutex
	var handled [][]byte
	fail := true
	h := NewHandler(func(_ context.Context, e *Event) error {
		mu.Lock()
		defer mu.Unlock()
		handled = append(handled, e.Data)
		if fail {
			fail = false
			return errors.New("database down")
		}
		return nil
	}, testSecret)

	// The server's first attempt fails.
	first, err := Sign(&Event{ID: "dlv_revoke", Type: TypeSessionRevoked, Timestamp: time.Now(), Data: revoked}, FormTimestamp, testSecret)
	require.NoError(t, err)
	require.Equal(t, http.StatusInternalServerError, deliver(t, h, http.MethodPost, revoked, first).Code)

	// Another delivery, captured, is sent again under that ID.
	replay, err := Sign(&Event{ID: "dlv_other", Type: TypeSessionRevoked, Timestamp: time.Now(), Data: other}, FormTimestamp, testSecret)
	require.NoError(t, err)
	replay.Set(HeaderID, "dlv_revoke")
	deliver(t, h, http.MethodPost, other, replay)

	// The server's retry must reach Handle.
	retry, err := Sign(&Event{ID: "dlv_revoke", Type: TypeSessionRevoked, Timestamp: time.Now(), Attempt: 2, Data: revoked}, FormTimestamp, testSecret)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, revoked, retry).Code)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, handled)
	assert.Equal(t, string(revoked), string(handled[len(handled)-1]), "the retry of the failed delivery was answered 204 without being handled: the revocation is lost")
}
