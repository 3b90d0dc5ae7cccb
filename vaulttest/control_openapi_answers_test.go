package vaulttest

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkAnswers checks each operation of doc against the declaration of
// its route in controlAnswers, which the router holds every answer to:
// the document lists exactly the statuses the route declares, its
// success with the schema of the declared Go type and its errors with
// the schema Error.
func checkAnswers(t *testing.T, doc openAPIDoc) {
	t.Helper()
	var routes []string
	for _, rt := range controlRoutes {
		routes = append(routes, rt.method+" "+rt.pattern)
	}
	assert.ElementsMatch(t, routes, slices.Collect(maps.Keys(controlAnswers)),
		"every route, and no other, declares its answers in controlAnswers")
	for _, rt := range controlRoutes {
		name := rt.method + " " + rt.pattern
		node, ok := doc.Paths[rt.pattern][strings.ToLower(rt.method)]
		a, declared := controlAnswers[name]
		if !ok || !declared {
			continue
		}
		var op struct {
			Responses map[string]openAPIResponse `yaml:"responses"`
		}
		require.NoError(t, node.Decode(&op), name)

		success := strconv.Itoa(a.status)
		want := []string{success}
		for _, code := range a.errorStatuses(rt.method) {
			want = append(want, strconv.Itoa(code))
		}
		got := slices.Sorted(maps.Keys(op.Responses))
		assert.Empty(t, without(got, want), "%s: statuses the document lists that the route does not declare in controlAnswers", name)
		assert.Empty(t, without(want, got), "%s: statuses the route declares in controlAnswers that the document does not list", name)

		if resp, ok := op.Responses[success]; ok {
			assert.Equal(t, schemaOfType(a.body), schemaOfResponse(doc, resp),
				"%s: the schema of its %s answer, and that of the Go type it declares", name, success)
		}
		for _, code := range want[1:] {
			if resp, ok := op.Responses[code]; ok {
				assert.Equal(t, "Error", schemaOfResponse(doc, resp), "%s: the schema of its %s answer", name, code)
			}
		}
	}
}

// without returns the elements of a that are not in b.
func without(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// schemaOfResponse returns the name of the schema of the JSON body of
// resp, a response of doc or a reference to one: "[]X" for an array of
// X, "" for no body.
func schemaOfResponse(doc openAPIDoc, resp openAPIResponse) string {
	if name, ok := strings.CutPrefix(resp.Ref, "#/components/responses/"); ok {
		r, found := doc.Components.Responses[name]
		if !found {
			return "(no response " + name + ")"
		}
		resp = r
	}
	if len(resp.Content) == 0 {
		return ""
	}
	js, ok := resp.Content["application/json"]
	if !ok {
		return "(no JSON body)"
	}
	if js.Schema.Type == "array" {
		return "[]" + strings.TrimPrefix(js.Schema.Items.Ref, "#/components/schemas/")
	}
	return strings.TrimPrefix(js.Schema.Ref, "#/components/schemas/")
}

// schemaOfType returns the name of the schema of the answers of Go type
// t, by controlSchemas: "[]X" for a slice of X's type, "" for nil.
func schemaOfType(t reflect.Type) string {
	if t == nil {
		return ""
	}
	if t.Kind() == reflect.Slice {
		return "[]" + schemaOfType(t.Elem())
	}
	var names []string
	for name, typ := range controlSchemas {
		if typ == t {
			names = append(names, name)
		}
	}
	if len(names) > 1 {
		// A type read and answered alike, such as controlToken: the
		// schema of the answer.
		names = slices.DeleteFunc(names, func(name string) bool { return controlInputSchemas[name] })
	}
	if len(names) != 1 {
		return "(" + strconv.Itoa(len(names)) + " schemas of " + t.String() + " in controlSchemas)"
	}
	return names[0]
}
