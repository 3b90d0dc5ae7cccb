package webhook

import (
	"bytes"
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
//
// It also holds each signature to the one ID or timestamp and body it
// was made over: a delivery signed as the server signs it, in either
// form, is re-cut at every dot of its signed string and sent with the
// pieces (and the original ID and timestamps) in its headers; an
// accepted re-cut must carry exactly the body signed, with the timestamp
// signed (within the tolerance) or the ID signed.
func FuzzParse(f *testing.F) {
	ts := strconv.FormatInt(testNow.Unix(), 10)
	f.Add(testBody, testID, ts, hmacHex(testSecret, ts, testBody), "", testSecret, uint(0))
	f.Add(testBody, testID, ts, hmacHex(testSecret, testID, testBody), "2", testSecret, uint(5))
	f.Add(testBody, testID, ts, hmacHex(oldSecret, ts, testBody)+","+hmacHex(testSecret, ts, testBody), "1", testSecret, uint(17))
	f.Add([]byte(`{}`), "1700000000", "1700000000", hmacHex("k", "1700000000", []byte(`{}`)), "", "k", uint(1))
	f.Add([]byte{}, "", "", "v1=", "x", "", uint(0))
	f.Add([]byte(`{"a":1}`), "id", "-1", "v1=00, v1=zz,,v0=1", "-3", "s", uint(3))
	f.Add([]byte(`{"ip":"203.0.113.7"}`), "dlv.1", ts, hmacHex("s", "dlv.1", []byte(`{"ip":"203.0.113.7"}`)), "", "s", uint(2))
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

		if secret == "" {
			return
		}
		recut(t, v, body, id, secret)

		// A body signed by hand verifies, and fails once one byte changes.
		if len(body) == 0 {
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

// maxRecuts bounds the dots recut tries, so that a body of many dots
// does not slow the fuzzer down: the first few already cut inside the
// body's first members.
const maxRecuts = 16

// recut signs body as the server does, in the timestamp form now and an
// hour ago and, when Sign takes id for it, in the ID form; then re-cuts
// each signed string "<prefix>.<body>" at its dots and sends every piece
// with every choice of ID and timestamp header. Whatever v accepts must
// be the body signed, with the ID signed (ID form) or the timestamp
// signed within the tolerance (timestamp form).
func recut(t *testing.T, v Verifier, body []byte, id, secret string) {
	now := strconv.FormatInt(testNow.Unix(), 10)
	type delivery struct {
		form   Form
		prefix string // the ID or timestamp signed
		fresh  bool   // a timestamp within the tolerance
	}
	sent := []delivery{
		{form: FormTimestamp, prefix: now, fresh: true},
		{form: FormTimestamp, prefix: strconv.FormatInt(testNow.Add(-time.Hour).Unix(), 10)},
	}
	if h, err := Sign(&Event{ID: id, Type: TypeSessionRevoked, Timestamp: testNow, Data: body}, FormID, secret); err == nil {
		if h.Get(HeaderSignature) != hmacHex(secret, id, body) {
			t.Fatalf("Sign's ID form is not the HMAC of the ID and the body: id %q", id)
		}
		sent = append(sent, delivery{form: FormID, prefix: id})
	}
	for _, d := range sent {
		signature := hmacHex(secret, d.prefix, body)
		signed := append([]byte(d.prefix+"."), body...)
		cuts := 0
		for i := 0; i < len(signed) && cuts < maxRecuts; i++ {
			if signed[i] != '.' {
				continue
			}
			cuts++
			piece, rest := string(signed[:i]), signed[i+1:]
			for _, hid := range []string{piece, id, ""} {
				for _, hts := range []string{piece, d.prefix, now, ""} {
					header := http.Header{}
					if hid != "" {
						header.Set(HeaderID, hid)
					}
					if hts != "" {
						header.Set(HeaderTimestamp, hts)
					}
					header.Set(HeaderSignature, signature)
					header.Set(HeaderEvent, TypeSessionRevoked)
					e, err := v.Parse(rest, header)
					if err != nil {
						continue
					}
					switch {
					case !bytes.Equal(e.Data, body):
						t.Fatalf("%v form of %q re-cut at byte %d was accepted with ID %q, timestamp %q and another body", d.form, d.prefix, i, hid, hts)
					case d.form == FormTimestamp && (!d.fresh || hts != d.prefix || e.Timestamp.Unix() != testNow.Unix()):
						t.Fatalf("timestamp form signed at %s was accepted with ID %q and timestamp %q", d.prefix, hid, hts)
					case d.form == FormID && e.ID != id:
						t.Fatalf("ID form signed with ID %q was accepted with ID %q", id, e.ID)
					}
				}
			}
		}
	}
}
