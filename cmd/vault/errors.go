package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	vault "github.com/vault-dev/vault-go"
	"github.com/vault-dev/vault-go/internal/redact"
)

// Exit codes of the command.
const (
	exitOK      = 0 // success
	exitFailure = 1 // the API or the network failed, or a confirmation was declined
	exitUsage   = 2 // bad flags or arguments, or an unusable configuration
)

// usageError is an error of the command line or the configuration: no
// request was sent, and the exit code is exitUsage.
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

// failure is an error to print as one line, with an optional hint.
type failure struct {
	msg  string
	hint string
}

// fail prints msg and hint to stderr as one line and returns code. The
// token, if known and long enough to be a secret, is blanked out, so that
// no path can print it.
func (c *cli) fail(code int, token, msg, hint string) int {
	line := "vault: " + msg
	if hint != "" {
		line += " (hint: " + hint + ")"
	}
	line = redact.String(line, token)
	fmt.Fprintln(c.stderr, line)
	return code
}

// failUsage prints a usage error and returns exitUsage.
func (c *cli) failUsage(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return c.fail(exitUsage, "", ue.msg, ue.hint)
	}
	return c.fail(exitUsage, "", err.Error(), "")
}

// operation names an SDK call as its errors do, and the object the command
// acted on, such as "revoke session ses_123".
type operation struct {
	sdk   string // the SDK's name, such as "revoke session"
	label string // what to call it on stderr
}

// explain turns the error of an SDK call into a line for stderr: what
// failed and a hint at what to do about it.
func explain(op operation, err error, cfg config) failure {
	var apiErr *vault.APIError
	var decodeErr *vault.DecodeError
	switch {
	case errors.As(err, &apiErr):
		return explainAPIError(op, apiErr, cfg)
	case errors.As(err, &decodeErr):
		return failure{
			msg:  fmt.Sprintf("%s: the %d response is not the API's JSON (Content-Type %q)", op.label, decodeErr.StatusCode, printable(decodeErr.ContentType)),
			hint: "check that --base-url or " + envBaseURL + " points at the Vault API, ending in /api/v1",
		}
	case errors.Is(err, context.DeadlineExceeded):
		return failure{
			msg:  fmt.Sprintf("%s: no answer within %s", op.label, cfg.timeout),
			hint: "raise --timeout, or check --base-url or " + envBaseURL,
		}
	case errors.Is(err, context.Canceled):
		return failure{msg: op.label + ": interrupted"}
	case errors.Is(err, vault.ErrInvalidArgument):
		return failure{msg: op.label + ": " + sdkDetail(op, err)}
	case isNetworkError(err):
		return failure{
			msg:  op.label + ": " + sdkDetail(op, err),
			hint: "check --base-url or " + envBaseURL + ", and the network",
		}
	}
	return failure{msg: op.label + ": " + sdkDetail(op, err)}
}

// explainAPIError explains a non-2xx answer by its status.
func explainAPIError(op operation, e *vault.APIError, cfg config) failure {
	f := failure{msg: op.label + ": " + apiSummary(e)}
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		f.hint = "check " + envToken + " or the token file; the token may be expired or revoked"
		if cfg.tenantID != "" {
			f.hint += ", or belong to another tenant than " + cfg.tenantID
		}
	case e.StatusCode == http.StatusForbidden && op.isAdmin() && cfg.otherAdminToken:
		f.hint = "this token is not a tenant administrator's; " + envAdminToken + ", as vault-mock prints it, holds another: run with " +
			envToken + "=$" + envAdminToken
	case e.StatusCode == http.StatusForbidden && op.isAdmin():
		f.hint = "this token is not a tenant administrator's; check " + envToken + " or the token file"
	case e.StatusCode == http.StatusNotFound && (op.sdk == sdkGetUserSession || op.sdk == sdkRevokeUserSession):
		f.hint = "no such user in this token's tenant, or the session is not the user's; see vault admin sessions list USER_ID"
	case e.StatusCode == http.StatusNotFound && op.isAdmin():
		f.hint = "no such user in this token's tenant; check the user ID, and --base-url or " + envBaseURL
	case e.StatusCode == http.StatusForbidden && op.sdk == "revoke session":
		f.hint = "the session belongs to another user; see vault sessions list for this user's own"
	case e.StatusCode == http.StatusForbidden:
		f.hint = "the token is not allowed to do this; check " + envToken + " and " + envTenantID
	case e.StatusCode == http.StatusNotFound && op.sdk == "revoke session":
		f.hint = "no such session among the user's active ones; see vault sessions list"
	case e.StatusCode == http.StatusNotFound:
		f.hint = "check --base-url or " + envBaseURL + ", which ends in /api/v1"
	case e.StatusCode == http.StatusTooManyRequests && e.RetryAfter > 0:
		f.hint = "rate limited; retry after " + e.RetryAfter.String()
	case e.StatusCode == http.StatusTooManyRequests:
		f.hint = "rate limited; retry in a minute"
	case e.StatusCode >= 500:
		f.hint = "the API is failing; try again later"
		if e.RetryAfter > 0 {
			f.hint += ", after " + e.RetryAfter.String()
		}
	case e.StatusCode >= 300 && e.StatusCode <= 399:
		f.hint = "the server redirects, which is not followed; check --base-url or " + envBaseURL
	}
	return f
}

// apiSummary describes an *APIError without the "vault: operation" prefix
// its Error method has, such as "404 NOT_FOUND: Session not found". It is
// not APIError.Error: the wait the server asked for goes into the hint
// instead, and the request ID support staff ask for is added.
func apiSummary(e *vault.APIError) string {
	s := strconv.Itoa(e.StatusCode)
	if e.Code != "" {
		s += " " + printable(e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = e.Body
	}
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		s += ": " + printable(msg)
	}
	if e.RequestID != "" {
		s += " [request " + printable(e.RequestID) + "]"
	}
	return s
}

// sdkDetail is the message of an SDK error without the "vault: operation: "
// prefix the label replaces.
func sdkDetail(op operation, err error) string {
	s := strings.TrimPrefix(err.Error(), "vault: ")
	return printable(strings.TrimPrefix(s, op.sdk+": "))
}

// isNetworkError reports whether err is a failure to reach the server or
// to read its answer.
func isNetworkError(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue)
}

// printable replaces the control characters of s, which a server could
// use to rewrite the terminal, by '?'.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return '?'
		}
		return r
	}, s)
}
