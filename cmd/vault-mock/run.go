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

// shutdownTimeout bounds how long a graceful shutdown waits for requests
// in flight.
const shutdownTimeout = 5 * time.Second

// run is the whole command: it serves until ctx is done and returns the
// exit code: 0 after a graceful shutdown, 1 when serving fails and 2 for
// bad flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "vault-mock: %v\n", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	h := vaulttest.NewHandler(append(o.handlerOptions(), vaulttest.WithLogger(logger))...)
	demo := h.SeedDemo(vaulttest.Demo{UserID: o.user, TenantID: o.tenant, Sessions: o.sessions})
	h.Faults().Add(o.faults()...)

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.addr)
	if err != nil {
		fmt.Fprintf(stderr, "vault-mock: cannot listen on %s: %v\n", o.addr, unwrapListenError(err))
		return 1
	}
	srv := &http.Server{
		Handler:           h,
		ConnState:         h.ConnState,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}

	fmt.Fprintf(stdout, "VAULT_BASE_URL=http://%s%s\n", displayAddr(ln.Addr()), vaulttest.BasePath)
	fmt.Fprintf(stdout, "VAULT_TOKEN=%s\n", demo[0].Token)
	// Nothing else goes to standard output. Closing it lets a shell's
	// command substitution, as in eval "$(vault-mock &)", return while
	// the server keeps serving.
	if c, ok := stdout.(io.Closer); ok {
		_ = c.Close()
	}
	logger.Info("serving", "addr", ln.Addr().String(), "user", o.user, "tenant", o.tenant, "sessions", len(demo), "dialect", o.dialect)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		logger.Error("serving failed", "err", err)
		return 1
	case <-ctx.Done():
	}

	logger.Info("shutting down")
	h.Close()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		logger.Error("shutdown", "err", err)
		_ = srv.Close()
		<-served
		return 1
	}
	<-served
	return 0
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
