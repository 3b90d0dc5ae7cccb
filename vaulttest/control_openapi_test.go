package vaulttest

import (
	"encoding"
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// openAPIDoc is what the check reads of an OpenAPI document.
type openAPIDoc struct {
	Paths      map[string]map[string]yaml.Node `yaml:"paths"`
	Components struct {
		Parameters map[string]openAPIParam    `yaml:"parameters"`
		Responses  map[string]openAPIResponse `yaml:"responses"`
		Schemas    map[string]openAPISchema   `yaml:"schemas"`
	} `yaml:"components"`
}

type openAPIOperation struct {
	Parameters  []openAPIParam `yaml:"parameters"`
	RequestBody *struct {
		Required bool `yaml:"required"`
	} `yaml:"requestBody"`
}

type openAPIParam struct {
	Ref  string `yaml:"$ref"`
	Name string `yaml:"name"`
	In   string `yaml:"in"`
}

type openAPISchema struct {
	Type                 string               `yaml:"type"`
	Nullable             bool                 `yaml:"nullable"`
	Properties           map[string]yaml.Node `yaml:"properties"`
	Required             []string             `yaml:"required"`
	AdditionalProperties *bool                `yaml:"additionalProperties"`
}

// openAPIProperty is what the check reads of a member of a schema.
type openAPIProperty struct {
	Ref      string `yaml:"$ref"`
	Type     string `yaml:"type"`
	Nullable bool   `yaml:"nullable"`
}

// openAPIResponse is what the check reads of a response of an operation:
// a reference to one of the document's responses, or its content.
type openAPIResponse struct {
	Ref     string `yaml:"$ref"`
	Content map[string]struct {
		Schema struct {
			Ref   string `yaml:"$ref"`
			Type  string `yaml:"type"`
			Items struct {
				Ref string `yaml:"$ref"`
			} `yaml:"items"`
		} `yaml:"schema"`
	} `yaml:"content"`
}

// controlInputSchemas are the schemas of request bodies, whose members
// may be left out; the members of every other schema are all sent.
var controlInputSchemas = map[string]bool{
	"UserSeed": true, "SessionSeed": true, "TokenSeed": true, "Demo": true,
	"Fault": true, "ClockChange": true, "WebhookSeed": true, "Twice": true,
}

// openAPITypeOf returns the OpenAPI type of the JSON form of the Go type
// t, a pointer's that of what it points to, and "" for a type the check
// leaves alone: raw JSON, and a struct described by a schema of its own.
func openAPITypeOf(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		return "string"
	case t == reflect.TypeFor[json.RawMessage](), t == reflect.TypeFor[jsontext.Value]():
		return ""
	case t.Implements(reflect.TypeFor[encoding.TextMarshaler]()):
		return "string"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map:
		return "object"
	}
	return ""
}

// checkMembers checks the members of the schema name of doc against the
// Go type typ: the type of each, and that every member of an answer is
// required, as the control API always sends it. Whether a member can be
// null is checkNulls's.
func checkMembers(t *testing.T, name string, schema openAPISchema, typ reflect.Type) {
	t.Helper()
	input := controlInputSchemas[name]
	if !input {
		assert.ElementsMatch(t, slices.Sorted(maps.Keys(schema.Properties)), schema.Required,
			"every member of an answer %s is sent", name)
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		member, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		node, ok := schema.Properties[member]
		if !f.IsExported() || member == "-" || !ok {
			continue
		}
		var p openAPIProperty
		require.NoError(t, node.Decode(&p), "%s.%s", name, member)
		if goType := openAPITypeOf(f.Type); goType != "" && p.Ref == "" {
			assert.Equal(t, goType, p.Type, "the type of %s.%s", name, member)
		}
	}
}

// controlSchemas are the Go types of the schemas of
// api/control-openapi.yaml; nil for one checked otherwise.
var controlSchemas = map[string]reflect.Type{
	"Error":        nil, // controlError writes its own JSON
	"Health":       reflect.TypeFor[controlHealth](),
	"UserSeed":     reflect.TypeFor[controlUser](),
	"User":         reflect.TypeFor[controlUserView](),
	"DeviceInfo":   nil, // vault.DeviceInfoResponse, open to any member
	"Session":      reflect.TypeFor[controlSession](),
	"SessionSeed":  reflect.TypeFor[controlSeed](),
	"TokenSeed":    reflect.TypeFor[controlToken](),
	"Token":        reflect.TypeFor[controlToken](),
	"Demo":         reflect.TypeFor[controlDemo](),
	"Fault":        reflect.TypeFor[controlFault](),
	"PendingFault": reflect.TypeFor[controlFaultView](),
	"FaultList":    reflect.TypeFor[controlFaultList](),
	"Clock":        reflect.TypeFor[controlClock](),
	"ClockChange":  reflect.TypeFor[controlClockChange](),
	"Request":      reflect.TypeFor[controlRequest](),
	"Count":        reflect.TypeFor[controlCount](),
	"WebhookSeed":  reflect.TypeFor[controlWebhookSeed](),
	"Webhook":      reflect.TypeFor[controlWebhook](),
	"Delivery":     reflect.TypeFor[controlDelivery](),
	"Attempt":      reflect.TypeFor[controlAttempt](),
	"Twice":        reflect.TypeFor[controlTwice](),
}

