package vaulttest

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// controlQuery is the query of a control request, read by the input
// rules: every parameter is known to the route, given once, with a value.
type controlQuery struct {
	values url.Values
	known  []string
}

// query returns the query of c's request, checked against the names the
// route takes.
func (c *controlCall) query(known ...string) (controlQuery, error) {
	q := controlQuery{known: known}
	if c.r.URL.RawQuery == "" {
		return q, nil
	}
	v, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return q, badRequest("the query is not URL-encoded: %v", err)
	}
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		ce := badRequest("")
		ce.Field = name
		switch {
		case !slices.Contains(known, name):
			ce.Message = unknownParameter(name, known, c.route)
		case len(v[name]) > 1:
			ce.Message = fmt.Sprintf("query parameter %q appears %d times", name, len(v[name]))
		case v[name][0] == "":
			ce.Message = fmt.Sprintf("query parameter %q has no value", name)
		default:
			continue
		}
		return q, ce
	}
	q.values = v
	return q, nil
}

func unknownParameter(name string, known []string, route string) string {
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return fmt.Sprintf("unknown query parameter %q: names are case-sensitive; write %q", name, k)
		}
	}
	if len(known) == 0 {
		return fmt.Sprintf("unknown query parameter %q: %s takes none", name, route)
	}
	return fmt.Sprintf("unknown query parameter %q: %s takes %s", name, route, quoteAll(known))
}

// get returns the value of the parameter name, or "" if it was not given.
func (q controlQuery) get(name string) string {
	return q.values.Get(name)
}
