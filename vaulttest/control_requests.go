package vaulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The request log of the control API: read, filtered, counted, waited
// for, and emptied.

// requestFilterParams are the query parameters of a RequestFilter.
var requestFilterParams = []string{"method", "route", "status", "userId", "sessionId", "fault"}

// requestWaitParams are those of GET /requests/wait.
var requestWaitParams = append([]string{"count", "timeout"}, requestFilterParams...)

// filterParams names the query parameter of each RequestFilter field.
var filterParams = map[string]string{
	"Method": "method", "Route": "route", "Status": "status",
	"UserID": "userId", "SessionID": "sessionId", "Fault": "fault",
}

// defaultWaitTimeout is how long GET /requests/wait waits without a
// timeout parameter, at most half the server's write timeout.
const defaultWaitTimeout = 10 * time.Second

// controlRequest is a Request as the control API shows it, with its
// tokens hidden unless WithShowTokens.
type controlRequest struct {
	ID        string      `json:"id"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Query     string      `json:"query"`
	Header    http.Header `json:"header"`
	Time      time.Time   `json:"time"`
	Status    int         `json:"status"`
	Fault     bool        `json:"fault"`
	UserID    *string     `json:"userId"`
	SessionID *string     `json:"sessionId"`
	// FaultID comes last, as it came last to the log: a suite that
	// matches the text of an entry finds the members before it as they
	// were.
	FaultID *string `json:"faultId"`
}

func (h *Handler) newControlRequest(rec *record) controlRequest {
	path, query, header := rec.Path, rec.RawQuery, rec.Header
	if rec.hidden != nil {
		path, query, header = rec.hidden.path, rec.hidden.query, rec.hidden.header
	}
	header = header.Clone()
	if !h.cfg.showTokens {
		header = withoutCredentials(header)
	}
	if header == nil {
		header = http.Header{}
	}
	return controlRequest{
		ID:        rec.ID,
		Method:    rec.Method,
		Path:      path,
		Query:     query,
		Header:    header,
		Time:      rec.Time,
		Status:    rec.Status,
		Fault:     rec.Fault,
		FaultID:   nullable(rec.FaultID),
		UserID:    nullable(rec.UserID),
		SessionID: nullable(rec.SessionID),
	}
}

// withoutCredentials returns hdr with the credentials of its
// Authorization and Proxy-Authorization headers replaced by
// "[REDACTED]", their scheme kept.
func withoutCredentials(hdr http.Header) http.Header {
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		for i, v := range hdr[name] {
			// Only a known scheme before a space is kept: a value without
			// one may be the bare token.
			redacted := hidden
			if scheme, _, ok := strings.Cut(v, " "); ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic")) {
				redacted = scheme + " " + hidden
			}
			hdr[name][i] = redacted
		}
	}
	return hdr
}

// jsonStream is an answer written as it is encoded, so that a long
// request log is never held whole in memory twice.
type jsonStream func(w io.Writer) error

// A request list reads the log a part at a time: at most streamScan
// records, and as many of those that match as hold streamChunk bytes (at
// least one).
const (
	streamChunk = 32 << 10
	streamScan  = 4096
)

// requestList returns the answer listing the records of the log that m
// matches, oldest first, as a JSON array: those the log holds now, as
// they are when they are read. It copies them a part at a time under
// h.mu, then encodes and writes the part with h.mu released, so that the
// lock is held briefly and a client that reads slowly holds a part, not
// the log: a record the log drops, or a reset clears, before its turn is
// left out.
func (h *Handler) requestList(m *requestMatcher) jsonStream {
	h.mu.Lock()
	gen, last := h.gen, h.reqSeq
	h.mu.Unlock()
	return func(w io.Writer) error {
		var (
			buf    bytes.Buffer
			part   []record
			next   int
			listed int
		)
		buf.WriteByte('[')
		for more := true; more; {
			part, more = h.nextPart(part[:0], m, gen, last, &next)
			for i := range part {
				if listed > 0 {
					buf.WriteByte(',')
				}
				listed++
				b, err := json.Marshal(h.newControlRequest(&part[i]))
				if err != nil {
					return err
				}
				buf.Write(b)
			}
			clear(part) // let go of the records while the part is written
			if !more {
				buf.WriteString("]\n")
			}
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
		return nil
	}
}

// nextPart appends to part copies of the records of the log of the
// generation gen that m matches, from the one numbered *next up to the
// one numbered last, within the bounds of a part; it moves *next past
// the records it read, and reports whether any are left to read.
func (h *Handler) nextPart(part []record, m *requestMatcher, gen uint64, last int, next *int) ([]record, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen != gen {
		return part, false
	}
	size, scanned := 0, 0
	for _, rec := range h.requests.from(*next) {
		if rec.seq > last {
			return part, false
		}
		if size >= streamChunk || scanned >= streamScan {
			return part, true
		}
		*next = rec.seq + 1
		scanned++
		if m.match(rec) {
			part = append(part, *rec)
			size += rec.size
		}
	}
	return part, false
}

// filter returns the RequestFilter of the query of c, checked.
func (c *controlCall) filter() (requestMatcher, error) {
	f := RequestFilter{
		Method:    c.q.get("method"),
		Route:     c.q.get("route"),
		UserID:    c.q.get("userId"),
		SessionID: c.q.get("sessionId"),
		Fault:     c.q.get("fault"),
	}
	if s := c.q.get("status"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			ce := badRequest("query parameter \"status\" %q is not an HTTP status, such as 503", s)
			ce.Field = "status"
			return requestMatcher{}, ce
		}
		f.Status = n
	}
	m, err := f.matcher()
	if err != nil {
		fe := err.(*FilterError)
		ce := badRequest("query parameter %q: %s", filterParams[fe.Field], fe.Reason)
		ce.Field, ce.Route = filterParams[fe.Field], fe.Route
		return m, ce
	}
	return m, nil
}

func (h *Handler) controlRequests(c *controlCall) (int, any, error) {
	m, err := c.filter()
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, h.requestList(&m), nil
}

type controlCount struct {
	Count int `json:"count"`
}

func (h *Handler) controlCountRequests(c *controlCall) (int, any, error) {
	m, err := c.filter()
	if err != nil {
		return 0, nil, err
	}
	h.mu.Lock()
	n := 0
	for _, rec := range h.requests.all() {
		if m.match(rec) {
			n++
		}
	}
	h.mu.Unlock()
	return http.StatusOK, controlCount{Count: n}, nil
}

// controlWaitRequests answers the requests that match, once there are at
// least count of them, or 408 once the time-out has passed.
func (h *Handler) controlWaitRequests(c *controlCall) (int, any, error) {
	m, err := c.filter()
	if err != nil {
		return 0, nil, err
	}
	n := 1
	if s := c.q.get("count"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			ce := badRequest("query parameter \"count\" %q: the number of requests to wait for, at least 1", s)
			ce.Field = "count"
			return 0, nil, ce
		}
	}
	if most := h.cfg.requestLog; most > 0 && n > most {
		// The log would drop the oldest match before the last arrived:
		// the wait could end only by its time-out.
		ce := badRequest("query parameter \"count\" %d: the request log keeps the newest %d requests; wait for at most %d", n, most, most)
		ce.Field = "count"
		return 0, nil, ce
	}
	wt := h.cfg.control.WriteTimeout
	timeout := defaultWaitTimeout
	if wt > 0 && wt <= 2*defaultWaitTimeout {
		timeout = wt / 2
	}
	if s := c.q.get("timeout"); s != "" {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil || d <= 0:
			err = fmt.Errorf("query parameter \"timeout\" %q: a positive duration such as \"5s\"", s)
		case outlasts(d, wt):
			err = fmt.Errorf("query parameter \"timeout\" %s: %s", d, outlastsReason(wt))
		}
		if err != nil {
			ce := badRequest("%v", err)
			ce.Field = "timeout"
			return 0, nil, ce
		}
		timeout = d
	}
	ctx, cancel := context.WithTimeout(c.r.Context(), timeout)
	defer cancel()
	go func() {
		select {
		case <-h.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := h.waitMatching(ctx, &m, n); err != nil {
		we := &waitError{n: n}
		errors.As(err, &we)
		return 0, nil, &controlError{status: http.StatusRequestTimeout, Code: "TIMEOUT",
			Message: fmt.Sprintf("after %s, the request log holds %d of the %d matching requests waited for%s", timeout, we.got, n, we.droppedNote())}
	}
	return http.StatusOK, h.requestList(&m), nil
}

func (h *Handler) controlClearRequests(*controlCall) (int, any, error) {
	h.ResetRequests()
	return http.StatusNoContent, nil, nil
}
