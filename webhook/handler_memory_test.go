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

// TestHandlerMemoryOfIDsIsBoundedInBytes holds the memory of handled
// deliveries to its documented bound whatever IDs a sender picks: about
// 100 bytes a delivery, about 1 MB in all. In the timestamp form
// X-Webhook-ID is not signed: whoever replays one captured delivery
// within the five minutes (or a server with IDs longer than UUIDs) can
// give each copy a fresh ID as long as the HTTP server's header limit
// (1 MiB by default). A memory that kept the IDs would pin 32 MiB for
// sixty-four copies with IDs of 512 KiB, and 5 GB for ten thousand.
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

// TestHandlerFullMemoryIsAboutOneMB holds a full memory of
// DefaultRemember deliveries to the bound DefaultRemember documents,
// about 100 bytes a delivery, whatever the IDs' and bodies' length: here
// IDs of 4 KiB, which the memory would hold as 40 MB if it kept them.
func TestHandlerFullMemoryIsAboutOneMB(t *testing.T) {
	h := &Handler{
		Verifier: Verifier{Secrets: []string{testSecret}},
		Handle:   func(context.Context, *Event) error { return nil },
	}
	header := signedTS(time.Now(), testSecret, testBody)
	long := strings.Repeat("x", 4<<10)
	before := heapInUse()
	for i := range DefaultRemember {
		header.Set(HeaderID, strconv.Itoa(i)+long)
		require.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, header).Code)
	}
	grown := heapInUse() - before
	runtime.KeepAlive(h)
	require.Len(t, h.seen.done, DefaultRemember)
	assert.Less(t, grown, int64(2<<20), "a full memory holds %d bytes", grown)
}

func heapInUse() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
