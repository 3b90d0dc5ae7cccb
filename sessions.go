package vault

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"unicode"
)

// sessionsPath is the Sessions API's collection, relative to the base URL.
const sessionsPath = "/users/me/sessions"

// MessageEarlierAttemptApplied is the Message of a RevokeSession,
// LogoutAllSessions or AuthService.Logout result that the SDK infers
// rather than reads. When an attempt's answer is lost after the request
// reached the API (the connection drops, the 200's body is cut, a
// gateway answers 502 or 504) the SDK retries; if the retry answers 404
// to a revoke, or 401 to a logout, the change was made by the earlier
// attempt, and the call succeeds with this message. WithHTTPResponse still captures the real
// last response, and the Logger gets the record
// "vault: earlier attempt took effect".
const MessageEarlierAttemptApplied = "Done by an earlier attempt whose answer was lost"

// ErrOutcomeUnknown is wrapped by the error of a RevokeSession,
// LogoutAllSessions or AuthService.Logout call that failed after an
// attempt that may have made its change: the attempt's answer was lost
// after the request reached the API (see MessageEarlierAttemptApplied),
// and no later attempt confirmed the change. The session may be revoked,
// or not; list the sessions to know. The error also wraps the last
// attempt's error, such as an *APIError or the context's error.
//
// An AuthService.RefreshToken call that may have reached the server and
// then failed (its answer lost, a 5xx, a 2xx without both tokens) is
// never sent again, and its error matches ErrOutcomeUnknown too: the
// refresh token may have been rotated, and is to be sent no more.
//
// A 401 to RevokeSession after such an attempt is one case: it is what a
// revoke of the caller's own current session answers once the session is
// gone, but also what an expired token answers. A 2xx JSON answer that
// does not decode, or is over MaxResponseBytes, is another: the API said
// success in a body the SDK cannot read, so the *DecodeError (or
// ErrResponseTooLarge) matches ErrOutcomeUnknown too.
var ErrOutcomeUnknown = errors.New("vault: outcome unknown")

// SessionsService is the Sessions API: the sessions of the user whose
// token makes the call. Reach it through Client.Sessions.
type SessionsService struct {
	client *Client
}

// String describes the service without its Client's token.
func (s *SessionsService) String() string { return "vault.SessionsService{" + s.client.String() + "}" }

// Format prints String for every verb, so no fmt verb prints the token.
func (s *SessionsService) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, s.String()) }

// ListSessions returns the caller's active sessions; the one whose token
// made the call has Current set. An empty list is an empty, non-nil slice.
//
// It reads both forms of the list: the spec's JSON array, and the Vault
// server's object that wraps the array with the user's session limits.
// WithSessionLimits retrieves those limits. Any other body, such as an
// object without a "sessions" array, is a *DecodeError.
//
// API: GET /users/me/sessions (listSessions).
func (s *SessionsService) ListSessions(ctx context.Context, opts ...RequestOption) ([]SessionResponse, error) {
	list := sessionList{readItem: readListedSession}
	return list.result(s.client.do(ctx, opListSessions, sessionsPath, opts, &list))
}

// LogoutAllSessions revokes the caller's sessions. Whether the current
// session ends too depends on the server: the spec revokes every session,
// the current one included, so that the token that made the call stops
// working; the Vault server's code keeps the current session, revokes the
// others and answers "Revoked N sessions" (and 400 "No active session"
// when the token has no session). Code that must end the current session
// should not rely on this call alone; code that must keep it can use
// RevokeOtherSessions, which never revokes it.
//
// A 401 is an *APIError matching ErrUnauthorized, unless an earlier
// attempt of the same call may have logged out already (its answer was
// lost): then the call succeeds with MessageEarlierAttemptApplied.
//
// API: DELETE /users/me/sessions (logoutAllSessions).
func (s *SessionsService) LogoutAllSessions(ctx context.Context, opts ...RequestOption) (*MessageResponse, error) {
	return s.client.doMessage(ctx, opLogoutAllSessions, sessionsPath, opts)
}

// RevokeSession revokes one session of the caller, signing that device
// out. A session that does not exist is an *APIError matching
// ErrNotFound. So is another user's session under the spec; the Vault
// server answers 403, matching ErrForbidden, for a session of another
// user of the same tenant, and 404 for one of another tenant. A 404 is a
// success with MessageEarlierAttemptApplied when an earlier attempt of
// the same call may have revoked the session (its answer was lost).
//
// An ID that is empty, blank, "." or "..", or that holds a slash,
// backslash or control character, is refused with ErrInvalidArgument
// before anything is sent: no ID can reach another route than this
// session's.
//
// API: DELETE /users/me/sessions/{sessionId} (revokeSession).
func (s *SessionsService) RevokeSession(ctx context.Context, sessionID string, opts ...RequestOption) (*MessageResponse, error) {
	path, err := revokePath(sessionID)
	if err != nil {
		return nil, s.client.refuse(ctx, opRevokeSession, err)
	}
	return s.client.doMessage(ctx, opRevokeSession, path, opts)
}

func (c *Client) doMessage(ctx context.Context, op operation, path string, opts []RequestOption) (*MessageResponse, error) {
	msg := new(MessageResponse)
	if err := c.do(ctx, op, path, opts, (*messageBody)(msg)); err != nil {
		return nil, err
	}
	return msg, nil
}

// revokePath returns the path of one session, the ID escaped as a single
// segment, or an error for an ID that could name another resource.
func revokePath(sessionID string) (string, error) {
	if err := checkPathID("session ID", sessionID); err != nil {
		return "", err
	}
	return sessionsPath + "/" + url.PathEscape(sessionID), nil
}

// checkPathID refuses an ID, named what in the error, that is not one
// path segment of its own, with an *ArgumentError: empty or blank, "." or
// "..", or holding a slash, backslash or control character. Escaped, any
// other ID names nothing but itself.
func checkPathID(what, id string) error {
	reason := ""
	switch {
	case strings.TrimSpace(id) == "":
		reason = "is empty"
	case id == "." || id == "..":
		reason = "is a path segment of its own"
	case strings.ContainsAny(id, `/\`):
		reason = "contains a path separator"
	case strings.IndexFunc(id, unicode.IsControl) >= 0:
		reason = "contains a control character"
	default:
		return nil
	}
	return &ArgumentError{Argument: what, Value: id, Reason: reason}
}
