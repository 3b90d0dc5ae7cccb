package vaulttest

import (
	"context"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"
)

// Server is a Vault Sessions API server listening on a system-chosen
// port on the loopback interface, for use in tests. Its methods other
// than URL, Client and Close act on its Handler.
type Server struct {
	// URL is the base URL of the API, such as
	// "http://127.0.0.1:41234/api/v1".
	URL string

	ts *httptest.Server
	h  *Handler
}

// NewServer starts and returns a new Server with no users. The caller
// should call Close when finished, to shut it down.
func NewServer(opts ...Option) *Server { return newServer(false, opts) }

// NewTLSServer starts and returns a new Server using TLS. Client returns
// an *http.Client that trusts its certificate.
func NewTLSServer(opts ...Option) *Server { return newServer(true, opts) }

func newServer(useTLS bool, opts []Option) *Server {
	h := NewHandler(opts...)
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ConnState = h.ConnState
	ts.Config.ErrorLog = errorLog(h.cfg.logger)
	if useTLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	return &Server{URL: ts.URL + BasePath, ts: ts, h: h}
}

// errorLog sends the http.Server's own errors, such as failed TLS
// handshakes, to l at level Debug, or nowhere if l is nil.
func errorLog(l *slog.Logger) *log.Logger {
	if l == nil {
		return log.New(io.Discard, "", 0)
	}
	return slog.NewLogLogger(l.Handler(), slog.LevelDebug)
}

// Close ends the latency of pending faults, shuts the server down and
// blocks until all outstanding requests have completed.
func (s *Server) Close() {
	s.h.Close()
	s.ts.Close()
}

// Client returns an HTTP client configured for making requests to the
// server: for a TLS server it trusts the server's certificate. It is
// closed by Close.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// ControlURL returns the URL of the server's control API, such as
// "http://127.0.0.1:41234/__vault", or "" if the server was not started
// WithControlAPI. A program in another language that the test starts
// can drive the server through it.
func (s *Server) ControlURL() string {
	if s.h.cfg.control == nil {
		return ""
	}
	return s.ts.URL + ControlPath
}

// Handler returns the server's handler, which holds all its state.
func (s *Server) Handler() *Handler { return s.h }

// ConnectionCount reports how many connections the server has accepted.
func (s *Server) ConnectionCount() int { return s.h.ConnectionCount() }

// AddUser adds a user or updates its tenant; see Handler.AddUser.
func (s *Server) AddUser(u User) { s.h.AddUser(u) }

// AddSession adds a session for a user; see Handler.AddSession.
func (s *Server) AddSession(userID string, seed SessionSeed) Session {
	return s.h.AddSession(userID, seed)
}

// AddSessionlessToken adds a token without a session; see
// Handler.AddSessionlessToken.
func (s *Server) AddSessionlessToken(userID, token string) string {
	return s.h.AddSessionlessToken(userID, token)
}

// SeedDemo adds a demo user with realistic sessions; see Handler.SeedDemo.
func (s *Server) SeedDemo(d Demo) []Session { return s.h.SeedDemo(d) }

// User returns a user by ID; see Handler.User.
func (s *Server) User(id string) (User, bool) { return s.h.User(id) }

// Session returns a session by ID; see Handler.Session.
func (s *Server) Session(id string) (Session, bool) { return s.h.Session(id) }

// Sessions returns every session of a user; see Handler.Sessions.
func (s *Server) Sessions(userID string) []Session { return s.h.Sessions(userID) }

// RevokeSession revokes a session; see Handler.RevokeSession.
func (s *Server) RevokeSession(id string) (Session, bool) { return s.h.RevokeSession(id) }

// ExpireSession makes a session expire now; see Handler.ExpireSession.
func (s *Server) ExpireSession(id string) (Session, bool) { return s.h.ExpireSession(id) }

// Reset puts the server back in the state it started in; see
// Handler.Reset.
func (s *Server) Reset() { s.h.Reset() }

// Requests returns the recorded requests; see Handler.Requests.
func (s *Server) Requests() []Request { return s.h.Requests() }

// ResetRequests empties the request log; see Handler.ResetRequests.
func (s *Server) ResetRequests() { s.h.ResetRequests() }

// Faults returns the fault queue; see Handler.Faults.
func (s *Server) Faults() *Faults { return s.h.Faults() }

// Now returns the server's current time.
func (s *Server) Now() time.Time { return s.h.Now() }

// SetNow freezes the server's clock at t; see Handler.SetNow.
func (s *Server) SetNow(t time.Time) { s.h.SetNow(t) }

// Advance moves the server's clock forward; see Handler.Advance.
func (s *Server) Advance(d time.Duration) { s.h.Advance(d) }

// Freeze stops the server's clock; see Handler.Freeze.
func (s *Server) Freeze() { s.h.Freeze() }

// Unfreeze lets the server's clock run again; see Handler.Unfreeze.
func (s *Server) Unfreeze() { s.h.Unfreeze() }

// FindRequests returns the recorded requests a filter matches; see
// Handler.FindRequests.
func (s *Server) FindRequests(f RequestFilter) ([]Request, error) { return s.h.FindRequests(f) }

// WaitRequests waits for requests a filter matches; see
// Handler.WaitRequests.
func (s *Server) WaitRequests(ctx context.Context, f RequestFilter, n int) ([]Request, error) {
	return s.h.WaitRequests(ctx, f, n)
}
