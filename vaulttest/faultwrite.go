package vaulttest

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

const proxyPage = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

const loginPage = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to continue</title></head>
<body>
<form method="post" action="/login">
<label>Email <input type="email" name="email"></label>
<button type="submit">Continue</button>
</form>
</body>
</html>
`

// serveFault answers r with the fault f; first reports whether r is the
// first request of its connection. It reports whether the request is
// still to be served normally.
func (h *Handler) serveFault(w http.ResponseWriter, r *http.Request, rec *record, rt route, f Fault, first bool) bool {
	if !h.delay(w, r, rec, f.Latency) {
		return false
	}
	switch f.Action {
	case Respond:
		if f.Status == 0 {
			return true
		}
		h.writeFaultJSON(w, r, rec, f)
	case ResetBeforeResponse:
		h.setStatus(rec, 0)
		resetBeforeResponse(w, first, h.preview(r, rt).status)
	case ApplyThenReset:
		resetBeforeResponse(w, first, h.answer(r, rec, rt, 0).status)
	case ResetMidBody:
		res := h.preview(r, rt)
		h.setStatus(rec, statusOr(f.Status, res.status))
		resetMidBody(w, res, f)
	case ApplyThenCutBody:
		res := h.answer(r, rec, rt, f.Status)
		resetMidBody(w, res, f)
	case TruncateBody:
		res := h.preview(r, rt)
		status := statusOr(f.Status, res.status)
		body := res.encode()
		body = body[:len(body)/2]
		h.setStatus(rec, status)
		hdr := w.Header()
		for k, v := range res.header {
			hdr[k] = v
		}
		setFaultHeaders(hdr, f)
		hdr.Set("Content-Type", "application/json")
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	case ProxyHTML:
		h.writeHTML(w, rec, f, http.StatusBadGateway, proxyPage)
	case HTMLBody:
		h.writeHTML(w, rec, f, http.StatusOK, loginPage)
	default:
		panic(fmt.Sprintf("vaulttest: unknown fault action %v", f.Action))
	}
	return false
}

// resetBeforeResponse resets the connection of w. Unless the request is
// the first of its connection, it first sends the status line of status:
// a client that received nothing on a reused connection may take the
// failure for a stale idle connection and replay the request, which
// would hide the fault. A status line is not a response, which needs
// its header, and unlike a partial line it makes clients report the
// reset itself.
func resetBeforeResponse(w http.ResponseWriter, first bool, status int) {
	if first {
		hijackAndReset(w, nil)
		return
	}
	hijackAndReset(w, func(bw *bufio.Writer) { writeStatusLine(bw, status) })
}

func writeStatusLine(bw *bufio.Writer, status int) {
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
}

// resetMidBody sends the status line of res, or of f.Status, the
// headers of res, w and f with the full Content-Length and half of the
// body, then resets the connection.
func resetMidBody(w http.ResponseWriter, res result, f Fault) {
	status := statusOr(f.Status, res.status)
	body := res.encode()
	hdr := w.Header().Clone()
	for k, v := range res.header {
		hdr[k] = v
	}
	setFaultHeaders(hdr, f)
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	hijackAndReset(w, func(bw *bufio.Writer) {
		writeStatusLine(bw, status)
		_ = hdr.Write(bw)
		_, _ = bw.WriteString("\r\n")
		_, _ = bw.Write(body[:len(body)/2])
	})
}

// wait sleeps for d and reports whether the request is still wanted:
// false if its context ended first. Closing the handler, and a reset
// after the request arrived, end the wait.
// delay waits d, if positive, before r is answered. It reports whether
// r is still to be answered: not when its context ended, nor when the
// handler was reset while it waited, which delay answers as a request
// served then, changing nothing.
func (h *Handler) delay(w http.ResponseWriter, r *http.Request, rec *record, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	if !h.wait(r, rec, d) {
		return false
	}
	if h.stale(rec) {
		h.setStatus(rec, http.StatusServiceUnavailable)
		writeResult(w, staleResult())
		return false
	}
	return true
}

func (h *Handler) wait(r *http.Request, rec *record, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-h.done:
		return true
	case <-rec.cut:
		return true
	case <-r.Context().Done():
		return false
	}
}

// preview returns the answer r would get, without changing any state
// and without counting r against the rate limit. Its header holds the
// rate-limit headers and any the answer has of its own.
func (h *Handler) preview(r *http.Request, rt route) result {
	h.mu.Lock()
	now := h.nowLocked()
	res := h.resolveLocked(r, rt, now)
	rl := h.rateLocked(rateKey(r), now, false)
	h.mu.Unlock()
	res.apply = nil
	return res.withRate(rl)
}

// peekRate returns the rate-limit state of r without counting it.
func (h *Handler) peekRate(r *http.Request) rateState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rateLocked(rateKey(r), h.nowLocked(), false)
}

func (h *Handler) writeFaultJSON(w http.ResponseWriter, r *http.Request, rec *record, f Fault) {
	hdr := w.Header()
	h.peekRate(r).setHeaders(hdr)
	h.setStatus(rec, f.Status)
	if f.Body != nil {
		writeFaultBody(w, f, f.Status, "application/json", f.Body)
		return
	}
	code := f.Code
	if code == "" {
		code = codeForStatus(f.Status)
	}
	msg := http.StatusText(f.Status)
	if msg == "" {
		msg = "Injected failure"
	}
	res := errorResult(f.Status, code, msg)
	writeFaultBody(w, f, f.Status, "application/json", res.encode())
}

func (h *Handler) writeHTML(w http.ResponseWriter, rec *record, f Fault, status int, page string) {
	status = statusOr(f.Status, status)
	body := []byte(page)
	if f.Body != nil {
		body = f.Body
	}
	h.setStatus(rec, status)
	writeFaultBody(w, f, status, "text/html; charset=utf-8", body)
}

// writeFaultBody answers with status and body, of the content type ct
// unless the fault's Header sets one.
func writeFaultBody(w http.ResponseWriter, f Fault, status int, ct string, body []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", ct)
	setFaultHeaders(hdr, f)
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func setFaultHeaders(hdr http.Header, f Fault) {
	for k, v := range f.Header {
		hdr[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	if f.RetryAfter != "" {
		hdr.Set("Retry-After", f.RetryAfter)
	}
}

func statusOr(status, def int) int {
	if status != 0 {
		return status
	}
	return def
}

// hijackAndReset takes over the connection of w, lets write send raw
// bytes on it if write is not nil, and resets the connection. If the
// connection cannot be taken over (HTTP/2), the handler aborts, which
// closes the stream without a response.
func hijackAndReset(w http.ResponseWriter, write func(*bufio.Writer)) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, brw, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if write != nil {
		write(brw.Writer)
		_ = brw.Flush()
	}
	resetConn(conn)
}

// resetConn closes c so that the peer sees a connection reset rather
// than an orderly close.
func resetConn(c net.Conn) {
	raw := c
	if nc, ok := c.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn()
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = raw.Close()
}
