// Command vault-mock serves the Vault Sessions API from memory, seeded
// with a demo user, for trying the SDK by hand and for testing clients
// in other languages.
//
// It prints the API base URL, the token of a demo session, the token of
// a demo administrator of the demo user's tenant (VAULT_ADMIN_TOKEN, for
// the admin routes), the demo session's refresh token
// (VAULT_REFRESH_TOKEN, for POST /api/v1/auth/refresh) and the URL of
// its control API as shell assignments on standard output, then closes
// it, logs requests to standard error and serves until it receives
// SIGINT or SIGTERM; a second signal ends it at once. Started in the
// background, it sets up a shell in one line:
//
//	eval "$(vault-mock -addr 127.0.0.1:4010 &)"
//
// The control API, under /__vault on the same address, seeds users and
// sessions, queues faults, moves the clock, reads the request log and
// resets the server while it runs. Run vault-mock -h for the flags.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go watchSignals(sigs, cancel, os.Stderr, os.Exit)
	os.Exit(runProcess(ctx, os.Args[1:], os.Stdout, os.Stderr, limitMemory))
}

// watchSignals cancels the run at the first signal and ends the process
// with exit status 1 at the second, so that a shutdown still waiting for
// responses in flight can be cut short, as with a second Ctrl-C.
func watchSignals(sigs <-chan os.Signal, cancel context.CancelFunc, stderr io.Writer, exit func(int)) {
	<-sigs
	cancel()
	sig := <-sigs
	fmt.Fprintf(stderr, "vault-mock: %v again: exiting now\n", sig)
	exit(1)
}
