package vaulttest

import (
	"fmt"
	"maps"
	"slices"
)

// checkEmpty refuses the members of cf that are an empty string, where
// "" selects no request and means nothing in an answer, and a header
// whose value is null, which would be sent with an empty value: each is
// more likely a variable a suite failed to fill than a request to leave
// the member out, which null or leaving it out says.
func (cf controlFault) checkEmpty() *controlError {
	members := []struct {
		name  string
		value *string
	}{
		{"route", cf.Route}, {"sessionId", cf.SessionID}, {"token", cf.Token}, {"userId", cf.UserID},
		{"action", cf.Action}, {"code", cf.Code}, {"retryAfter", cf.RetryAfter}, {"latency", cf.Latency},
	}
	for _, m := range members {
		if m.value != nil && *m.value == "" {
			return invalidFault(m.name, fmt.Sprintf(`fault %s "": an empty string; leave the member out, or send null`, m.name))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(cf.Header)) {
		if cf.Header[name] == nil {
			return invalidFault("header", fmt.Sprintf(`fault header %q: null; a header's value is a string ("" sends it empty), and a header left out is not sent`, name))
		}
	}
	return nil
}

// deref returns the string p points to, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
