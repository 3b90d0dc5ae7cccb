package vault

import (
	"context"
	"fmt"
	"io"
	"net/url"
)

// adminUsersPath is the admin API's collection of users, relative to the
// base URL.
const adminUsersPath = "/admin/users/"

// AdminSessionsService is the admin API's part on sessions: the sessions
// of any user of the tenant, for a backend that holds the token of a
// tenant administrator (a support tool, a security job, an admin
// console). Reach it through Client.AdminSessions.
//
// The token of every call must be an administrator's: the Client's
// AccessToken or TokenSource, or WithAccessToken for one call. Another
// token is answered 403, an *APIError matching ErrForbidden. A user who
// is not in the administrator's tenant, like one who does not exist, is
// 404, matching ErrNotFound, and so is a session that is not the user's.
//
// The revocations are idempotent on the server: revoking a session that
// is already revoked answers 200 again. A revocation whose answer was
// lost is retried like any other call, and the retry's answer is the
// call's: a 404 is a real 404, and ErrOutcomeUnknown is never returned.
type AdminSessionsService struct {
	client *Client
}

// String describes the service without its Client's token.
func (s *AdminSessionsService) String() string {
	return "vault.AdminSessionsService{" + s.client.String() + "}"
}

// Format prints String for every verb, so no fmt verb prints the token.
func (s *AdminSessionsService) Format(f fmt.State, verb rune) { _, _ = io.WriteString(f, s.String()) }

// ListUserSessions returns every session of the user: active ones, and
// the revoked and expired ones the server keeps, each with its Status.
// An empty list is an empty, non-nil slice.
//
// It reads both forms of the list: the object that wraps the array with
// the user's session limits, which both the spec and the Vault server
// send, and a bare JSON array. WithSessionLimits retrieves the limits:
// Current and Max (the admin list has no Warning). Any other body is a
// *DecodeError.
//
// A user ID that is empty, blank, "." or "..", or that holds a slash,
// backslash or control character, is refused with ErrInvalidArgument
// before anything is sent.
//
// API: GET /admin/users/{userId}/sessions (listUserSessions).
func (s *AdminSessionsService) ListUserSessions(ctx context.Context, userID string, opts ...RequestOption) ([]AdminSessionResponse, error) {
	path, err := adminSessionsPath(userID)
	if err != nil {
		return nil, s.client.refuse(ctx, opListUserSessions, err)
	}
	list := newAdminSessionList(userID)
	return list.result(s.client.do(ctx, opListUserSessions, path, opts, list))
}

// GetUserSession returns one session of the user, whatever its Status.
// A session that does not exist, or is another user's, is an *APIError
// matching ErrNotFound. IDs are checked as ListUserSessions and
// RevokeUserSession check them.
//
// API: GET /admin/users/{userId}/sessions/{sessionId}.
func (s *AdminSessionsService) GetUserSession(ctx context.Context, userID, sessionID string, opts ...RequestOption) (*AdminSessionResponse, error) {
	path, err := adminSessionPath(userID, sessionID)
	if err != nil {
		return nil, s.client.refuse(ctx, opGetUserSession, err)
	}
	body := &adminSessionBody{userID: userID}
	if err := s.client.do(ctx, opGetUserSession, path, opts, body); err != nil {
		return nil, err
	}
	return &body.session, nil
}

// RevokeUserSession revokes one session of the user, signing that device
// out, and answers the server's message, such as "Session <id> revoked
// for user <id>". A session already revoked, or expired, answers the
// same: the call is idempotent. A session that does not exist, or is
// another user's, is an *APIError matching ErrNotFound.
//
// A user ID or session ID that is empty, blank, "." or "..", or that
// holds a slash, backslash or control character, is refused with
// ErrInvalidArgument before anything is sent, as RevokeSession refuses
// one: no ID can reach another route than this session's.
//
// API: DELETE /admin/users/{userId}/sessions/{sessionId}.
func (s *AdminSessionsService) RevokeUserSession(ctx context.Context, userID, sessionID string, opts ...RequestOption) (*MessageResponse, error) {
	path, err := adminSessionPath(userID, sessionID)
	if err != nil {
		return nil, s.client.refuse(ctx, opRevokeUserSession, err)
	}
	return s.client.doMessage(ctx, opRevokeUserSession, path, opts)
}

// RevokeAllUserSessions revokes every active session of the user, signing
// the user out everywhere, as after a password reset or when an account
// is compromised. The server's message counts the sessions the request
// revoked, such as "Revoked 3 sessions for user <id>"; zero when there
// were none, and after a retry whose earlier attempt's answer was lost
// (that attempt revoked them).
//
// API: DELETE /admin/users/{userId}/sessions (revokeAllUserSessions).
func (s *AdminSessionsService) RevokeAllUserSessions(ctx context.Context, userID string, opts ...RequestOption) (*MessageResponse, error) {
	path, err := adminSessionsPath(userID)
	if err != nil {
		return nil, s.client.refuse(ctx, opRevokeAllUserSessions, err)
	}
	return s.client.doMessage(ctx, opRevokeAllUserSessions, path, opts)
}

// adminSessionsPath returns the path of a user's sessions, the ID
// escaped as one segment, or an error for an ID that could name another
// resource.
func adminSessionsPath(userID string) (string, error) {
	if err := checkPathID("user ID", userID); err != nil {
		return "", err
	}
	return adminUsersPath + url.PathEscape(userID) + "/sessions", nil
}

// adminSessionPath returns the path of one session of a user.
func adminSessionPath(userID, sessionID string) (string, error) {
	if err := checkPathID("user ID", userID); err != nil {
		return "", err
	}
	if err := checkPathID("session ID", sessionID); err != nil {
		return "", err
	}
	return adminUsersPath + url.PathEscape(userID) + "/sessions/" + url.PathEscape(sessionID), nil
}
