package vaulttest

import (
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Handler is the Vault Sessions API as an http.Handler: it holds the
// users, sessions, recorded requests, rate-limit windows and pending
// faults of one server. Mount it at the root of an http.Server; it
// answers the API under /api/v1. Set the server's ConnState to
// Handler.ConnState to have ConnectionCount report its connections.
//
// A Handler is safe for concurrent use.
type Handler struct {
	cfg    config
	faults *Faults
	conns  atomic.Int64

	done      chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	frozen   bool
	now      time.Time
	users    map[string]*User
	sessions map[string]*Session // by ID
	tokens   map[string]*Session // by bearer token
	seq      int
	reqSeq   int
	requests []*Request
	windows  map[string]*window
}

// NewHandler returns a Handler with no users, configured by opts.
func NewHandler(opts ...Option) *Handler {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	return &Handler{
		cfg:      cfg,
		faults:   &Faults{},
		done:     make(chan struct{}),
		users:    make(map[string]*User),
		sessions: make(map[string]*Session),
		tokens:   make(map[string]*Session),
		windows:  make(map[string]*window),
	}
}

// Faults returns the handler's fault queue.
func (h *Handler) Faults() *Faults { return h.faults }

// ConnState counts the connections of the http.Server it is installed on;
// it has the signature of http.Server.ConnState.
func (h *Handler) ConnState(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		h.conns.Add(1)
	}
}

// ConnectionCount reports how many connections the server has accepted
// since it started, as seen by ConnState.
func (h *Handler) ConnectionCount() int { return int(h.conns.Load()) }

// Close ends the latency of every fault still waiting, so that a server
// shutting down does not wait for it. The handler keeps answering
// requests, without latency, after Close.
func (h *Handler) Close() {
	h.closeOnce.Do(func() { close(h.done) })
}

// ServeHTTP answers one request of the API.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := h.record(r)
	w.Header().Set("X-Request-Id", rec.ID)
	rt := matchRoute(r)

	defer h.logRequest(r, rec, start)
	f, ok := h.faults.take(r.Method, rt.pattern)
	if !ok {
		h.serveAPI(w, r, rec, rt, nil)
		return
	}
	h.setFault(rec)
	if h.serveFault(w, r, rec, rt, f) {
		h.serveAPI(w, r, rec, rt, &f)
	}
}

// serveAPI answers a request the way the real API does. The headers of
// fault, if not nil, replace the handler's own.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request, rec *Request, rt route, fault *Fault) {
	h.mu.Lock()
	now := h.nowLocked()
	rl := h.rateLocked(rateKey(r), now, true)
	res := h.resolveLocked(r, rt, now)
	if rl.exceeded {
		res = rateLimited(rl, now)
	} else if res.apply != nil {
		res.apply()
	}
	rec.Status = res.status
	h.mu.Unlock()

	hdr := w.Header()
	rl.setHeaders(hdr)
	for k, v := range res.header {
		hdr[k] = v
	}
	res.header = nil
	if fault != nil {
		setFaultHeaders(hdr, *fault)
	}
	writeResult(w, res)
}

func (h *Handler) setFault(rec *Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec.Fault = true
}

func (h *Handler) setStatus(rec *Request, status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec.Status = status
}

func (h *Handler) logRequest(r *http.Request, rec *Request, start time.Time) {
	if h.cfg.logger == nil {
		return
	}
	h.mu.Lock()
	status, fault := rec.Status, rec.Fault
	h.mu.Unlock()
	h.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("id", rec.ID),
		slog.String("method", r.Method),
		slog.String("path", r.URL.EscapedPath()),
		slog.Int("status", status),
		slog.Bool("fault", fault),
		slog.Duration("duration", time.Since(start)),
	)
}
