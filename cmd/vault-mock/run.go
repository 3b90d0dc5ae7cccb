package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/vault-dev/vault-go/vaulttest"
)

// Bounds of a request's reading, which the flags do not change: a
// client on the loopback interface sends even the largest control
// request well within them.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = time.Minute
)

// run is the whole command: it serves until ctx is done and returns the
// exit code: 0 after a shutdown, 1 when serving fails and 2 for bad
// flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return runProcess(ctx, args, stdout, stderr, nil)
}

// runProcess is run, calling tune, if not nil, with the flags before it
// serves: main sets the process's memory limit with it.
func runProcess(ctx context.Context, args []string, stdout, stderr io.Writer, tune func(options)) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "vault-mock: %v\n", err)
		return 2
	}
	if tune != nil {
		tune(o)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	h, demo, admin := newHandler(o, logger)

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "vault-mock: cannot listen on %s: %v\n", o.addr, unwrapListenError(err))
		return 1
	}
	srv := newServer(o, h, logger)

	origin := "http://" + displayAddr(ln.Addr())
	fmt.Fprintf(stdout, "VAULT_BASE_URL=%s%s\n", origin, vaulttest.BasePath)
	fmt.Fprintf(stdout, "VAULT_TOKEN=%s\n", demo.Token)
	fmt.Fprintf(stdout, "VAULT_ADMIN_TOKEN=%s\n", admin.Token)
	fmt.Fprintf(stdout, "VAULT_REFRESH_TOKEN=%s\n", demo.RefreshToken)
	if o.control {
		fmt.Fprintf(stdout, "VAULT_CONTROL_URL=%s%s\n", origin, vaulttest.ControlPath)
	}
	if o.signedTokens {
		fmt.Fprintf(stdout, "VAULT_JWKS_URL=%s%s\n", origin, vaulttest.JWKSPath)
	}
	// Nothing else goes to standard output. Closing it lets a shell's
	// command substitution, as in eval "$(vault-mock &)", return while
	// the server keeps serving.
	if c, ok := stdout.(io.Closer); ok {
		_ = c.Close()
	}
	logger.Info("serving", "addr", ln.Addr().String(), "user", o.user, "admin", o.admin, "tenant", o.tenant, "tenant_slug", o.tenantSlug,
		"sessions", o.sessions, "dialect", o.dialect, "control", o.control, "webhooks", o.webhookURLs)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		logger.Error("serving failed", "err", err)
		return 1
	case <-ctx.Done():
	}

	logger.Info("shutting down; a second signal ends the process at once", "wait", o.shutdownTimeout)
	h.Close() // ends the latency of faults and the delivery of webhooks
	sctx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		// A client that does not read its response, or one still sending
		// its request, would hold the shutdown until a timeout of the
		// connection: its connection is closed instead.
		logger.Warn("closing the connections of responses still in flight", "after", o.shutdownTimeout)
		_ = srv.Close()
	}
	<-served
	logger.Info("stopped")
	return 0
}

// newHandler returns the handler the flags ask for, seeded with the demo
// user, a demo administrator of its tenant and the flags' faults; and
// the demo's newest session and the administrator's session, whose
// tokens are printed, and the demo session's refresh token too. A reset
// through the control API seeds the same sessions, with the same IDs,
// tokens and refresh tokens, and the same faults.
func newHandler(o options, logger *slog.Logger) (*vaulttest.Handler, vaulttest.Session, vaulttest.Session) {
	var first, admin vaulttest.Session
	seeded := false
	seed := func(h *vaulttest.Handler) {
		demo := h.SeedDemo(vaulttest.Demo{UserID: o.user, TenantID: o.tenant, TenantSlug: o.tenantSlug, Sessions: o.sessions})
		// Seeded after the demo, so that the demo's IDs and tokens are
		// those of a server without it.
		h.AddUser(vaulttest.User{ID: o.admin, TenantID: o.tenant, TenantSlug: o.tenantSlug, Admin: true})
		a := h.AddSession(o.admin, vaulttest.SessionSeed{UserAgent: "vault-admin-console"})
		h.Faults().Add(o.faults()...)
		if !seeded { // when the handler is made, before it serves
			first, admin, seeded = demo[0], a, true
		}
	}
	h := vaulttest.NewHandler(append(o.handlerOptions(seed), vaulttest.WithLogger(logger))...)
	return h, first, admin
}

// maxHeaderBytes bounds the request headers vault-mock reads, request
// line included. The API's requests need a few hundred bytes.
// net/http reads serverHeaderSlack bytes beyond an http.Server's
// MaxHeaderBytes before it answers 431, so the server's is less by as
// much.
const (
	maxHeaderBytes    = 64 << 10
	serverHeaderSlack = 4 << 10
)

// newServer returns the http.Server of h, with the flags' timeouts: an
// idle connection is closed after -idle-timeout and a response that
// cannot be written within -write-timeout is cut, so that clients that
// go quiet do not pile up connections over a long run.
func newServer(o options, h *vaulttest.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           &releaser{h: h},
		ConnState:         h.ConnState,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      o.writeTimeout,
		IdleTimeout:       o.idleTimeout,
		// The request log keeps each request's headers: a small bound
		// keeps its memory flat whatever a client sends.
		MaxHeaderBytes: maxHeaderBytes - serverHeaderSlack,
		ErrorLog:       slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// displayAddr returns the address to print for a listener: an unspecified
// IP (all interfaces) is shown as the loopback address, which reaches it.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip == nil || ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// unwrapListenError drops the "listen tcp addr:" prefix a *net.OpError
// repeats, leaving the cause, such as "address already in use".
func unwrapListenError(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
