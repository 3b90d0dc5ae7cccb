// Quickstart walks through the Sessions API: it lists the caller's
// sessions, signs one other device out, lists again, then signs out
// everywhere.
//
// With no VAULT_BASE_URL set it starts an in-memory Vault API (package
// vaulttest) seeded with a demo user, so it runs with nothing else
// installed:
//
//	go run ./examples/quickstart
//
// With VAULT_BASE_URL and VAULT_TOKEN set it does the same against that
// server, such as one started with `go run ./cmd/vault-mock`.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run does the walk-through, writing each step to out. getenv reads the
// environment, so that tests can set it.
func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	baseURL, token := getenv("VAULT_BASE_URL"), getenv("VAULT_TOKEN")
	if baseURL == "" {
		srv := vaulttest.NewServer()
		defer srv.Close()
		demo := srv.SeedDemo(vaulttest.Demo{})
		baseURL, token = srv.URL, demo[0].Token
		fmt.Fprintf(out, "Started an in-memory Vault API at %s with a demo user and %d sessions.\n", baseURL, len(demo))
		fmt.Fprintln(out, "(Set VAULT_BASE_URL and VAULT_TOKEN to run against another server.)")
	} else if token == "" {
		return errors.New("VAULT_BASE_URL is set but VAULT_TOKEN is not: set it to the bearer token of a session")
	}

	client, err := vault.NewClient(vault.Configuration{
		BaseURL:     baseURL,
		AccessToken: token,
		TenantID:    getenv("VAULT_TENANT_ID"),
	})
	if err != nil {
		return err
	}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	fmt.Fprintln(out, "\n1. List the sessions of the token's user:")
	sessions, err := client.Sessions.ListSessions(ctx)
	if err != nil {
		return err
	}
	printSessions(out, sessions, time.Now())

	fmt.Fprintln(out, "\n2. Sign out one other device:")
	other, found := firstNotCurrent(sessions)
	if found {
		msg, err := client.Sessions.RevokeSession(ctx, other.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Revoked %s (%s): %s\n", other.ID, describeDevice(other), msg.Message)
	} else {
		fmt.Fprintln(out, "There is no other session to revoke.")
	}

	fmt.Fprintln(out, "\n3. List again:")
	sessions, err = client.Sessions.ListSessions(ctx)
	if err != nil {
		return err
	}
	printSessions(out, sessions, time.Now())

	fmt.Fprintln(out, "\n4. Sign out everywhere, this session included:")
	msg, err := client.Sessions.LogoutAllSessions(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, msg.Message)

	fmt.Fprintln(out, "\n5. The token no longer works:")
	_, err = client.Sessions.ListSessions(ctx)
	switch {
	case errors.Is(err, vault.ErrUnauthorized):
		fmt.Fprintf(out, "As expected: %v\n", err)
	case err != nil:
		return err
	default:
		return errors.New("the token still works after logging out of all sessions")
	}
	return nil
}

func firstNotCurrent(sessions []vault.SessionResponse) (vault.SessionResponse, bool) {
	for _, s := range sessions {
		if !s.Current {
			return s, true
		}
	}
	return vault.SessionResponse{}, false
}

// printSessions writes the sessions as a table, the current one marked.
func printSessions(out io.Writer, sessions []vault.SessionResponse, now time.Time) {
	if len(sessions) == 0 {
		fmt.Fprintln(out, "No active sessions.")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tID\tDEVICE\tIP ADDRESS\tLAST ACTIVE\tEXPIRES")
	for _, s := range sessions {
		marker := ""
		if s.Current {
			marker = "*"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", marker, s.ID, describeDevice(s),
			orDash(s.IPAddress), ago(now.Sub(s.LastActivityAt)), s.ExpiresAt.Local().Format("2006-01-02 15:04"))
	}
	_ = tw.Flush()
	fmt.Fprintln(out, "(* is the session of the token in use)")
}

func describeDevice(s vault.SessionResponse) string {
	if s.DeviceInfo == nil {
		return "unknown device"
	}
	parts := []string{string(s.DeviceInfo.DeviceType), s.DeviceInfo.Browser, "on", s.DeviceInfo.OS}
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func orDash(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
}

// ago renders a duration in the past the way a security page does.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
}
