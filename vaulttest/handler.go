package vaulttest

import (
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Handler is the Vault Sessions API as an http.Handler: it holds the
// users, sessions, recorded requests, rate-limit windows and pending
// faults of one server. Mount it at the root of an http.Server; it
// answers the API under /api/v1. Set the server's ConnState to
// Handler.ConnState to have ConnectionCount report its connections and
// the reset faults tell a connection's first request (see
// ResetBeforeResponse).
//
// A Handler is safe for concurrent use.
type Handler struct {
	cfg      config
	faults   *Faults
	conns    conns
	webhooks *webhooks

	done      chan struct{}
	closeOnce sync.Once
	// gate is held for reading while a request is admitted: recorded,
	// matched with a fault. Reset holds it for writing, so that a
	// request is admitted wholly before a reset or wholly after it.
	gate sync.RWMutex

	mu sync.Mutex
	// gen counts the resets; cut is closed when the generation ends.
	gen uint64
	cut chan struct{}
	// The clock: frozen at now, or running: from runFrom since cfg.clock
	// read runAt, or with cfg.clock while runAt is zero.
	frozen   bool
	now      time.Time
	runFrom  time.Time
	runAt    time.Time
	users    map[string]*User
	sessions map[string]*Session // by ID
	tokens   map[string]*Session // by bearer token
	// sessionless holds the tokens without a session, by token, with
	// their user's ID.
	sessionless map[string]string
	seq         int
	reissued    int // of the last token of reissuedToken
	reqSeq      int
	requests    requestLog
	// waits are the pending waits for requests of the log.
	waits   map[*requestWait]struct{}
	windows map[string]*window
	// windowSweepAt is the number of windows at which the next sweep
	// of expired ones is due.
	windowSweepAt int
	// signing is the state of WithSignedTokens, or nil.
	signing *signing
	// auth holds the refresh tokens and the expiry of opaque tokens.
	auth *authState
	// retired holds the tokens of before the resets, which the logs go
	// on hiding; tokenLens the lengths of every token, current or
	// retired, for the redactor to look for, and folded their forms in
	// lower case, for a header name.
	retired   retiredTokens
	tokenLens map[int]struct{}
	folded    foldedTokens
}

// NewHandler returns a Handler with no users, configured by opts.
func NewHandler(opts ...Option) *Handler {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	h := &Handler{
		cfg:         cfg,
		faults:      &Faults{},
		conns:       conns{served: make(map[string]int)},
		done:        make(chan struct{}),
		users:       make(map[string]*User),
		sessions:    make(map[string]*Session),
		tokens:      make(map[string]*Session),
		sessionless: make(map[string]string),
		windows:     make(map[string]*window),
		requests:    requestLog{maxEntries: cfg.requestLog, maxBytes: cfg.requestLogBytes},
		cut:         make(chan struct{}),
		signing:     newSigning(cfg.signedTokens),
		auth:        newAuthState(),
	}
	wh, err := newWebhooks(cfg)
	if err != nil {
		panic("vaulttest: " + err.Error())
	}
	h.webhooks = wh
	h.seed()
	return h
}

// Faults returns the handler's fault queue.
func (h *Handler) Faults() *Faults { return h.faults }

// Close ends the latency of every fault still waiting, so that a server
// shutting down does not wait for it, and stops delivering webhooks: the
// deliveries still pending fail, and Close waits for the goroutines that
// sent them, those of endpoints removed before included. The handler keeps answering requests, without latency and
// without webhooks, after Close.
func (h *Handler) Close() {
	h.closeOnce.Do(func() { close(h.done) })
	h.webhooks.close()
}

// ServeHTTP answers one request of the API, or of the control API of
// WithControlAPI.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	first := h.conns.firstOnConn(r)
	if h.signing != nil && r.URL.Path == JWKSPath {
		h.signing.serveJWKS(w, r)
		return
	}
	if h.cfg.control != nil && isControlPath(r.URL.EscapedPath()) {
		h.serveControl(w, r)
		return
	}
	rt := matchRoute(r)
	if rt.pattern == patternRefresh {
		r = withRefreshRequest(r) // its body, read before any lock
	}
	h.gate.RLock()
	// The fault is matched first, so that the record enters the log
	// with it: a wait for requests without a fault never sees one
	// that has.
	t := h.target(r, rt)
	f, faultID, faulted := h.faults.take(t)
	rec := h.record(r, t, faultID)
	h.gate.RUnlock()
	if h.cfg.dialect == DialectSpec {
		w.Header().Set("X-Request-Id", rec.ID)
	}

	defer h.logRequest(r, rec, start)
	if !faulted {
		if h.delay(w, r, rec, h.cfg.latency) {
			h.serveAPI(w, r, rec, rt, nil)
		}
		return
	}
	f.Latency += h.cfg.latency
	if h.serveFault(w, r, rec, rt, f, first) {
		h.serveAPI(w, r, rec, rt, &f)
	}
}

