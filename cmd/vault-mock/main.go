// Command vault-mock serves the Vault Sessions API from memory, seeded
// with a demo user, for trying the SDK by hand and for testing clients
// in other languages.
//
// It prints the API base URL and the token of a demo session as two
// shell assignments on standard output, then closes it, logs requests to
// standard error and serves until it receives SIGINT or SIGTERM. Started
// in the background, it sets up a shell in one line:
//
//	eval "$(vault-mock -addr 127.0.0.1:4010 &)"
//
// Run vault-mock -h for the flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
