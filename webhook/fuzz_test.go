package webhook

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzParse holds Parse to its promise whatever the delivery: it never
// panics, and it never accepts an event unless one of the signature
// header's v1 values is the HMAC, under the given secret, of the
// timestamp form (within the tolerance) or the ID form, computed here
// apart from the package's code. A delivery signed by hand and then
// changed in one byte of its body is always refused.
func FuzzParse(f *testing.F) {
	ts := strconv.FormatInt(testNow.Unix(), 10)
	f.Add(testBody, testID, ts, hmacHex(testSecret, ts, testBody), "", testSecret, uint(0))
	f.Add(testBody, testID, ts, hmacHex(testSecret, testID, testBody), "2", testSecret, uint(5))
	f.Add(testBody, testID, ts, hmacHex(oldSecret, ts, testBody)+","+hmacHex(testSecret, ts, testBody), "1", testSecret, uint(17))
	f.Add([]byte(`{}`), "1700000000", "1700000000", hmacHex("k", "1700000000", []byte(`{}`)), "", "k", uint(1))
	f.Add([]byte{}, "", "", "v1=", "x", "", uint(0))
	f.Add([]byte(`{"a":1}`), "id", "-1", "v1=00, v1=zz,,v0=1", "-3", "s", uint(3))
	f.Fuzz(func(t *testing.T, body []byte, id, timestamp, signature, attempt, secret string, flip uint) {
		header := http.Header{}
		header.Set(HeaderID, id)
		header.Set(HeaderTimestamp, timestamp)
		header.Set(HeaderSignature, signature)
		header.Set(HeaderAttempt, attempt)
		header.Set(HeaderEvent, TypeSessionRevoked)
		v := Verifier{Secrets: []string{secret}, Now: fixedClock(testNow)}

		e, err := v.Parse(body, header)
		if err != nil {
			if e != nil {
				t.Fatal("an error with an event")
			}
		} else {
			if secret == "" {
				t.Fatal("accepted with an empty secret")
			}
			lower := strings.ToLower(signature) // Parse reads hex in either case
			byTimestamp := strings.Contains(lower, hmacHex(secret, timestamp, body))
			if byTimestamp {
				n, perr := strconv.ParseInt(timestamp, 10, 64)
				if perr != nil || testNow.Sub(time.Unix(n, 0)).Abs() > DefaultTolerance {
					byTimestamp = false
				}
			}
			byID := id != "" && strings.Contains(lower, hmacHex(secret, id, body))
			if !byTimestamp && !byID {
				t.Fatalf("accepted a delivery not signed with the secret: id %q timestamp %q", id, timestamp)
			}
			if string(e.Data) != string(body) || e.ID != id || e.Type != TypeSessionRevoked || e.Attempt < 0 {
				t.Fatalf("event does not reflect the delivery: %+v", e)
			}
		}

		// A body signed by hand verifies, and fails once one byte changes.
		if secret == "" || len(body) == 0 {
			return
		}
		good := http.Header{}
		good.Set(HeaderTimestamp, strconv.FormatInt(testNow.Unix(), 10))
		good.Set(HeaderSignature, hmacHex(secret, good.Get(HeaderTimestamp), body))
		if _, err := v.Parse(body, good); err != nil {
			t.Fatalf("a delivery signed by hand was refused: %v", err)
		}
		changed := append([]byte(nil), body...)
		changed[flip%uint(len(changed))] ^= 1 << (flip % 8)
		if _, err := v.Parse(changed, good); err == nil {
			t.Fatal("a changed body was accepted")
		}
	})
}
