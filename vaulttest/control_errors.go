package vaulttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// controlError is the error of a control request, in the body
// {"error":{"code":"...","message":"..."}} as the API's own errors, with
// the members that say what was refused, null where they do not apply.
type controlError struct {
	status int
	allow  []string

	Code    string
	Message string
	// Field is the member or query parameter refused; for a refused
	// fault, the member of the fault at fault.
	Field string
	// Index is the index of the refused element of an array.
	Index *int
	// For a refused fault route: what to write instead, if known.
	Route     string
	SessionID string
}

func (e *controlError) Error() string { return e.Message }

// MarshalJSON writes every member of the error, null where empty.
func (e *controlError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Code      string  `json:"code"`
		Message   string  `json:"message"`
		Field     *string `json:"field"`
		Index     *int    `json:"index"`
		Route     *string `json:"route"`
		SessionID *string `json:"sessionId"`
	}{e.Code, e.Message, nullable(e.Field), e.Index, nullable(e.Route), nullable(e.SessionID)})
}

// nullable returns nil for "", so that an empty member is null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type controlErrorBody struct {
	Error *controlError `json:"error"`
}

func badRequest(format string, args ...any) *controlError {
	return &controlError{status: http.StatusBadRequest, Code: CodeBadRequest, Message: fmt.Sprintf(format, args...)}
}

// stateError turns an error of a state change into its answer.
func stateError(err error) error {
	switch {
	case errors.Is(err, errConflict):
		return &controlError{status: http.StatusConflict, Code: "CONFLICT", Message: err.Error()}
	case errors.Is(err, errNotFound):
		return &controlError{status: http.StatusNotFound, Code: CodeNotFound, Message: err.Error()}
	case errors.Is(err, errInvalid):
		return badRequest("%s", err.Error())
	}
	return err
}
