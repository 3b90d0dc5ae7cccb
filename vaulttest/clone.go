package vaulttest

import vault "github.com/vault-dev/vault-go"

// cloneDeviceInfo returns a copy of d that shares nothing with it, Extra
// included.
func cloneDeviceInfo(d *vault.DeviceInfoResponse) *vault.DeviceInfoResponse {
	if d == nil {
		return nil
	}
	c := *d
	if d.Extra != nil {
		c.Extra = cloneJSON(d.Extra).(map[string]any)
	}
	return &c
}

// cloneJSON copies the objects and arrays of a decoded JSON value.
func cloneJSON(v any) any {
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, e := range v {
			c[k] = cloneJSON(e)
		}
		return c
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = cloneJSON(e)
		}
		return c
	}
	return v
}