// TestControlOpenAPIMatchesTheRoutes checks api/control-openapi.yaml
// against the control API: every route is documented with the query
// parameters and the body it takes, with the statuses it declares in
// controlAnswers and no other, each with the schema of its body; every
// member of every body with the name and type it has; every member of an
// answer is required (the control API always sends it) and nullable
// exactly where the control API sends null for it when it is empty; and
// nothing is documented that is not served.
func TestControlOpenAPIMatchesTheRoutes(t *testing.T) {
	b, err := os.ReadFile("../api/control-openapi.yaml")
	require.NoError(t, err)
	var doc openAPIDoc
	require.NoError(t, yaml.Unmarshal(b, &doc))

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method := range item {
			if method != "parameters" {
				documented[strings.ToUpper(method)+" "+path] = true
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range controlRoutes {
		served[rt.method+" "+rt.pattern] = true
	}
	assert.ElementsMatch(t, slices.Sorted(maps.Keys(served)), slices.Sorted(maps.Keys(documented)),
		"the routes served and the operations documented")

	for _, rt := range controlRoutes {
		name := rt.method + " " + rt.pattern
		node, ok := doc.Paths[rt.pattern][strings.ToLower(rt.method)]
		if !ok {
			continue
		}
		var op openAPIOperation
		require.NoError(t, node.Decode(&op), name)
		var pathParams openAPIOperation
		if n, ok := doc.Paths[rt.pattern]["parameters"]; ok {
			require.NoError(t, n.Decode(&pathParams.Parameters), name)
		}
		var query, path []string
		for _, p := range append(pathParams.Parameters, op.Parameters...) {
			if p.Ref != "" {
				p = doc.Components.Parameters[strings.TrimPrefix(p.Ref, "#/components/parameters/")]
			}
			switch p.In {
			case "query":
				query = append(query, p.Name)
			case "path":
				path = append(path, p.Name)
			}
		}
		assert.ElementsMatch(t, rt.query, query, "%s: the query parameters", name)
		var placeholders []string
		for _, seg := range strings.Split(rt.pattern, "/") {
			if p, ok := strings.CutPrefix(seg, "{"); ok {
				placeholders = append(placeholders, strings.TrimSuffix(p, "}"))
			}
		}
		assert.ElementsMatch(t, placeholders, path, "%s: the path parameters", name)
		switch rt.body {
		case noBody:
			assert.Nil(t, op.RequestBody, "%s takes no body", name)
		case optionalBody, requiredBody:
			if assert.NotNil(t, op.RequestBody, "%s takes a body", name) {
				assert.Equal(t, rt.body == requiredBody, op.RequestBody.Required, "%s: whether the body is required", name)
			}
		}
	}

	assert.ElementsMatch(t, slices.Sorted(maps.Keys(controlSchemas)), slices.Sorted(maps.Keys(doc.Components.Schemas)),
		"the schemas documented and the types served")
	for name, typ := range controlSchemas {
		schema, ok := doc.Components.Schemas[name]
		if !ok || typ == nil {
			continue
		}
		props := slices.Sorted(maps.Keys(schema.Properties))
		assert.Equal(t, slices.Sorted(slices.Values(memberNames(typ))), props, "the members of %s", name)
		if assert.NotNil(t, schema.AdditionalProperties, name) {
			assert.False(t, *schema.AdditionalProperties, "%s has no member but those documented", name)
		}
		checkMembers(t, name, schema, typ)
	}
	checkAnswers(t, doc)
	checkNulls(t, doc)

	// The error, which writes its own JSON.
	b, err = json.Marshal(controlErrorBody{Error: badRequest("x")})
	require.NoError(t, err)
	var e struct{ Error map[string]any }
	require.NoError(t, json.Unmarshal(b, &e))
	var errSchema struct {
		Properties map[string]openAPISchema `yaml:"properties"`
	}
	errNode := doc.Components.Schemas["Error"].Properties["error"]
	require.NoError(t, errNode.Decode(&errSchema))
	assert.ElementsMatch(t, slices.Sorted(maps.Keys(e.Error)), slices.Sorted(maps.Keys(errSchema.Properties)), "the members of an error")
}
