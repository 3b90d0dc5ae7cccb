package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	vault "github.com/vault-dev/vault-go"
)

// callTimeout bounds the Vault calls of one incoming request, retries
// included, so that a slow API cannot hold a request of ours forever.
const callTimeout = 15 * time.Second

// handler serves the security-page API. It holds one vault.Client for
// every user: each call carries the incoming request's own token through
// vault.WithAccessToken, so the Client never holds a credential itself.
type handler struct {
	client *vault.Client
	logger *slog.Logger
}

// newHandler returns the service's routes:
//
//	GET    /account/sessions               the user's sessions
//	DELETE /account/sessions/{id}          sign one device out
//	POST   /account/sessions/revoke-others sign out of every other device
//	POST   /account/logout-everywhere      sign out of every device, this one too
//
// and, for staff who are administrators of the tenant in Vault (admin.go):
//
//	GET    /admin/users/{userId}/sessions              a user's devices, with their status
//	DELETE /admin/users/{userId}/sessions/{id}         sign one device of a user out
//	POST   /admin/users/{userId}/sign-out-everywhere   sign a user out of every device
//
// Each request must carry "Authorization: Bearer <token>", where the token
// is the caller's Vault token; see the package documentation.
func newHandler(client *vault.Client, logger *slog.Logger) http.Handler {
	h := &handler{client: client, logger: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /account/sessions", h.listSessions)
	mux.HandleFunc("DELETE /account/sessions/{id}", h.revokeSession)
	mux.HandleFunc("POST /account/sessions/revoke-others", h.revokeOtherSessions)
	mux.HandleFunc("POST /account/logout-everywhere", h.logoutEverywhere)
	mux.HandleFunc("GET /admin/users/{userId}/sessions", h.listUserSessions)
	mux.HandleFunc("DELETE /admin/users/{userId}/sessions/{id}", h.revokeUserSession)
	mux.HandleFunc("POST /admin/users/{userId}/sign-out-everywhere", h.signOutEverywhere)
	return h.logRequests(mux)
}

// sessionsResponse is the answer of GET /account/sessions.
type sessionsResponse struct {
	Sessions []vault.SessionResponse `json:"sessions"`
}

// revokedResponse is the answer of the revoke routes. On a partial
// failure of revoke-others it comes with an error and Failed.
type revokedResponse struct {
	Error   *vault.ErrorResponseError `json:"error,omitempty"`
	Revoked []string                  `json:"revoked"`
	Failed  []string                  `json:"failed,omitempty"`
}

func (h *handler) listSessions(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	sessions, err := h.client.Sessions.ListSessions(ctx, vault.WithAccessToken(token))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sessionsResponse{Sessions: sessions})
}

func (h *handler) revokeSession(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	id := r.PathValue("id")
	// The SDK refuses an ID that could reach another route (such as one
	// holding an encoded slash) with ErrInvalidArgument: a 400 here.
	if _, err := h.client.Sessions.RevokeSession(ctx, id, vault.WithAccessToken(token)); err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, revokedResponse{Revoked: []string{id}})
}

func (h *handler) revokeOtherSessions(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	revoked, err := h.client.Sessions.RevokeOtherSessions(ctx, vault.WithAccessToken(token))
	if err != nil {
		// Some devices may have been signed out even so: say which.
		status, body := h.errorBody(w, r, err)
		writeJSON(w, status, revokedResponse{Error: &body, Revoked: nonNil(revoked), Failed: failedIDs(err)})
		return
	}
	writeJSON(w, http.StatusOK, revokedResponse{Revoked: revoked})
}

func (h *handler) logoutEverywhere(w http.ResponseWriter, r *http.Request) {
	ctx, cancel, token, ok := h.begin(w, r)
	if !ok {
		return
	}
	defer cancel()
	msg, err := h.client.Sessions.LogoutAllSessions(ctx, vault.WithAccessToken(token))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, msg)
}

// begin reads the caller's bearer token and bounds the request's Vault
// calls. Without a token it answers 401 and ok is false: nothing is sent
// to Vault for an anonymous request.
func (h *handler) begin(w http.ResponseWriter, r *http.Request) (context.Context, context.CancelFunc, string, bool) {
	token, ok := bearerToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="account"`)
		writeJSON(w, http.StatusUnauthorized, vault.ErrorResponse{Error: vault.ErrorResponseError{
			Code: "UNAUTHORIZED", Message: "an Authorization: Bearer token is required",
		}})
		return nil, nil, "", false
	}
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	return ctx, cancel, token, true
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// logRequests logs each request's method, path, status and duration. It
// never logs headers, so the caller's token stays out of the log.
func (h *handler) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		h.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Duration("duration", time.Since(start)))
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}
