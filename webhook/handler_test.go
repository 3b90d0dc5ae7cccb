package webhook

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deliver sends one delivery to h and returns the answer's status.
func deliver(t *testing.T, h http.Handler, method string, body []byte, header http.Header) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, "/webhooks/vault", bytes.NewReader(body))
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func signedNow(t *testing.T, id string, body []byte, secret string) http.Header {
	t.Helper()
	h, err := Sign(&Event{ID: id, Type: TypeSessionRevoked, Timestamp: time.Now(), Data: body}, FormTimestamp, secret)
	require.NoError(t, err)
	return h
}

func TestHandlerAnswers(t *testing.T) {
	big := bytes.Repeat([]byte("x"), MaxBodyBytes+1)
	atLimit := append([]byte(`{"pad":"`), bytes.Repeat([]byte("x"), MaxBodyBytes-10)...)
	atLimit = append(atLimit, '"', '}')
	require.Len(t, atLimit, MaxBodyBytes)
	for _, tc := range []struct {
		name       string
		method     string
		body       []byte
		header     http.Header
		handleErr  error
		wantStatus int
		wantCalled bool
	}{
		{name: "verified", method: http.MethodPost, body: testBody, header: signedNow(t, "a", testBody, testSecret), wantStatus: http.StatusNoContent, wantCalled: true},
		{name: "a body of exactly 1 MiB", method: http.MethodPost, body: atLimit, header: signedNow(t, "a", atLimit, testSecret), wantStatus: http.StatusNoContent, wantCalled: true},
		{name: "GET", method: http.MethodGet, header: signedNow(t, "a", nil, testSecret), wantStatus: http.StatusMethodNotAllowed},
		{name: "PUT", method: http.MethodPut, body: testBody, header: signedNow(t, "a", testBody, testSecret), wantStatus: http.StatusMethodNotAllowed},
		{name: "body over 1 MiB", method: http.MethodPost, body: big, header: signedNow(t, "a", big, testSecret), wantStatus: http.StatusRequestEntityTooLarge},
		{name: "wrong secret", method: http.MethodPost, body: testBody, header: signedNow(t, "a", testBody, oldSecret), wantStatus: http.StatusBadRequest},
		{name: "tampered body", method: http.MethodPost, body: bytes.ToUpper(testBody), header: signedNow(t, "a", testBody, testSecret), wantStatus: http.StatusBadRequest},
		{name: "no signature", method: http.MethodPost, body: testBody, header: http.Header{HeaderID: {"a"}}, wantStatus: http.StatusBadRequest},
		{name: "stale", method: http.MethodPost, body: testBody, header: signedTS(time.Now().Add(-10*time.Minute), testSecret, testBody), wantStatus: http.StatusBadRequest},
		{name: "handle fails", method: http.MethodPost, body: testBody, header: signedNow(t, "a", testBody, testSecret), handleErr: errors.New("database down"), wantStatus: http.StatusInternalServerError, wantCalled: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			h := NewHandler(func(ctx context.Context, e *Event) error {
				called = true
				require.NotNil(t, ctx)
				assert.Equal(t, string(tc.body), string(e.Data))
				return tc.handleErr
			}, testSecret)
			w := deliver(t, h, tc.method, tc.body, tc.header)
			assert.Equal(t, tc.wantStatus, w.Code)
			assert.Equal(t, tc.wantCalled, called)
			if tc.wantStatus == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, w.Header().Get("Allow"))
			}
			assert.NotContains(t, w.Body.String(), "database down", "Handle's error is not sent back")
			assert.NotContains(t, w.Body.String(), testSecret)
		})
	}
}

