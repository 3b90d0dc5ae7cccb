package vault

import (
	"bytes"
	"encoding/json"
	"testing"
)

// BenchmarkDecodeSessions decodes a 20-session list from memory, without
// HTTP, in each dialect: the SDK's reader, kept from one body to the next
// as a Client keeps it, against encoding/json decoding into the same
// types, as the hand-written baseline does.
func BenchmarkDecodeSessions(b *testing.B) {
	bodies := []struct {
		name string
		body []byte
		into func() any
	}{
		{"spec", encodeSessions(b, benchSessions), func() any { return new([]SessionResponse) }},
		{"server", encodeServerDialect(b, benchSessions), func() any { return new(serverDialectList) }},
	}
	for _, tt := range bodies {
		sdk := func(b *testing.B) {
			var r jsonReader
			src := bytes.NewReader(nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				src.Reset(tt.body)
				r.reset(src)
				if _, _, err := decodeSessionList(&r); err != nil {
					b.Fatal(err)
				}
			}
		}
		encodingJSON := func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := json.NewDecoder(bytes.NewReader(tt.body)).Decode(tt.into()); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run(tt.name, func(b *testing.B) { takeTurns(b, "SDK", sdk, "EncodingJSON", encodingJSON) })
	}
}