// target returns what faults select r by, which is also who the request
// log says sent it: the user and session of its bearer token, or of a
// refresh sent without one, of its refresh token.
func (h *Handler) target(r *http.Request, rt route) target {
	t := target{method: r.Method, rt: rt}
	tok, ok := bearerToken(r)
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case ok:
		t.token = tok
		if s := h.tokens[tok]; s != nil {
			t.userID, t.sessionID = s.UserID, s.ID
		} else {
			t.userID = h.sessionless[tok]
		}
	case rt.found && rt.pattern == patternRefresh:
		if ref := h.auth.refresh[refreshRequestOf(r).token]; ref != nil {
			t.userID, t.sessionID = ref.session.UserID, ref.session.ID
		}
	}
	return t
}

// serveAPI answers a request the way the real API does. The headers of
// fault, if not nil, replace the handler's own.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request, rec *record, rt route, fault *Fault) {
	res := h.answer(r, rec, rt, 0)
	if fault != nil {
		setFaultHeaders(res.header, *fault)
	}
	writeResult(w, res)
}

// answer decides the answer to r the way the real API does, makes its
// state change, counts it against the rate limit and records its status,
// or shown if not zero: the status a fault sends instead.
// The answer's header holds the rate-limit headers and any the answer
// has of its own. A request that arrived before the last reset changes
// nothing and gets the answer of staleResult.
func (h *Handler) answer(r *http.Request, rec *record, rt route, shown int) result {
	h.mu.Lock()
	if rec.gen != h.gen {
		// Out of the log since the reset: no wait counts it.
		rec.Status = http.StatusServiceUnavailable
		h.mu.Unlock()
		return staleResult()
	}
	now := h.nowLocked()
	rl := h.rateLocked(rateKey(r), now, true)
	res := h.resolveLocked(r, rt, now)
	if rl.exceeded {
		res = rateLimited(rl, now)
	} else if res.apply != nil {
		res.apply()
	}
	res.apply = nil
	h.changeRecordLocked(rec, func(req *Request) { req.Status = statusOr(shown, res.status) })
	h.mu.Unlock()
	return res.withRate(rl)
}

// staleResult is the answer to a request that arrived before the last
// reset and had not been answered when it ran: the request changed
// nothing, and a retry is a request of the reset server.
func staleResult() result {
	return errorResult(http.StatusServiceUnavailable, CodeServiceUnavailable, MessageReset)
}

// MessageReset is the message of the 503 answer to a request that was
// in flight when the handler was reset.
const MessageReset = "The server was reset while the request was in flight; the request changed nothing"

// stale reports whether rec arrived before the last reset.
func (h *Handler) stale(rec *record) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return rec.gen != h.gen
}

func (h *Handler) setStatus(rec *record, status int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.changeRecordLocked(rec, func(req *Request) { req.Status = status })
}

func (h *Handler) logRequest(r *http.Request, rec *record, start time.Time) {
	if h.cfg.logger == nil {
		return
	}
	h.mu.Lock()
	status, fault := rec.Status, rec.Fault
	h.mu.Unlock()
	h.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("id", rec.ID),
		slog.String("method", r.Method),
		slog.String("path", rec.shownPath()),
		slog.Int("status", status),
		slog.Bool("fault", fault),
		slog.Duration("duration", time.Since(start)),
	)
}