func TestHandlerMisconfigured(t *testing.T) {
	ok := func(context.Context, *Event) error { return nil }
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{
		{name: "no secret", h: NewHandler(ok)},
		{name: "only empty secrets", h: NewHandler(ok, "", "")},
		{name: "nil handle", h: NewHandler(nil, testSecret)},
		{name: "negative tolerance", h: &Handler{Handle: ok, Verifier: Verifier{Secrets: []string{testSecret}, Tolerance: -1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := deliver(t, tc.h, http.MethodPost, testBody, signedNow(t, "a", testBody, testSecret))
			assert.Equal(t, http.StatusInternalServerError, w.Code, "the sender should try again once the receiver is fixed")
		})
	}
}

func TestHandlerDuplicates(t *testing.T) {
	var calls atomic.Int32
	fail := atomic.Bool{}
	h := NewHandler(func(context.Context, *Event) error {
		calls.Add(1)
		if fail.Load() {
			return errors.New("try later")
		}
		return nil
	}, testSecret)

	// A failure is not remembered: the retry is handled.
	fail.Store(true)
	header := signedNow(t, "d1", testBody, testSecret)
	assert.Equal(t, http.StatusInternalServerError, deliver(t, h, http.MethodPost, testBody, header).Code)
	fail.Store(false)
	header.Set(HeaderAttempt, "2")
	assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, header).Code)
	assert.EqualValues(t, 2, calls.Load())

	// A success is: the next copy is answered without a call, whatever
	// its attempt, form or timestamp.
	header.Set(HeaderAttempt, "3")
	assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, header).Code)
	idForm, err := Sign(&Event{ID: "d1", Type: TypeSessionRevoked, Timestamp: time.Now(), Data: testBody}, FormID, testSecret)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, idForm).Code)
	assert.EqualValues(t, 2, calls.Load())

	// A copy that does not verify is still refused.
	assert.Equal(t, http.StatusBadRequest, deliver(t, h, http.MethodPost, testBody, signedNow(t, "d1", testBody, oldSecret)).Code)

	// Another ID is handled.
	assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, signedNow(t, "d2", testBody, testSecret)).Code)
	assert.EqualValues(t, 3, calls.Load())
}

func TestHandlerRemembersABoundedNumber(t *testing.T) {
	var calls atomic.Int32
	h := &Handler{
		Verifier: Verifier{Secrets: []string{testSecret}},
		Handle:   func(context.Context, *Event) error { calls.Add(1); return nil },
		Remember: 3,
	}
	send := func(id string) {
		assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, signedNow(t, id, testBody, testSecret)).Code)
	}
	for _, id := range []string{"a", "b", "c", "a", "b", "c"} {
		send(id)
	}
	assert.EqualValues(t, 3, calls.Load(), "three IDs fit")
	send("d") // forgets a
	assert.EqualValues(t, 4, calls.Load())
	send("b")
	send("a")
	assert.EqualValues(t, 5, calls.Load(), "a was forgotten, b was not")
	assert.Len(t, h.seen.done, 3)
	assert.Len(t, h.seen.ring, 3)

	// Remember < 0: every copy is handled.
	calls.Store(0)
	none := &Handler{Verifier: h.Verifier, Handle: h.Handle, Remember: -1}
	for range 3 {
		deliver(t, none, http.MethodPost, testBody, signedNow(t, "a", testBody, testSecret))
	}
	assert.EqualValues(t, 3, calls.Load())

	// A delivery without an ID is always handled.
	calls.Store(0)
	noID := signedTS(time.Now(), testSecret, testBody)
	noID.Del(HeaderID)
	for range 2 {
		assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, noID).Code)
	}
	assert.EqualValues(t, 2, calls.Load())
}

func TestHandlerConcurrentCopiesHandledOnce(t *testing.T) {
	var calls atomic.Int32
	entered := make(chan struct{})
	proceed := make(chan struct{})
	h := NewHandler(func(context.Context, *Event) error {
		if calls.Add(1) == 1 {
			close(entered)
			<-proceed
		}
		return nil
	}, testSecret)
	srv := httptest.NewServer(h)
	defer srv.Close()

	post := func() int {
		req, err := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(testBody))
		require.NoError(t, err)
		req.Header = signedNow(t, "same", testBody, testSecret)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	var wg sync.WaitGroup
	statuses := make([]int, 4)
	wg.Go(func() { statuses[0] = post() })
	<-entered
	for i := 1; i < len(statuses); i++ {
		wg.Go(func() { statuses[i] = post() })
	}
	close(proceed)
	wg.Wait()
	assert.Equal(t, []int{204, 204, 204, 204}, statuses)
	assert.EqualValues(t, 1, calls.Load())
}

