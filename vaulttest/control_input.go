package vaulttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The input rules of the control API, which every route follows, so that
// a mistake in a test suite gets an answer that names it rather than a
// default that hides it:
//
//   - a member name is matched exactly: an unknown member, one that
//     differs from a known one by case only and one that appears twice
//     are refused, each with a 400 that names it;
//   - a member of another JSON type than the route takes is refused with
//     the type it takes;
//   - a body of null is refused: a route that takes no body takes
//     nothing or an empty object, and one that takes a body, a value;
//   - null is taken as a member left out, and so is an empty string,
//     but where it means nothing: a fault's string members and the
//     clock's advance refuse "", and a fault's header refuses a null
//     value (controlFault.checkEmpty);
//   - the query parameters of a route are matched the same way: an
//     unknown one, one given twice and one without a value are refused;
//   - a body is at most maxControlBody bytes (413).

// bodyRule is what a control route takes as its body.
type bodyRule int

const (
	// noBody: nothing, or an empty JSON object.
	noBody bodyRule = iota
	// optionalBody: a JSON value of the route's type, or nothing.
	optionalBody
	// requiredBody: a JSON value of the route's type.
	requiredBody
)

// readBody reads the body of c's request, at most maxControlBody bytes.
func (c *controlCall) readBody() error {
	b, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, maxControlBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &controlError{status: http.StatusRequestEntityTooLarge, Code: "PAYLOAD_TOO_LARGE",
			Message: fmt.Sprintf("the body is larger than %d bytes", maxControlBody)}
	case err != nil:
		return badRequest("reading the body: %v", err)
	}
	c.body = b
	if c.rule == noBody {
		// Nothing, or {} as a client library sends for "no members",
		// and no member more.
		var none struct{}
		return c.decode(&none)
	}
	return nil
}

// decode reads the request's JSON body into v by the input rules. An
// absent body leaves v as it is, unless the route requires one.
func (c *controlCall) decode(v any) error {
	trimmed := bytes.TrimSpace(c.body)
	if len(trimmed) == 0 {
		if c.rule == requiredBody {
			return badRequest("%s needs a JSON body", c.route)
		}
		return nil
	}
	if string(trimmed) == "null" {
		// null would leave v as it is: a body that says nothing is
		// either left out or a mistake.
		if c.rule == noBody {
			return badRequest("%s takes no body, or {}: not null", c.route)
		}
		return badRequest("%s takes a JSON object, not null; leave the body out to send none", c.route)
	}
	err := json.Unmarshal(c.body, v, json.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	ce := jsonInputError(err)
	if c.rule == noBody {
		ce.Message = fmt.Sprintf("%s takes no body, or {}: %s", c.route, ce.Message)
	}
	return ce
}

// jsonInputError turns an error of json.Unmarshal into a 400 that names
// the member at fault: its name in field, its index in index for a member
// of an array's element, and its whole path in the message.
func jsonInputError(err error) *controlError {
	var (
		sem *json.SemanticError
		syn *jsontext.SyntacticError
		ptr jsontext.Pointer
	)
	switch {
	case errors.As(err, &sem):
		ptr = sem.JSONPointer
	case errors.As(err, &syn):
		ptr = syn.JSONPointer
	default:
		return badRequest("the body is not what the route takes: %v", err)
	}
	ce := badRequest("")
	var path []string
	for tok := range ptr.Tokens() {
		path = append(path, tok)
	}
	// The member is the first name of the path: "status" of /1/status,
	// "header" of /header/X-Foo; a leading index is that of the element
	// of an array.
	if len(path) > 0 {
		if n, ok := arrayIndex(path[0]); ok {
			ce.Index = &n
			path = path[1:]
		}
	}
	where := "the body"
	if len(path) > 0 {
		ce.Field = path[0]
		where = fmt.Sprintf("member %q", strings.Join(path, "/"))
	}

	switch {
	case syn != nil && syn.Err == jsontext.ErrDuplicateName:
		name := ptr.LastToken()
		if len(path) > 1 {
			ce.Message = fmt.Sprintf("member %q has the member %q twice", strings.Join(path[:len(path)-1], "/"), name)
		} else {
			ce.Message = fmt.Sprintf("member %q appears twice", name)
		}
	case syn != nil:
		ce.Message = fmt.Sprintf("the body is not valid JSON: %v", strings.TrimPrefix(syn.Error(), "jsontext: "))
	case errors.Is(sem.Err, json.ErrUnknownName):
		ce.Message = unknownMember(ptr.LastToken(), sem.GoType)
	case sem.GoType == nil:
		ce.Message = fmt.Sprintf("%s: %v", where, sem.Err)
	case sem.JSONKind == '0' && sem.Err != nil, sem.GoType == timeType && sem.JSONKind == '"':
		ce.Message = fmt.Sprintf("%s must be %s", where, jsonTypeOf(sem.GoType))
	case sem.Err != nil && sem.JSONKind == '"':
		// A string its type refused, such as an unknown webhook form.
		ce.Message = fmt.Sprintf("%s: %v", where, sem.Err)
	default:
		ce.Message = fmt.Sprintf("%s must be %s, not %s", where, jsonTypeOf(sem.GoType), jsonKindName(sem.JSONKind))
	}
	if ce.Index != nil {
		ce.Message = fmt.Sprintf("[%d]: %s", *ce.Index, ce.Message)
	}
	return ce
}

func arrayIndex(tok string) (int, bool) {
	n := 0
	if tok == "" || len(tok) > 9 {
		return 0, false
	}
	for _, r := range tok {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

// unknownMember says that name is not a member of the JSON form of the
// struct type t, and which member it may have meant.
func unknownMember(name string, t reflect.Type) string {
	known := memberNames(t)
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf("unknown member %q: member names are case-sensitive; write %q", name, k)
		}
	}
	if len(known) == 0 {
		return fmt.Sprintf("unknown member %q: the route takes no members", name)
	}
	return fmt.Sprintf("unknown member %q: the members are %s", name, quoteAll(known))
}

// memberNames returns the JSON member names of the struct type t.
func memberNames(t reflect.Type) []string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

func quoteAll(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

var timeType = reflect.TypeFor[time.Time]()

// jsonTypeOf describes the JSON values a Go type takes.
func jsonTypeOf(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return `an RFC 3339 time, such as "2025-03-14T09:00:00Z"`
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "an integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "a number"
	case t.Kind() == reflect.Map || t.Kind() == reflect.Struct:
		return "an object"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return "an array"
	}
	return "a JSON value"
}

func jsonKindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 'f', 't':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "a JSON value"
}
