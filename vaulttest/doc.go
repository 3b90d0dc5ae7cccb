// Package vaulttest provides an in-memory Vault Sessions API server for
// integration tests, modelled on net/http/httptest.
//
// A Server is stateful: it holds users, each with sessions, and every
// session has its own bearer token. The token of a request decides the
// caller and which of the caller's sessions is reported as current.
//
// It comes with the SDK (go get github.com/vault-dev/vault-go). A test
// starts a Server, seeds a user, points a vault.Client at Server.URL and
// checks the server's state afterwards:
//
//	func TestSignOutOtherDevices(t *testing.T) {
//		srv := vaulttest.NewTestServer(t) // closed when the test ends
//		devices := srv.SeedDemo(vaulttest.Demo{Sessions: 3}) // one user, three devices
//
//		client, err := vault.NewClient(vault.Configuration{
//			BaseURL:      srv.URL,
//			AccessToken:  devices[0].Token, // act from the first device
//			RetryWaitMin: time.Millisecond, // fast retries for faults
//		})
//		if err != nil {
//			t.Fatal(err)
//		}
//		if _, err := client.Sessions.RevokeOtherSessions(context.Background()); err != nil {
//			t.Fatal(err)
//		}
//		if s, _ := srv.Session(devices[1].ID); !s.Revoked {
//			t.Error("the second device is still signed in")
//		}
//	}
//
// The server answers the three endpoints of the Sessions API under
// /api/v1:
//
//	GET    /users/me/sessions              list the caller's active sessions
//	DELETE /users/me/sessions              revoke all the caller's sessions
//	DELETE /users/me/sessions/{sessionId}  revoke one session
//
// and, for the tokens of a tenant administrator ([User.Admin]), the admin
// API's session routes, on any user of the administrator's tenant:
//
//	GET    /admin/users/{userId}/sessions              every session, with its status
//	GET    /admin/users/{userId}/sessions/{sessionId}  one session
//	DELETE /admin/users/{userId}/sessions/{sessionId}  revoke one session
//	DELETE /admin/users/{userId}/sessions              revoke every session
//
// and the Vault server's refresh and logout, so that a client that keeps
// its token fresh (vault.TokenRefresher) can be tested:
//
//	POST   /auth/refresh                   trade a refresh token for new tokens
//	POST   /auth/logout                    end the caller's session
//
// Every session has a refresh token ([Session.RefreshToken]); a refresh
// rotates it, and a spent one sent again revokes the session, as the
// server does. [WithAccessTokenLifetime] makes access tokens expire by
// the server's clock.
//
// By default the server answers as the API's spec says ([DialectSpec]):
// every response is JSON, carries an X-Request-Id header and the
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers,
// and every error has the body {"error":{"code":"...","message":"..."}}.
// [WithDialect]([DialectServer]) makes it answer as the Vault server's
// code does instead, which differs in the list's shape, deviceInfo,
// logout-all, revoking another user's session, and bodiless errors; a
// suite run in both dialects holds against either kind of server.
// [WithSignedTokens] makes session tokens JWTs signed as the server signs
// its access tokens, with the key set at [JWKSPath], for a service that
// verifies them (package github.com/vault-dev/vault-go/verify).
//
// Tests can seed state ([Server.AddUser], [Server.AddSession],
// [Server.SeedDemo]), read it back ([Server.Session], [Server.Sessions]),
// change it as the user's other devices would ([Server.RevokeSession],
// [Server.ExpireSession]), start over ([Server.Reset], with the seeds of
// [WithSeed]), inspect the requests the server received
// ([Server.Requests], [Server.FindRequests], [Server.WaitRequests]), move
// the server's clock ([Server.SetNow], [Server.Advance], [Server.Freeze])
// and inject faults ([Server.Faults]) such as error
// statuses, latency, connection resets and malformed bodies:
//
//	srv.Faults().Add(vaulttest.Fault{Route: vaulttest.RouteRevokeSession, Status: 503, Count: 2})
//
// A fault selects requests by route, by the revocation of one session
// ([Fault.SessionID]), by bearer token or by user, and [ApplyThenReset]
// and [ApplyThenCutBody] make a request's change and then lose its
// answer, as a network can:
//
//	srv.Faults().Add(vaulttest.Fault{SessionID: devices[1].ID, Action: vaulttest.ApplyThenReset})
//
// [Faults.Add] panics on a fault that could never fire, such as a Route
// with a concrete session ID; [Fault.Validate] returns the same error,
// for faults that come from elsewhere than the test's own code.
//
// A reset fault always reaches the client as a failed request: on a
// reused keep-alive connection the server sends a status line before the
// reset, so that the client cannot replay the request silently (see
// [ResetBeforeResponse]).
//
// The server sends the Vault server's session webhooks, signed with
// package [github.com/vault-dev/vault-go/webhook], to the endpoints of
// [WithWebhook] and [Server.AddWebhook]: session.created for every
// session added, session.revoked for every revocation. Delivery is
// asynchronous and retried; [Server.WaitWebhookDeliveries] waits for it,
// and [Server.DeliverNextTwice] sends events twice, to test that a
// receiver acts once:
//
//	srv := vaulttest.NewTestServer(t, vaulttest.WithWebhook(receiver.URL, "whsec_test"))
//
// [WithControlAPI] serves the same actions as JSON over HTTP under
// [ControlPath], for test suites in other languages: [Server.ControlURL]
// is the URL to hand them.
//
// [Handler] holds the same logic without a listener, for mounting on an
// http.Server of one's own; cmd/vault-mock serves it as a command, with
// the control API.
package vaulttest
