// Package vaulttest provides an in-memory Vault Sessions API server for
// integration tests, modelled on net/http/httptest.
//
// A Server is stateful: it holds users, each with sessions, and every
// session has its own bearer token. The token of a request decides the
// caller and which of the caller's sessions is reported as current.
//
//	srv := vaulttest.NewServer()
//	defer srv.Close()
//	s := srv.AddSession("alice", vaulttest.SessionSeed{IPAddress: "203.0.113.9"})
//	// Point the client at srv.URL and authenticate with s.Token.
//
// The server answers the three endpoints of the Sessions API under
// /api/v1:
//
//	GET    /users/me/sessions              list the caller's active sessions
//	DELETE /users/me/sessions              revoke all the caller's sessions
//	DELETE /users/me/sessions/{sessionId}  revoke one session
//
// Every response is JSON, carries an X-Request-Id header and the
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers,
// and every error has the body {"error":{"code":"...","message":"..."}}.
//
// Tests can seed state (AddUser, AddSession, SeedDemo), read it back
// (Session, Sessions), inspect the requests the server received
// (Requests), move the server's clock (SetNow, Advance) and inject faults
// (Faults) such as error statuses, latency, connection resets and
// malformed bodies.
//
// Handler holds the same logic without a listener, for mounting on an
// http.Server of one's own.
package vaulttest
