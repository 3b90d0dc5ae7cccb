package vaulttest

import (
	"net/http"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// MessageLoggedOut is the message of the answer to a logout.
const MessageLoggedOut = "Logged out successfully"

// The handler answers the Vault server's refresh and logout:
//
//	POST /auth/refresh  {"refreshToken":"…"}, without a bearer token
//	POST /auth/logout   with the bearer token of the session to end
//
// Every session has a refresh token (Session.RefreshToken). A refresh
// with it issues the session a new access token and a new refresh
// token, and spends the one sent, as the server's rotation does: the
// answer is {"accessToken","refreshToken","user":{"id","email",
// "emailVerified","name","mfaEnabled"},"mfaRequired":false,
// "sessionInfo":null}. A spent refresh token sent again is taken for a
// stolen one, as the server takes it: the session is revoked, and the
// answer is 401. An unknown refresh token, or one of a revoked or
// expired session, is 401 too. The refresh's 401, and its 400, 415 and
// 422 for a malformed request (see withRefreshRequest), have an empty
// body in both dialects, as the server's handler sends them. The tenant
// comes from the refresh token, as on the server: X-Tenant-ID is not
// read.
//
// A logout revokes the session of its bearer token and answers
// {"message":"Logged out successfully"}, or 400 with an empty body to a
// token without a session (AddSessionlessToken). Its bearer token is
// checked as on the Sessions routes.

// refreshAnswer is the body of a refresh's answer. Its tokens are set
// when the refresh is made, not when it is previewed.
type refreshAnswer struct {
	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken"`
	User         authUser  `json:"user"`
	MFARequired  bool      `json:"mfaRequired"`
	SessionInfo  *struct{} `json:"sessionInfo"` // null, as a refresh sends
}

// authUser is the user of a refresh's answer.
type authUser struct {
	ID            string  `json:"id"`
	Email         string  `json:"email"`
	EmailVerified bool    `json:"emailVerified"`
	Name          *string `json:"name"`
	MFAEnabled    bool    `json:"mfaEnabled"`
}

// refreshLocked decides the answer to a refresh. h.mu must be held.
func (h *Handler) refreshLocked(r *http.Request, now time.Time) result {
	req := refreshRequestOf(r)
	if req.status != 0 {
		return emptyResult(req.status)
	}
	rec := h.auth.refresh[req.token]
	switch {
	case rec == nil:
		return emptyResult(http.StatusUnauthorized)
	case rec.spent:
		// A rotated token sent again: the server takes it for a stolen
		// one and revokes the session.
		s := rec.session
		res := emptyResult(http.StatusUnauthorized)
		res.apply = func() {
			if !s.Revoked {
				revoke(s, now)
			}
		}
		return res
	case !rec.session.Active(now):
		return emptyResult(http.StatusUnauthorized)
	}
	s := rec.session
	body := &refreshAnswer{User: authUserOf(s)}
	return result{
		status: http.StatusOK,
		body:   body,
		apply: func() {
			body.AccessToken = h.newAccessTokenLocked(s, now)
			body.RefreshToken = h.rotateLocked(rec)
			s.LastActivityAt = now
		},
	}
}

// authUserOf returns the user of a refresh's answer: its ID, an address
// made of it, ID@example.com, verified, no name, and multi-factor
// authentication as the session passed it.
func authUserOf(s *Session) authUser {
	return authUser{ID: s.UserID, Email: s.UserID + "@example.com", EmailVerified: true, MFAEnabled: s.MFAVerified}
}

// logoutLocked decides the answer to a logout by who.
func (h *Handler) logoutLocked(who caller, now time.Time) result {
	if who.session == nil {
		return emptyResult(http.StatusBadRequest)
	}
	s := who.session
	return result{
		status: http.StatusOK,
		body:   vault.MessageResponse{Message: MessageLoggedOut},
		apply:  func() { revoke(s, now) },
	}
}
