package vaulttest

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	vault "github.com/vault-dev/vault-go"
)

// checkNulls checks that every member of every schema of an answer in
// doc is nullable exactly where the control API sends null for it when
// it has nothing to say: in the emptiest answer the control API's own
// code builds (emptiestAnswers), encoded as serveControl encodes it. A
// nil pointer, slice or map is null there, an empty slice or map is not,
// so this is where a map or slice member left nil shows.
func checkNulls(t *testing.T, doc openAPIDoc) {
	t.Helper()
	h := NewHandler(WithControlAPI(ControlOptions{}))
	t.Cleanup(h.Close)
	emptiest := emptiestAnswers(t, h)
	assert.ElementsMatch(t, answerSchemas(doc), slices.Sorted(maps.Keys(emptiest)),
		"the schemas of the answers, and those emptiestAnswers builds")
	for name, body := range emptiest {
		schema, ok := doc.Components.Schemas[name]
		if !ok {
			continue
		}
		checkNullMembers(t, doc, name, schema.Properties, body)
	}
}

// emptiestAnswers returns, by the name of its schema, the emptiest value
// of each answer of the control API, built by the code that builds its
// answers from the handler's state, with nothing to say: no tenant, no
// selector, no header, no attempt, no error. A value the actions build
// as a literal is its type's zero value. Each is encoded as serveControl
// encodes its answers, and the request log as GET /requests streams it.
func emptiestAnswers(t *testing.T, h *Handler) map[string][]byte {
	t.Helper()
	encode := func(body any) []byte { return result{body: body, verbatim: true}.encode() }
	answer := func(status int, body any, err error) []byte {
		require.NoError(t, err)
		return encode(body)
	}
	// The emptiest request of the log: one without a header, a token
	// or a fault, read as GET /requests streams it.
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, BasePath+"/users/me/sessions", nil))
	_, stream, err := h.controlRequests(&controlCall{route: "GET /requests"})
	require.NoError(t, err)
	var log bytes.Buffer
	require.NoError(t, stream.(jsonStream)(&log))
	var requests []json.RawMessage
	require.NoError(t, json.Unmarshal(log.Bytes(), &requests))
	require.Len(t, requests, 1)

	// A delivery's data is the JSON object of an event, {} at its
	// emptiest; an attempt is the emptiest when nothing answered it.
	delivery := controlDeliveries([]WebhookDelivery{{Data: json.RawMessage(`{}`)}})[0]
	attempt := controlDeliveries([]WebhookDelivery{{Data: json.RawMessage(`{}`), Attempts: []WebhookAttempt{{}}}})[0].Attempts[0]
	return map[string][]byte{
		"Error":        encode(controlErrorBody{Error: &controlError{}}),
		"Health":       answer(h.controlHealth(nil)),
		"User":         encode(newControlUserView(User{})),
		"Session":      encode(newControlSession(Session{}, time.Time{})),
		"DeviceInfo":   encode(vault.DeviceInfoResponse{}),
		"Token":        encode(controlToken{}),
		"FaultList":    answer(h.controlListFaults(nil)),
		"PendingFault": encode(newControlFaultView(PendingFault{})),
		"Clock":        answer(h.controlClock(nil)),
		"Request":      requests[0],
		"Count":        encode(controlCount{}),
		"Webhook":      encode(newControlWebhook(Webhook{})),
		"Delivery":     encode(delivery),
		"Attempt":      encode(attempt),
		"Twice":        encode(controlTwice{}),
	}
}

// answerSchemas returns the names of the schemas of doc that answers
// hold: those of the routes' answers, their errors', and the schemas
// they refer to, in turn.
func answerSchemas(doc openAPIDoc) []string {
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		for _, node := range doc.Components.Schemas[name].Properties {
			for _, ref := range schemaRefs(&node) {
				visit(ref)
			}
		}
	}
	visit("Error")
	for _, a := range controlAnswers {
		if name := strings.TrimPrefix(schemaOfType(a.body), "[]"); name != "" {
			visit(name)
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// schemaRefs returns the names of the schemas node refers to, at any
// depth.
func schemaRefs(node *yaml.Node) []string {
	var out []string
	for i, n := range node.Content {
		if node.Kind == yaml.MappingNode && i%2 == 0 && n.Value == "$ref" {
			if name, ok := strings.CutPrefix(node.Content[i+1].Value, "#/components/schemas/"); ok {
				out = append(out, name)
			}
		}
		out = append(out, schemaRefs(n)...)
	}
	return out
}

// checkNullMembers checks each member of props, the properties of the
// schema at where, against body, the emptiest JSON object of that schema:
// null exactly where the document makes it nullable, itself or by the
// schema it refers to. An inline object is checked member by member.
func checkNullMembers(t *testing.T, doc openAPIDoc, where string, props map[string]yaml.Node, body []byte) {
	t.Helper()
	var members map[string]json.RawMessage
	if !assert.NoError(t, json.Unmarshal(body, &members), "%s: the emptiest answer is a JSON object: %s", where, body) {
		return
	}
	for _, member := range slices.Sorted(maps.Keys(props)) {
		node := props[member]
		var p struct {
			Ref        string               `yaml:"$ref"`
			Nullable   bool                 `yaml:"nullable"`
			Properties map[string]yaml.Node `yaml:"properties"`
		}
		require.NoError(t, node.Decode(&p), "%s.%s", where, member)
		nullable := p.Nullable
		if name, ok := strings.CutPrefix(p.Ref, "#/components/schemas/"); ok {
			nullable = doc.Components.Schemas[name].Nullable
		}
		value, sent := members[member]
		if !assert.True(t, sent, "%s.%s is not sent in the emptiest answer %s", where, member, body) {
			continue
		}
		null := string(value) == "null"
		switch {
		case nullable && !null:
			t.Errorf("%s.%s is nullable in the document, but the control API sends %s for it when it is empty, never null: take nullable out, or send null", where, member, value)
		case !nullable && null:
			t.Errorf("%s.%s is null when it is empty (a nil pointer, slice or map), but the document does not make it nullable: make it nullable, or send an empty value", where, member)
		}
		if len(p.Properties) > 0 && !null {
			checkNullMembers(t, doc, where+"."+member, p.Properties, value)
		}
	}
}

// TestControlEmptiestAnswersAreBuiltByTheControlAPI checks the premise
// of checkNulls on one answer: the emptiest value emptiestAnswers builds
// is what a route answers when it has nothing to say.
func TestControlEmptiestAnswersAreBuiltByTheControlAPI(t *testing.T) {
	h := NewHandler(WithControlAPI(ControlOptions{}))
	t.Cleanup(h.Close)
	_, list, err := h.controlAddFaults(&controlCall{route: "POST /faults", rule: requiredBody, body: []byte(`{}`)})
	require.NoError(t, err)
	fault := result{body: list.(controlFaultList).Faults[0], verbatim: true}.encode()
	want := emptiestAnswers(t, h)["PendingFault"]
	// Only what the queue gives it differs: its ID, and what it still
	// answers.
	var got, empty map[string]any
	require.NoError(t, json.Unmarshal(fault, &got))
	require.NoError(t, json.Unmarshal(want, &empty))
	for _, member := range []string{"id", "remaining"} {
		delete(got, member)
		delete(empty, member)
	}
	assert.Equal(t, empty, got)
}
