package vaulttest

import (
	"encoding/json"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// openAPIDoc is what the check reads of an OpenAPI document.
type openAPIDoc struct {
	Paths      map[string]map[string]yaml.Node `yaml:"paths"`
	Components struct {
		Parameters map[string]openAPIParam  `yaml:"parameters"`
		Schemas    map[string]openAPISchema `yaml:"schemas"`
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
	Properties           map[string]yaml.Node `yaml:"properties"`
	Required             []string             `yaml:"required"`
	AdditionalProperties *bool                `yaml:"additionalProperties"`
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
// parameters and the body it takes, every member of every body with the
// name it has, every member of an answer is required (the control API
// always sends it), and nothing is documented that is not served.
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
		if len(schema.Required) > 0 && !strings.HasSuffix(name, "Seed") && name != "Twice" {
			assert.ElementsMatch(t, props, schema.Required, "every member of an answer %s is sent", name)
		}
	}

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
