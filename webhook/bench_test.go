package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// BenchmarkParse compares Parse of a session.revoked delivery of about
// 300 bytes with computing its HMAC-SHA256 alone, the least any
// verification costs. The two take turns in batches within each
// iteration, so that a burst of load on a shared machine falls on both:
// ns/op is Parse's time, hmac-ns/op the HMAC's, and x-hmac their ratio,
// whose target is at most 3 (docs/PERFORMANCE.md). The ID form costs one
// HMAC more than the timestamp form: Parse tries the timestamp form first.
func BenchmarkParse(b *testing.B) {
	if len(testBody) < 280 || len(testBody) > 320 {
		b.Fatalf("the body is %d bytes, not about 300", len(testBody))
	}
	ts := strconv.FormatInt(testNow.Unix(), 10)
	var sum [sha256.Size]byte
	hmacAlone := func() {
		m := hmac.New(sha256.New, []byte(testSecret))
		m.Write([]byte(ts))
		m.Write([]byte{'.'})
		m.Write(testBody)
		m.Sum(sum[:0])
	}
	for _, form := range []struct {
		name   string
		header http.Header
	}{
		{"timestamp", signedTS(testNow, testSecret, testBody)},
		{"id", signedID(testNow, testSecret, testBody)},
	} {
		b.Run(form.name, func(b *testing.B) {
			v := Verifier{Secrets: []string{testSecret}, Now: fixedClock(testNow)}
			parse := func() {
				if _, err := v.Parse(testBody, form.header); err != nil {
					b.Fatal(err)
				}
			}
			const batch = 32
			var inParse, inHMAC time.Duration
			timed := func(f func()) time.Duration {
				start := time.Now()
				for range batch {
					f()
				}
				return time.Since(start)
			}
			n := 0
			for b.Loop() {
				if n%2 == 0 {
					inHMAC += timed(hmacAlone)
					inParse += timed(parse)
				} else {
					inParse += timed(parse)
					inHMAC += timed(hmacAlone)
				}
				n++
			}
			ops := float64(n * batch)
			b.ReportMetric(float64(inParse.Nanoseconds())/ops, "ns/op")
			b.ReportMetric(float64(inHMAC.Nanoseconds())/ops, "hmac-ns/op")
			b.ReportMetric(float64(inParse)/float64(inHMAC), "x-hmac")
		})
	}
}
