// Command vault manages the sessions of a Vault user from a terminal or a
// shell script, through the vault-go SDK:
//
//	vault sessions list               list the active sessions
//	vault sessions revoke ID...       sign one or more sessions out
//	vault sessions revoke-others      sign out every session but the current one
//	vault sessions logout-all --yes   sign every session out
//	vault webhook listen --secret S   receive, verify and print webhooks
//	vault version                     print the versions
//
// With the token of a tenant administrator, it manages the sessions of
// any user of the tenant:
//
//	vault admin sessions list USER_ID                 every session, with its status
//	vault admin sessions get USER_ID SESSION_ID       one session
//	vault admin sessions revoke USER_ID SESSION_ID... sign sessions out
//	vault admin sessions revoke-all USER_ID --yes     sign the user out everywhere
//
// It reads the API base URL, the bearer token and the tenant from
// VAULT_BASE_URL, VAULT_TOKEN and VAULT_TENANT_ID, or from the flags
// --base-url, --token-file and --tenant-id, which go before or after the
// command. The token is never accepted as a flag value, so that it stays
// out of shell history and process lists, and it is never printed.
//
// The exit code is 0 on success, 1 when the API or the network failed (or
// a confirmation was declined) and 2 for a usage or configuration error.
// Run vault --help, or vault COMMAND --help, for the details.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := newCLI(os.Stdin, os.Stdout, os.Stderr, os.Getenv).run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
