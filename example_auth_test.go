package vault_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/vaulttest"
)

func ExampleNewTokenRefresher() {
	srv := vaulttest.NewServer(vaulttest.WithSignedTokens()) // 15-minute JWTs, as the server's
	defer srv.Close()
	job := srv.AddSession("svc-job", vaulttest.SessionSeed{ID: "sess_job"})

	// A Client without a token sends the refreshes.
	auth, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	defer auth.CloseIdleConnections()
	var stored string // a durable store in a real service
	refresher := vault.NewTokenRefresher(auth, job.RefreshToken, func(_ context.Context, refreshToken string) error {
		stored = refreshToken
		return nil
	})

	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, TokenSource: refresher.Token})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	for range 3 { // one refresh, on first use, for the three calls
		if _, err := client.Sessions.ListSessions(context.Background()); err != nil {
			log.Fatal(err)
		}
	}

	now, _ := srv.Session("sess_job")
	fmt.Println("refresh token stored:", stored == now.RefreshToken)
	fmt.Println("requests:", len(srv.Requests()))
	fmt.Println(refresher) // no token printed
	// Output:
	// refresh token stored: true
	// requests: 4
	// vault.TokenRefresher{RefreshToken:[REDACTED] AccessToken:[REDACTED] Failed:false}
}

func ExampleAuthService_RefreshToken() {
	srv := vaulttest.NewServer()
	defer srv.Close()
	session := srv.AddSession("ann", vaulttest.SessionSeed{})
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()

	// A refresh of its own, which the caller going away cannot cut short.
	ctx := context.WithoutCancel(context.Background())
	answer, err := client.Auth.RefreshToken(ctx, session.RefreshToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(answer.User.ID, answer.RefreshToken != session.RefreshToken)
	fmt.Println(answer) // the tokens are never printed

	// The refresh token just spent, sent again: the server takes it for a
	// stolen one and revokes the session.
	_, err = client.Auth.RefreshToken(ctx, session.RefreshToken)
	fmt.Println(errors.Is(err, vault.ErrUnauthorized), err)
	revoked, _ := srv.Session(session.ID)
	fmt.Println("session revoked:", revoked.Revoked)
	// Output:
	// ann true
	// vault.AuthResponse{AccessToken:[REDACTED] RefreshToken:[REDACTED] User:vault.UserResponse{ID:"ann" Email:"ann@example.com" EmailVerified:true Name:nil MFAEnabled:false} MFARequired:false}
	// true vault: refresh token: 401: Unauthorized
	// session revoked: true
}

func ExampleRefusedToken() {
	// A TokenSource learns of a 401 to its token from the context of the
	// Client's next call, made for the same request.
	source := func(ctx context.Context) (string, error) {
		if _, ok := vault.RefusedToken(ctx); ok {
			return "", errors.New("sign in again")
		}
		return "expired-token", nil
	}
	srv := vaulttest.NewServer()
	defer srv.Close()
	client, err := vault.NewClient(vault.Configuration{BaseURL: srv.URL, TokenSource: source})
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	_, err = client.Sessions.ListSessions(context.Background())
	fmt.Println(err)
	// Output:
	// vault: list sessions: 401 UNAUTHORIZED: Invalid or expired token; then token source: sign in again
}
