package main

import (
	"net/http"

	vault "github.com/vault-dev/vault-go"
)

// The routes of the service's support console, for staff who signed in
// through Vault as administrators of the tenant. Their token is forwarded
// to Vault's admin API as is, so Vault decides who is an administrator:
// a token that is not an administrator's gets 403 from Vault, and from
// here. A user of another tenant is 404.

// userSessionsResponse is the answer of GET /admin/users/{userId}/sessions.
type userSessionsResponse struct {
	Sessions []vault.AdminSessionResponse `json:"sessions"`
	// Active and Max count the user's active sessions against the
	// user's limit, when Vault reports them.
	Active int `json:"active"`
	Max    int `json:"max,omitempty"`
}

// listUserSessions shows every device of a user, revoked and expired
// sessions included, each with its status.
func (h *handler) listUserSessions(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	var limits vault.SessionLimits
	sessions, err := h.client.AdminSessions.ListUserSessions(ctx, r.PathValue("userId"),
		vault.WithAccessToken(token), vault.WithSessionLimits(&limits))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userSessionsResponse{Sessions: sessions, Active: limits.Current, Max: limits.Max})
}

// revokeUserSession signs one device of a user out, such as a lost
// phone. Revoking a session already gone succeeds again.
func (h *handler) revokeUserSession(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	id := r.PathValue("id")
	if _, err := h.client.AdminSessions.RevokeUserSession(ctx, r.PathValue("userId"), id, vault.WithAccessToken(token)); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revokedResponse{Revoked: []string{id}})
}

// signOutEverywhere signs a user out of every device: what a password
// reset or a compromised account calls for. The call is safe to repeat.
func (h *handler) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	msg, err := h.client.AdminSessions.RevokeAllUserSessions(ctx, r.PathValue("userId"), vault.WithAccessToken(token))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, msg)
}
