package vault_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/internal/syncbuf"
	"github.com/vault-dev/vault-go/vaulttest"
)

// printVerbs are the fmt verbs a caller might print a value with.
var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"}

// assertHolds fails when s holds any of the secrets.
func assertHolds(t *testing.T, s, where string, secrets []string) {
	t.Helper()
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Errorf("a token appears in %s: %q", where, s)
		}
	}
}

func TestRefreshTokensNeverLeakUnderFaults(t *testing.T) {
	// A refresh, under each fault, logs at Debug through text and JSON
	// handlers and captures its response. Neither the refresh token sent
	// nor the tokens the server issued may appear in the logs, the error
	// printed every way, the printed answer, refresher or response.
	faults := []struct {
		name  string
		fault *vaulttest.Fault
	}{
		{"none", nil},
		{"503", &vaulttest.Fault{Status: http.StatusServiceUnavailable}},
		{"401", &vaulttest.Fault{Status: http.StatusUnauthorized}},
		{"reset before the answer", &vaulttest.Fault{Action: vaulttest.ResetBeforeResponse}},
		{"answer lost after the rotation", &vaulttest.Fault{Action: vaulttest.ApplyThenReset}},
		{"body cut after the rotation", &vaulttest.Fault{Action: vaulttest.ApplyThenCutBody}},
		{"truncated JSON", &vaulttest.Fault{Action: vaulttest.TruncateBody}},
		{"HTML 200", &vaulttest.Fault{Action: vaulttest.HTMLBody}},
	}
	for _, tt := range faults {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := vaulttest.NewTestServer(t)
			s := srv.AddSession("svc", vaulttest.SessionSeed{})
			if tt.fault != nil {
				tt.fault.Route = vaulttest.RouteRefreshToken
				srv.Faults().Add(*tt.fault)
			}
			var logs syncbuf.Buffer
			client, err := vault.NewClient(vault.Configuration{
				BaseURL: srv.URL,
				Logger:  slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			})
			require.NoError(t, err)
			defer client.CloseIdleConnections()
			refresher := vault.NewTokenRefresher(client, s.RefreshToken, nil)
			jsonLogger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

			var captured *http.Response
			answer, callErr := client.Auth.RefreshToken(context.Background(), s.RefreshToken, vault.WithHTTPResponse(&captured))
			_, tokenErr := refresher.Token(context.Background())

			now, _ := srv.Session(s.ID)
			secrets := []string{s.RefreshToken, now.RefreshToken, now.Token, s.Token}
			for _, err := range []error{callErr, tokenErr} {
				for _, e := range errorChain(err) {
					for _, verb := range printVerbs {
						assertHolds(t, fmt.Sprintf(verb, e), "an error printed with "+verb, secrets)
					}
				}
				jsonLogger.Info("call", "error", err)
			}
			values := []any{refresher, captured}
			if answer != nil {
				values = append(values, answer, *answer)
				jsonLogger.Info("answer", "answer", answer, "value", *answer)
			}
			jsonLogger.Info("refresher", "refresher", refresher)
			for _, v := range values {
				for _, verb := range printVerbs {
					assertHolds(t, fmt.Sprintf(verb, v), fmt.Sprintf("%T printed with %s", v, verb), secrets)
				}
			}
			assertHolds(t, logs.String(), "the logs", secrets)
			assert.Contains(t, logs.String(), "vault: attempt", "the SDK logged the refresh")
			if captured != nil {
				assert.Equal(t, http.NoBody, captured.Request.Body, "the captured request has no body")
				assert.Nil(t, captured.Request.GetBody)
			}
		})
	}
}

func TestAuthResponsePrintsNoToken(t *testing.T) {
	name := "Ann"
	resp := vault.AuthResponse{
		AccessToken:  "at-printed-never-1",
		RefreshToken: "rt-printed-never-2",
		User:         vault.UserResponse{ID: "usr_1", Email: "ann@example.com", EmailVerified: true, Name: &name},
	}
	want := `vault.AuthResponse{AccessToken:[REDACTED] RefreshToken:[REDACTED] User:vault.UserResponse{ID:"usr_1" Email:"ann@example.com" EmailVerified:true Name:"Ann" MFAEnabled:false} MFARequired:false}`
	for _, verb := range printVerbs {
		assert.Equal(t, want, fmt.Sprintf(verb, resp), verb)
		assert.Equal(t, want, fmt.Sprintf(verb, &resp), verb)
		assert.Contains(t, fmt.Sprintf(verb, struct{ R vault.AuthResponse }{resp}), want, "a field printed with "+verb)
	}
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("refreshed", "resp", resp)
	assert.Contains(t, logs.String(), `"resp":{"access_token":"[REDACTED]","refresh_token":"[REDACTED]","user":{"id":"usr_1","email":"ann@example.com","email_verified":true,"mfa_enabled":false,"name":"Ann"},"mfa_required":false}`)
}
