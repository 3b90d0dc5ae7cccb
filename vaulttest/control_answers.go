package vaulttest

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// What each route of the control API answers, in one place. The router
// holds every answer to the declaration of its route (controlAnswer.hold),
// so that an action cannot start answering a status or a body that is not
// declared here, and TestControlOpenAPIMatchesTheRoutes holds
// api/control-openapi.yaml to these declarations, both ways.

// controlAnswers declares, for each route of controlRoutes, its answer
// when it succeeds and the statuses of the errors only it answers; every
// route may also answer controlErrorsOfEveryRoute.
var controlAnswers = map[string]controlAnswer{
	"GET /health":                       answer[controlHealth](http.StatusOK),
	"POST /users":                       answer[controlUserView](http.StatusCreated),
	"GET /users/{userId}":               answer[controlUserView](http.StatusOK, http.StatusNotFound),
	"GET /users/{userId}/sessions":      answer[[]controlSession](http.StatusOK, http.StatusNotFound),
	"POST /users/{userId}/sessions":     answer[controlSession](http.StatusCreated, http.StatusConflict),
	"POST /users/{userId}/tokens":       answer[controlToken](http.StatusCreated, http.StatusConflict),
	"POST /demo":                        answer[[]controlSession](http.StatusCreated),
	"GET /sessions/{sessionId}":         answer[controlSession](http.StatusOK, http.StatusNotFound),
	"POST /sessions/{sessionId}/revoke": answer[controlSession](http.StatusOK, http.StatusNotFound),
	"POST /sessions/{sessionId}/expire": answer[controlSession](http.StatusOK, http.StatusNotFound),
	"GET /faults":                       answer[controlFaultList](http.StatusOK),
	"POST /faults":                      answer[controlFaultList](http.StatusCreated, http.StatusConflict), // 409: the queue is full
	"DELETE /faults":                    noContent(),
	"GET /faults/{faultId}":             answer[controlFaultView](http.StatusOK, http.StatusNotFound),
	"DELETE /faults/{faultId}":          noContent(http.StatusNotFound),
	"GET /clock":                        answer[controlClock](http.StatusOK),
	"POST /clock":                       answer[controlClock](http.StatusOK),
	"GET /requests":                     streamOf[controlRequest](http.StatusOK),
	"DELETE /requests":                  noContent(),
	"GET /requests/count":               answer[controlCount](http.StatusOK),
	"GET /requests/wait":                streamOf[controlRequest](http.StatusOK, http.StatusRequestTimeout),
	"POST /reset":                       noContent(),
	"GET /webhooks":                     answer[[]controlWebhook](http.StatusOK),
	"POST /webhooks":                    answer[controlWebhook](http.StatusCreated, http.StatusConflict), // 409: the handler is closed
	"DELETE /webhooks/{webhookId}":      noContent(http.StatusNotFound),
	"GET /deliveries":                   answer[[]controlDelivery](http.StatusOK, http.StatusRequestTimeout),
	"DELETE /deliveries":                noContent(),
	"POST /deliveries/twice":            answer[controlTwice](http.StatusOK),
}

// controlErrorsOfEveryRoute are the statuses of the errors any route
// may answer; a POST may also answer 415, for a body that is not JSON.
var controlErrorsOfEveryRoute = []int{
	http.StatusBadRequest,            // input the route does not take: an unknown query parameter, a body where it takes none, ...
	http.StatusForbidden,             // a client or a Host off the loopback interface, without AllowRemote
	http.StatusRequestEntityTooLarge, // a body over maxControlBody
	http.StatusInternalServerError,   // a bug: an error that is not a refusal, or an answer the route does not declare
}

// controlAnswer is what a control route answers.
type controlAnswer struct {
	// status is the status of its answer when it succeeds.
	status int
	// body is the Go type of that answer's body, a slice for a JSON
	// array, nil for no body.
	body reflect.Type
	// stream tells that the body is a jsonStream writing the elements
	// of the slice body.
	stream bool
	// errors are the statuses of the errors the route answers besides
	// controlErrorsOfEveryRoute.
	errors []int
}

// answer declares a route that answers status with a body of type T.
func answer[T any](status int, errors ...int) controlAnswer {
	return controlAnswer{status: status, body: reflect.TypeFor[T](), errors: errors}
}

// streamOf declares a route that answers status with a JSON array of T,
// written as it is encoded.
func streamOf[T any](status int, errors ...int) controlAnswer {
	return controlAnswer{status: status, body: reflect.TypeFor[[]T](), stream: true, errors: errors}
}

// noContent declares a route that answers 204 without a body.
func noContent(errors ...int) controlAnswer {
	return controlAnswer{status: http.StatusNoContent, errors: errors}
}

// errorStatuses returns, in order, the statuses of every error the route
// answers to the method.
func (a controlAnswer) errorStatuses(method string) []int {
	out := slices.Concat(controlErrorsOfEveryRoute, a.errors)
	if method == http.MethodPost {
		out = append(out, http.StatusUnsupportedMediaType)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// hold returns the answer of an action of route, status, body and err,
// if a declares it, and otherwise a 500 that names what was not
// declared: a route's answers are those of its declaration, which the
// OpenAPI document is checked against.
func (a controlAnswer) hold(route string, status int, body any, err error) (int, any, error) {
	method, _, _ := strings.Cut(route, " ")
	var ce *controlError
	switch {
	case errors.As(err, &ce):
		if !slices.Contains(a.errorStatuses(method), ce.status) {
			return 0, nil, undeclared(route, fmt.Sprintf("the error %d %s (%s)", ce.status, ce.Code, ce.Message))
		}
		return 0, nil, err
	case err != nil:
		return 0, nil, err // a 500, which every route declares
	case a.status == 0:
		return 0, nil, undeclared(route, "an answer, and it declares none")
	case status != a.status:
		return 0, nil, undeclared(route, fmt.Sprintf("%d, not %d", status, a.status))
	case !a.carries(body):
		return 0, nil, undeclared(route, fmt.Sprintf("a body of type %T, not %v", body, a.body))
	}
	return status, body, nil
}

// carries reports whether body is a body of the declared type.
func (a controlAnswer) carries(body any) bool {
	switch {
	case a.body == nil:
		return body == nil
	case a.stream:
		_, ok := body.(jsonStream)
		return ok
	}
	return reflect.TypeOf(body) == a.body
}

// undeclared is the 500 of a route that answered what it does not
// declare.
func undeclared(route, what string) *controlError {
	return &controlError{status: http.StatusInternalServerError, Code: CodeInternalError,
		Message: fmt.Sprintf("%s answered %s, which it does not declare: a bug of the control API", route, what)}
}
