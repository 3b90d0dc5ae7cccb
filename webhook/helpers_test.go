package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// The fixtures of the tests: a session.revoked body of about 300 bytes,
// as the server writes it, and the clock its deliveries are checked at.
const (
	testSecret = "whsec_3f9a1c2e7b5d4a8f9e0c1b2a3d4e5f60"
	oldSecret  = "whsec_0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	testID     = "5b0f7e3a-9d4c-4e8b-a1f2-3c4d5e6f7a8b"
)

var (
	testNow  = time.Unix(1740830400, 0) // 2025-03-01T12:00:00Z
	testBody = []byte(`{"user_id":"8c2e4f1a-6b3d-4a9e-b7c5-d1e2f3a4b5c6","session_id":"1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b","reason":"user_revoked","revoked_at":"2025-03-01T11:59:58.412345Z","tenant_id":"0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b","ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)"}`)
)

// hmacHex computes "v1=<hex>" by hand, apart from the package's own
// code, so that a test of Parse does not trust what it tests.
func hmacHex(secret, prefix string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(prefix + "."))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

// tsHeader is a timestamp-form delivery of session.revoked sent at ts.
func tsHeader(ts time.Time, signature string) http.Header {
	h := http.Header{}
	h.Set(HeaderID, testID)
	h.Set(HeaderEvent, TypeSessionRevoked)
	h.Set(HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	h.Set(HeaderSignature, signature)
	return h
}

func signedTS(ts time.Time, secret string, body []byte) http.Header {
	return tsHeader(ts, hmacHex(secret, strconv.FormatInt(ts.Unix(), 10), body))
}

func signedID(ts time.Time, secret string, body []byte) http.Header {
	return tsHeader(ts, hmacHex(secret, testID, body))
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }
