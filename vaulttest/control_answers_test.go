package vaulttest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestControlAnswersHeldToTheirDeclaration checks that the router answers
// what a route declares in controlAnswers and, for anything else, a 500
// that names the route and what it answered: an action that starts
// answering a new status or type shows in every test that reaches it,
// not only in a client generated from the document.
func TestControlAnswersHeldToTheirDeclaration(t *testing.T) {
	notFound := stateError(errNotFound)
	tests := []struct {
		name   string
		route  string
		status int
		body   any
		err    error
		want   int    // the status answered
		reason string // what the 500 says, if it is one
	}{
		{name: "the declared success", route: "GET /users/{userId}", status: http.StatusOK, body: controlUserView{}, want: http.StatusOK},
		{name: "a declared error of the route", route: "GET /users/{userId}", err: notFound, want: http.StatusNotFound},
		{name: "an error of every route", route: "GET /health", err: badRequest("x"), want: http.StatusBadRequest},
		{name: "415 on a POST", route: "POST /users", err: &controlError{status: http.StatusUnsupportedMediaType}, want: http.StatusUnsupportedMediaType},
		{name: "a declared stream", route: "GET /requests", status: http.StatusOK, body: jsonStream(nil), want: http.StatusOK},
		{name: "no body, declared", route: "DELETE /faults", status: http.StatusNoContent, want: http.StatusNoContent},
		{name: "an error that is not a refusal", route: "GET /clock", err: errors.New("broken"), want: http.StatusInternalServerError},

		{name: "another success status", route: "POST /users", status: http.StatusOK, body: controlUserView{}, want: http.StatusInternalServerError,
			reason: "POST /users answered 200, not 201, which it does not declare"},
		{name: "another body type", route: "GET /users/{userId}", status: http.StatusOK, body: controlSession{}, want: http.StatusInternalServerError,
			reason: "GET /users/{userId} answered a body of type vaulttest.controlSession, not vaulttest.controlUserView"},
		{name: "a body where none is declared", route: "POST /reset", status: http.StatusNoContent, body: controlClock{}, want: http.StatusInternalServerError,
			reason: "a body of type vaulttest.controlClock, not <nil>"},
		{name: "a list where a stream is declared", route: "GET /requests", status: http.StatusOK, body: []controlRequest{}, want: http.StatusInternalServerError,
			reason: "a body of type []vaulttest.controlRequest"},
		{name: "an error the route does not declare", route: "GET /health", err: notFound, want: http.StatusInternalServerError,
			reason: "GET /health answered the error 404 NOT_FOUND (not found), which it does not declare"},
		{name: "415 on a GET", route: "GET /clock", err: &controlError{status: http.StatusUnsupportedMediaType, Code: "UNSUPPORTED_MEDIA_TYPE"}, want: http.StatusInternalServerError,
			reason: "the error 415 UNSUPPORTED_MEDIA_TYPE"},
		{name: "a route without a declaration", route: "GET /nowhere", status: http.StatusOK, body: controlClock{}, want: http.StatusInternalServerError,
			reason: "GET /nowhere answered an answer, and it declares none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, err := controlAnswers[tt.route].hold(tt.route, tt.status, tt.body, tt.err)
			var ce *controlError
			switch {
			case errors.As(err, &ce):
				status = ce.status
			case err != nil:
				status = http.StatusInternalServerError
			}
			assert.Equal(t, tt.want, status)
			if tt.reason == "" {
				if err == nil {
					assert.Equal(t, reflect.TypeOf(tt.body), reflect.TypeOf(body), "the body answered")
				}
				return
			}
			require.NotNil(t, ce)
			assert.Equal(t, CodeInternalError, ce.Code)
			assert.Contains(t, ce.Message, tt.reason)
		})
	}
}

// TestControlRouterHoldsAnswers checks that the router itself applies
// the declarations: a route whose declaration lists no 404 answers a
// missing user with a 500 that says so, where its own declaration
// answers 404. It swaps one declaration for its duration, which no other
// test sees: no test of the package runs in parallel, and those that
// do would start only after it.
func TestControlRouterHoldsAnswers(t *testing.T) {
	h := NewHandler(WithControlAPI(ControlOptions{}))
	t.Cleanup(h.Close)
	serve := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, ControlPath+"/users/nobody", nil)
		req.Host = "localhost"
		req.RemoteAddr = "127.0.0.1:1234"
		h.ServeHTTP(rec, req)
		return rec
	}
	require.Equal(t, http.StatusNotFound, serve().Code, "as declared")

	route := "GET /users/{userId}"
	declared := controlAnswers[route]
	t.Cleanup(func() { controlAnswers[route] = declared })
	controlAnswers[route] = answer[controlUserView](http.StatusOK)
	rec := serve()
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.True(t, strings.Contains(rec.Body.String(), "GET /users/{userId} answered the error 404 NOT_FOUND"), "%s", rec.Body)
}
