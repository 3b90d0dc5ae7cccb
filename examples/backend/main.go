// Command backend is a small web service that gives its own users the API
// of a "security" page, built on the Vault Sessions API:
//
//	GET    /account/sessions               list the user's sessions
//	DELETE /account/sessions/{id}          sign one device out
//	POST   /account/sessions/revoke-others sign out of every other device
//	POST   /account/logout-everywhere      sign out of every device
//
// and, for its support staff, who are administrators of the tenant in
// Vault, a console over the admin API:
//
//	GET    /admin/users/{userId}/sessions              a user's devices
//	DELETE /admin/users/{userId}/sessions/{id}         sign one device out
//	POST   /admin/users/{userId}/sign-out-everywhere   after a password reset
//
// It assumes that the token its users send, as "Authorization: Bearer
// <token>", is their Vault access token, such as the one a browser got
// when signing in through Vault; it forwards that token on each call
// with vault.WithAccessToken through one shared vault.Client. A service
// with sessions of its own would look the user's Vault token up instead.
//
// Vault's errors become answers of the service's own: 401 passes
// through, 404 stays 404, 429 carries Retry-After, 5xx and network
// errors become 502, and a bad session ID is a 400.
//
// Run it against an embedded in-memory Vault seeded with a demo user,
// which prints the curl commands to try:
//
//	go run ./examples/backend
//
// or against a real API:
//
//	VAULT_BASE_URL=https://api.vault.dev/api/v1 go run ./examples/backend -addr :8080
//
// It shuts down gracefully on SIGINT or SIGTERM.
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
	"os"
	"os/signal"
	"syscall"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// shutdownTimeout bounds how long a graceful shutdown waits for requests
// in flight.
const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole service: it serves until ctx is done and returns the
// exit code: 0 after a graceful shutdown, 1 when starting or serving
// fails, 2 for bad flags. getenv reads the environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`; port 0 picks a free port")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	baseURL := getenv("VAULT_BASE_URL")
	var demoToken, adminToken string
	if baseURL == "" {
		// No Vault to talk to: start the SDK's in-memory one with a demo
		// user and an administrator, so that the service can be tried at
		// once.
		mock := vaulttest.NewServer()
		defer mock.Close()
		demoToken = mock.SeedDemo(vaulttest.Demo{Sessions: 4})[0].Token
		mock.AddUser(vaulttest.User{ID: "usr_support", Admin: true})
		adminToken = mock.AddSession("usr_support", vaulttest.SessionSeed{}).Token
		baseURL = mock.URL
	}

	// One Client for the whole service and every user: it holds no
	// token, each call brings its user's own.
	client, err := vault.NewClient(vault.Configuration{
		BaseURL:   baseURL,
		UserAgent: "backend-example/1.0",
		Logger:    logger,
	})
	if err != nil {
		fmt.Fprintf(stderr, "backend: %v\n", err)
		return 1
	}
	defer client.CloseIdleConnections()

	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "backend: %v\n", err)
		return 1
	}
	srv := &http.Server{
		Handler:           newHandler(client, logger),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      callTimeout + 5*time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "listening on %s, using the Vault API at %s\n", url, baseURL)
	if demoToken != "" {
		printTryIt(stdout, url, demoToken, adminToken)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		logger.Error("serving failed", "err", err)
		return 1
	case <-ctx.Done():
	}

	logger.Info("shutting down")
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

// printTryIt shows how to call the service as the demo user and as the
// administrator. The tokens are demo tokens of the in-memory Vault,
// worthless anywhere else.
func printTryIt(w io.Writer, url, token, adminToken string) {
	fmt.Fprintf(w, `
The embedded Vault has a demo user signed in on 4 devices. Try it:

  TOKEN=%s
  curl -s -H "Authorization: Bearer $TOKEN" %[2]s/account/sessions
  curl -s -X DELETE -H "Authorization: Bearer $TOKEN" %[2]s/account/sessions/SESSION_ID
  curl -s -X POST -H "Authorization: Bearer $TOKEN" %[2]s/account/sessions/revoke-others
  curl -s -X POST -H "Authorization: Bearer $TOKEN" %[2]s/account/logout-everywhere

and as usr_support, an administrator of the tenant:

  ADMIN_TOKEN=%[3]s
  curl -s -H "Authorization: Bearer $ADMIN_TOKEN" %[2]s/admin/users/%[4]s/sessions
  curl -s -X POST -H "Authorization: Bearer $ADMIN_TOKEN" %[2]s/admin/users/%[4]s/sign-out-everywhere

`, token, url, adminToken, vaulttest.DemoUserID)
}
