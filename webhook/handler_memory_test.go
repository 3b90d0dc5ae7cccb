package webhook

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHandlerMemoryOfIDsIsBoundedInBytes holds the memory of handled IDs
// to its documented bound whatever IDs a sender picks. The guide and
// DefaultRemember promise about 100 bytes an ID, about 1 MB in all, but
// the bound counts IDs, not bytes, and in the timestamp form X-Webhook-ID
// is not signed: whoever replays one captured delivery within the five
// minutes (or the server, with IDs longer than its UUIDs) can give each
// copy a fresh ID as long as the HTTP server's header limit (1 MiB by
// default), and the Handler keeps every one. Sixty-four copies with IDs
// of 512 KiB pin 32 MiB; ten thousand would pin 5 GB.
func TestHandlerMemoryOfIDsIsBoundedInBytes(t *testing.T) {
	const (
		copies = 64
		idLen  = 512 << 10
		// The documented bound of a full memory, DefaultRemember IDs of
		// about 100 bytes, with room to spare.
		limit = 8 << 20
	)
	h := &Handler{
		Verifier: Verifier{Secrets: []string{testSecret}},
		Handle:   func(context.Context, *Event) error { return nil },
	}
	header := signedTS(time.Now(), testSecret, testBody) // one delivery, signed once

	before := heapInUse()
	for i := range copies {
		id := strconv.Itoa(i) + "-" + strings.Repeat("x", idLen)
		header.Set(HeaderID, id)
		// Handled (204) today; a Handler that refuses such an ID, or
		// remembers it in fewer bytes, passes as well.
		require.NotEqual(t, http.StatusInternalServerError, deliver(t, h, http.MethodPost, testBody, header).Code)
	}
	grown := heapInUse() - before
	runtime.KeepAlive(h)
	assert.Less(t, grown, int64(limit), "the memory of %d handled IDs holds %d MiB", copies, grown>>20)
}

func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