func TestHandlerPanicForgetsTheID(t *testing.T) {
	var calls atomic.Int32
	h := NewHandler(func(context.Context, *Event) error {
		if calls.Add(1) == 1 {
			panic("bug")
		}
		return nil
	}, testSecret)
	header := signedNow(t, "p", testBody, testSecret)
	assert.Panics(t, func() { deliver(t, h, http.MethodPost, testBody, header) })
	assert.Equal(t, http.StatusNoContent, deliver(t, h, http.MethodPost, testBody, header).Code)
	assert.EqualValues(t, 2, calls.Load(), "the delivery after the panic is handled, not taken for a success")
}

func TestHandlerWaitingCopyGivesUp(t *testing.T) {
	entered := make(chan struct{})
	proceed := make(chan struct{})
	h := NewHandler(func(context.Context, *Event) error {
		close(entered)
		<-proceed
		return nil
	}, testSecret)
	header := signedNow(t, "w", testBody, testSecret)
	done := make(chan struct{})
	go func() {
		defer close(done)
		deliver(t, h, http.MethodPost, testBody, header)
	}()
	<-entered
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(testBody))
	r.Header = header
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	close(proceed)
	<-done
}

func TestHandlerLogsWithoutSecrets(t *testing.T) {
	var buf bytes.Buffer
	h := &Handler{
		Verifier: Verifier{Secrets: []string{testSecret}},
		Handle:   func(context.Context, *Event) error { return errors.New("store unavailable") },
		Logger:   slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	bad := signedNow(t, "l1", testBody, oldSecret)
	good := signedNow(t, "l2", testBody, testSecret)
	deliver(t, h, http.MethodPost, testBody, bad)
	deliver(t, h, http.MethodPost, testBody, good)
	logged := buf.String()
	assert.Contains(t, logged, "level=INFO")
	assert.Contains(t, logged, "id=l1")
	assert.Contains(t, logged, "level=WARN")
	assert.Contains(t, logged, "store unavailable")
	for _, secret := range []string{testSecret, oldSecret, bad.Get(HeaderSignature)[3:], good.Get(HeaderSignature)[3:]} {
		assert.NotContains(t, logged, secret)
	}
	assert.Equal(t, 2, strings.Count(logged, "webhook: delivery refused"))
}

// TestHandlerLogsUnsignedHeadersShortened sends a delivery whose
// unsigned ID and event headers are long, and checks that the Logger's
// record holds their start only, so that a sender cannot fill the
// service's logs with headers it chose.
func TestHandlerLogsUnsignedHeadersShortened(t *testing.T) {
	var buf bytes.Buffer
	h := &Handler{
		Verifier: Verifier{Secrets: []string{testSecret}},
		Handle:   func(context.Context, *Event) error { return nil },
		Logger:   slog.New(slog.NewTextHandler(&buf, nil)),
	}
	long := strings.Repeat("é", 100*1000)
	header := signedNow(t, "l1", testBody, oldSecret)
	header.Set(HeaderID, long)
	header.Set(HeaderEvent, long)
	deliver(t, h, http.MethodPost, testBody, header)
	logged := buf.String()
	require.Contains(t, logged, "webhook: delivery refused")
	assert.Less(t, len(logged), 1000, "the record: %.300s", logged)
	assert.Contains(t, logged, strings.Repeat("é", maxLoggedHeader/2)+"…", "the start of each, cut at a whole character")
	assert.True(t, utf8.ValidString(logged))
}
