package vaulttest

import (
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
)

// Route patterns of the authentication routes, relative to BasePath, in
// the form Fault.Route accepts.
const (
	RouteRefreshToken = "POST /auth/refresh"
	RouteLogout       = "POST /auth/logout"
)

const (
	patternRefresh = "/auth/refresh"
	patternLogout  = "/auth/logout"
)

// isAuthPattern reports whether a matched pattern is one of the
// authentication routes.
func isAuthPattern(pattern string) bool {
	return pattern == patternRefresh || pattern == patternLogout
}

// matchAuthRoute matches rest, an escaped path relative to BasePath,
// against the authentication routes.
func matchAuthRoute(rest string) (route, bool) {
	if isAuthPattern(rest) {
		return route{pattern: rest, found: true}, true
	}
	return route{}, false
}

// authMethods are the methods the authentication patterns answer.
var authMethods = []string{http.MethodPost}

// refreshBodyLimit bounds the body of a refresh the handler reads: a
// refresh token is a few kilobytes at most.
const refreshBodyLimit = 64 << 10

// refreshRequest is what the body of a refresh came to: the refresh
// token, or the status of a body the server refuses.
type refreshRequest struct {
	token  string
	status int
}

type refreshRequestKey struct{}

// withRefreshRequest reads the body of a refresh before the handler
// takes its lock, and returns r with what it read in its context, for
// every answer the handler decides on (a fault may first preview the
// answer, then make it). The body is read as the Vault server's JSON
// extractor and validation read it:
//
//   - a Content-Type that is not JSON is 415;
//   - a body that is not JSON is 400;
//   - a JSON body without a "refreshToken" string is 422;
//   - an empty "refreshToken" is 400.
func withRefreshRequest(r *http.Request) *http.Request {
	req := readRefreshRequest(r)
	return r.WithContext(context.WithValue(r.Context(), refreshRequestKey{}, req))
}

func readRefreshRequest(r *http.Request) refreshRequest {
	media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if media != "application/json" && !strings.HasSuffix(media, "+json") {
		return refreshRequest{status: http.StatusUnsupportedMediaType}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, refreshBodyLimit+1))
	if err != nil || len(body) > refreshBodyLimit || !json.Valid(body) {
		return refreshRequest{status: http.StatusBadRequest}
	}
	// The member name is matched exactly, as the server's does.
	var members map[string]json.RawMessage
	var token string
	if json.Unmarshal(body, &members) != nil || members["refreshToken"] == nil ||
		json.Unmarshal(members["refreshToken"], &token) != nil || string(members["refreshToken"]) == "null" {
		return refreshRequest{status: http.StatusUnprocessableEntity}
	}
	if token == "" {
		return refreshRequest{status: http.StatusBadRequest}
	}
	return refreshRequest{token: token}
}

// refreshRequestOf returns what withRefreshRequest read of r.
func refreshRequestOf(r *http.Request) refreshRequest {
	req, ok := r.Context().Value(refreshRequestKey{}).(refreshRequest)
	if !ok {
		return refreshRequest{status: http.StatusBadRequest}
	}
	return req
}
