package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

// newExampleServer starts an in-memory API where user alice has a laptop
// session (whose token the examples use) and a phone session.
func newExampleServer() (*vaulttest.Server, vaulttest.Session) {
	srv := vaulttest.NewServer()
	laptop := srv.AddSession("alice", vaulttest.SessionSeed{
		ID:         "sess_laptop",
		IPAddress:  "203.0.113.24",
		DeviceInfo: &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeDesktop, OS: "macOS", Browser: "Chrome"},
		CreatedAt:  srv.Now().Add(-2 * 24 * time.Hour),
	})
	srv.AddSession("alice", vaulttest.SessionSeed{
		ID:         "sess_phone",
		DeviceInfo: &vault.DeviceInfoResponse{DeviceType: vault.DeviceTypeMobile, OS: "iOS", Browser: "Safari", IsMobile: true},
		CreatedAt:  srv.Now().Add(-24 * time.Hour),
	})
	return srv, laptop
}

func ExampleNewClient() {
	client, err := vault.NewClient(vault.Configuration{
		AccessToken: "token-of-the-user",
		TenantID:    "acme",
		UserAgent:   "billing-service/2.1",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	fmt.Println(client) // the token is never printed
	// Output:
	// https://api.vault.dev/api/v1
	// vault.Client{BaseURL:"https://api.vault.dev/api/v1" AccessToken:[REDACTED] MaxRetries:3}
}

func ExampleSessionsService_ListSessions() {
	srv, laptop := newExampleServer()
	defer srv.Close()
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: laptop.Token})
	if err != nil {
		log.Fatal(err)
	}

	sessions, err := client.Sessions.ListSessions(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range sessions {
		fmt.Printf("%s %s/%s current=%t\n", s.ID, s.DeviceInfo.Browser, s.DeviceInfo.OS, s.Current)
	}
	// Output:
	// sess_laptop Chrome/macOS current=true
	// sess_phone Safari/iOS current=false
}

func ExampleSessionsService_RevokeSession() {
	srv, laptop := newExampleServer()
	defer srv.Close()
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: laptop.Token})
	if err != nil {
		log.Fatal(err)
	}

	msg, err := client.Sessions.RevokeSession(context.Background(), "sess_phone")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Message)

	// A session that is gone, or belongs to someone else, is ErrNotFound.
	_, err = client.Sessions.RevokeSession(context.Background(), "sess_phone")
	fmt.Println(errors.Is(err, vault.ErrNotFound), err)
	// Output:
	// Session revoked
	// true vault: revoke session: 404 NOT_FOUND: Session not found
}

func ExampleSessionsService_LogoutAllSessions() {
	srv, laptop := newExampleServer()
	defer srv.Close()
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: laptop.Token})
	if err != nil {
		log.Fatal(err)
	}

	msg, err := client.Sessions.LogoutAllSessions(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Message)

	// The caller's own session is gone too: its token no longer works.
	_, err = client.Sessions.ListSessions(context.Background())
	fmt.Println(errors.Is(err, vault.ErrUnauthorized))
	// Output:
	// All sessions revoked
	// true
}

func ExampleWithAccessToken() {
	srv, laptop := newExampleServer()
	defer srv.Close()
	// One Client without a token of its own serves many users: each call
	// carries the token of the user it acts for.
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}

	sessions, err := client.Sessions.ListSessions(context.Background(), vault.WithAccessToken(laptop.Token))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(sessions), "sessions")

	_, err = client.Sessions.ListSessions(context.Background())
	fmt.Println(errors.Is(err, vault.ErrNoCredential))
	// Output:
	// 2 sessions
	// true
}

func ExampleAPIError() {
	srv, laptop := newExampleServer()
	defer srv.Close()
	srv.Faults().Add(vaulttest.Fault{Status: 429, RetryAfter: "120"})
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, AccessToken: laptop.Token})
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.Sessions.ListSessions(context.Background())
	var apiErr *vault.APIError
	if errors.As(err, &apiErr) {
		// The server asked for a longer wait than RetryWaitMax allows, so
		// the call returned at once instead of sleeping.
		fmt.Println(apiErr.StatusCode, apiErr.Code, apiErr.RetryAfter, apiErr.Attempts)
	}
	fmt.Println(errors.Is(err, vault.ErrRateLimited))
	// Output:
	// 429 RATE_LIMITED 2m0s 1
	// true
}
