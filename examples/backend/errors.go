package main

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"

	vault "github.com/vault-dev/vault-go"
)

// writeError answers with the service's own view of an SDK error.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	status, body := h.errorBody(w, r, err)
	writeJSON(w, status, vault.ErrorResponse{Error: body})
}

// errorBody maps an SDK error to a status and a JSON error for our own
// callers, sets the headers that go with the status, and logs what the
// service's operators need:
//
//	401 from Vault                 401: the user's token is not valid there
//	404 from Vault                 404: no such session for this user
//	429 from Vault                 429, with Retry-After when Vault gave a wait
//	bad input (ErrInvalidArgument) 400: nothing was sent to Vault
//	no current session             409: nothing was revoked
//	deadline of callTimeout        504
//	5xx, network, anything else    502: Vault failed, not the caller
//
// The SDK's error text never holds the token, so it is safe to log; it is
// not sent to the caller, who gets a message of ours instead.
func (h *handler) errorBody(w http.ResponseWriter, r *http.Request, err error) (int, vault.ErrorResponseError) {
	status, code, msg := classify(err)
	if status == http.StatusTooManyRequests {
		if wait, ok := vault.RetryAfter(err); ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="account", error="invalid_token"`)
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	h.logger.LogAttrs(r.Context(), level, "vault call failed",
		slog.String("path", r.URL.Path), slog.Int("status", status), slog.String("error", err.Error()))
	return status, vault.ErrorResponseError{Code: code, Message: msg}
}

// classify picks the status, code and message for err; see errorBody.
func classify(err error) (status int, code, msg string) {
	switch {
	case errors.Is(err, vault.ErrInvalidArgument):
		return http.StatusBadRequest, "BAD_REQUEST", "the user or session ID is not valid"
	case errors.Is(err, vault.ErrUnauthorized), errors.Is(err, vault.ErrNoCredential):
		return http.StatusUnauthorized, "UNAUTHORIZED", "the token is invalid, expired or revoked"
	case errors.Is(err, vault.ErrForbidden):
		return http.StatusForbidden, "FORBIDDEN", "not allowed"
	case errors.Is(err, vault.ErrNotFound):
		return http.StatusNotFound, "NOT_FOUND", "no such user or session"
	case errors.Is(err, vault.ErrRateLimited):
		return http.StatusTooManyRequests, "RATE_LIMITED", "too many requests; try again later"
	case errors.Is(err, vault.ErrNoCurrentSession):
		return http.StatusConflict, "NO_CURRENT_SESSION", "the session list has no current session; nothing was revoked"
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, "UPSTREAM_TIMEOUT", "the session service did not answer in time"
	default:
		return http.StatusBadGateway, "UPSTREAM_UNAVAILABLE", "the session service is unavailable; try again later"
	}
}

// failedIDs returns the sessions revoke-others could not revoke.
func failedIDs(err error) []string {
	var partial *vault.RevokeOthersError
	if errors.As(err, &partial) {
		return partial.SessionIDs
	}
	return nil
}
