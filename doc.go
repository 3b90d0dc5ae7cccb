// Package vault is the Go SDK for the Sessions API of Vault, a multi-tenant
// user-management service: list a user's sessions, sign one device out,
// sign out of every other device, or sign out everywhere.
//
// Install it with go get github.com/vault-dev/vault-go (Go 1.26 or newer)
// and make a first call:
//
//	package main
//
//	import (
//		"context"
//		"fmt"
//		"log"
//		"os"
//
//		"github.com/vault-dev/vault-go"
//	)
//
//	func main() {
//		client, err := vault.NewClient(vault.Configuration{
//			BaseURL:     os.Getenv("VAULT_BASE_URL"), // empty: the production API
//			AccessToken: os.Getenv("VAULT_TOKEN"),
//		})
//		if err != nil {
//			log.Fatal(err)
//		}
//		sessions, err := client.Sessions.ListSessions(context.Background())
//		if err != nil {
//			log.Fatal(err) // a non-2xx answer is an *vault.APIError
//		}
//		for _, s := range sessions {
//			fmt.Println(s.ID, s.Current)
//		}
//	}
//
// No Vault at hand? go run github.com/vault-dev/vault-go/cmd/vault-mock
// serves an in-memory one and prints a VAULT_BASE_URL and a VAULT_TOKEN
// to export.
//
// The operations hang off [Client].Sessions: [SessionsService.ListSessions],
// [SessionsService.RevokeSession] and [SessionsService.LogoutAllSessions],
// one per endpoint, and [SessionsService.RevokeOtherSessions], "sign out
// of all other devices". Every call takes a context first, which bounds
// it, retries included. A Client is safe for concurrent use: a backend
// keeps one without a token and passes each user's own with
// [WithAccessToken].
//
// A non-2xx answer is an [*APIError]; match its kind with errors.Is and
// [ErrUnauthorized], [ErrNotFound], [ErrRateLimited] or [ErrServer].
// Network errors and the statuses 429, 500, 502, 503 and 504 are retried
// with backoff, honouring Retry-After.
//
// [Configuration].Hooks observe each call, for tracing and metrics, and
// [OperationFromContext] names the operation of each attempt for a
// transport wrapper; the SDK itself imports no telemetry library.
//
// For tests, package [github.com/vault-dev/vault-go/vaulttest] is an
// in-memory API server with fault injection.
package vault
