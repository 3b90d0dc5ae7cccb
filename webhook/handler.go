package webhook

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"unicode/utf8"
)

// MaxBodyBytes is the largest delivery a [Handler] reads: the server
// refuses to send an event over 1 MiB.
const MaxBodyBytes = 1 << 20

// Handler is an http.Handler that receives deliveries: it verifies each
// with Verifier, then calls Handle with the event.
//
// It answers:
//   - 405, with Allow: POST, to any method but POST;
//   - 413 to a body over MaxBodyBytes;
//   - 400 to a delivery that does not verify (Parse's error matches
//     ErrInvalidSignature or ErrStaleTimestamp); Handle is not called;
//   - 500 when Handle returns an error, so that the server delivers
//     again, and when the Handler is misconfigured (no secret, no Handle,
//     a negative tolerance);
//   - 204 when Handle returns nil, and to a copy of a delivery handled
//     successfully before, without calling Handle again.
//
// A copy is a delivery with the same X-Webhook-ID and the same body: the
// server sends every attempt of a delivery so, and the timestamp form
// does not sign the ID, so the ID alone could be put on another delivery
// to have a failed one's retry answered unhandled. The Handler remembers
// the last Remember deliveries it handled successfully
// ([DefaultRemember] when 0), each as a 32-byte digest of its ID and body
// (about 100 bytes with its bookkeeping, whatever the ID's and body's
// length: about 1 MB at the default); a delivery forgotten since is
// handled again, so Handle must still be idempotent. A copy that arrives
// while the first is being handled waits for it. A delivery without an
// ID is always handled.
//
// A Handler bounds a body's size, not the time it takes to arrive: the
// http.Server it is mounted on does, with ReadTimeout (the whole request;
// the server waits 30 seconds for an answer, so a delivery slower than
// that has failed already) and ReadHeaderTimeout. Without them, a client
// sending its body a byte at a time holds a connection and a goroutine
// for as long as it likes.
//
// Answer bodies never hold a secret, a signature or Handle's error. A
// Handler must not be copied after first use.
type Handler struct {
	// Verifier verifies each delivery.
	Verifier Verifier
	// Handle is called with each verified event and the request's
	// context. It should return quickly: the server waits at most 30
	// seconds for the answer.
	Handle func(context.Context, *Event) error
	// Remember is how many handled deliveries are remembered, at about
	// 100 bytes each; 0 means DefaultRemember, a negative value remembers
	// none.
	Remember int
	// Logger, when set, gets a record for every delivery refused or
	// failed: the reason and the delivery's ID and type, their first 128
	// bytes only, never a secret or a signature.
	Logger *slog.Logger

	seen seen
}

// NewHandler returns a [*Handler] that verifies each delivery with any of
// the secrets, as [Parse] does, and calls handle with its event. See
// Handler for what it answers. It reads at most [MaxBodyBytes] of a body
// but sets no time limit: mount it on an http.Server whose ReadTimeout
// and ReadHeaderTimeout bound a slow body, as the server example shows.
func NewHandler(handle func(context.Context, *Event) error, secrets ...string) http.Handler {
	return &Handler{Handle: handle, Verifier: Verifier{Secrets: secrets}}
}

// ServeHTTP receives one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhook: only POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, "webhook: body over 1 MiB", err)
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "webhook: body not read", err)
		return
	}
	if h.Handle == nil {
		h.refuse(w, r, http.StatusInternalServerError, "webhook: no handler", errors.New("webhook: Handler.Handle is nil"))
		return
	}
	e, err := h.Verifier.Parse(body, r.Header)
	switch {
	case errors.Is(err, ErrNoSecret):
		h.refuse(w, r, http.StatusInternalServerError, "webhook: receiver misconfigured", err)
		return
	case errors.Is(err, ErrInvalidSignature), errors.Is(err, ErrStaleTimestamp):
		h.refuse(w, r, http.StatusBadRequest, "webhook: delivery not verified", err)
		return
	case err != nil:
		h.refuse(w, r, http.StatusInternalServerError, "webhook: receiver misconfigured", err)
		return
	}

	succeeded := false
	if e.ID != "" && h.Remember >= 0 {
		limit := h.Remember
		if limit == 0 {
			limit = DefaultRemember
		}
		key := keyOf(e.ID, e.Data)
		handled, err := h.seen.claim(r.Context(), key, limit)
		if err != nil {
			h.refuse(w, r, http.StatusServiceUnavailable, "webhook: gone while a copy was handled", err)
			return
		}
		if handled {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// Deferred, so that a panicking Handle releases the ID too.
		defer func() { h.seen.release(key, succeeded) }()
	}
	if err := h.Handle(r.Context(), e); err != nil {
		h.refuse(w, r, http.StatusInternalServerError, "webhook: handler failed", err)
		return
	}
	succeeded = true
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, answer string, err error) {
	if h.Logger != nil {
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelWarn
		}
		h.Logger.LogAttrs(r.Context(), level, "webhook: delivery refused",
			slog.Int("status", status),
			slog.String("id", shorten(r.Header.Get(HeaderID))),
			slog.String("event", shorten(r.Header.Get(HeaderEvent))),
			slog.String("error", err.Error()))
	}
	http.Error(w, answer, status)
}

// maxLoggedHeader is the most bytes of an unsigned header a log record
// holds: the sender chose them.
const maxLoggedHeader = 128

// shorten returns s cut to at most maxLoggedHeader bytes at a whole
// character, with "…" after it if it was cut.
func shorten(s string) string {
	if len(s) <= maxLoggedHeader {
		return s
	}
	cut := maxLoggedHeader
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
