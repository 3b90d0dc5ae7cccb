#!/usr/bin/env python3
"""Tests of vault-mock's control API, as a test suite in Python drives it.

It needs Python 3.9 or newer and its standard library only. Start
vault-mock first, and take its variables:

    go build -o vault-mock ./cmd/vault-mock
    eval "$(./vault-mock -addr 127.0.0.1:0 2>vault-mock.log &)"
    export VAULT_BASE_URL VAULT_TOKEN VAULT_REFRESH_TOKEN VAULT_CONTROL_URL
    python3 examples/mock-control/test_control.py

Every test starts with a reset, so the suite can run again and again
against the same vault-mock, started with its default flags.
"""

import datetime
import json
import os
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

BASE_URL = os.environ.get("VAULT_BASE_URL", "")
CONTROL_URL = os.environ.get("VAULT_CONTROL_URL", "")
TOKEN = os.environ.get("VAULT_TOKEN", "")
# Optional: the control API shows every session's refresh token too.
REFRESH_TOKEN = os.environ.get("VAULT_REFRESH_TOKEN", "")
DEMO_USER = "usr_demo"


class Reply:
    """An answer read in full: its status, headers and JSON body."""

    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        self.body = json.loads(raw) if raw.strip() else None

    def error(self):
        return self.body["error"]


def send(method, url, body=None, headers=None, raw=None):
    """Send a request and read its answer, an error status included."""
    data = raw
    hdrs = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
    if method == "POST":
        # Every POST of the control API carries it, with a body or not.
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return Reply(resp.status, resp.headers, resp.read())
    except urllib.error.HTTPError as e:
        with e:
            return Reply(e.code, e.headers, e.read())


def seconds(rfc3339):
    """Seconds since the epoch of a time such as 2025-03-14T09:00:00.123456789Z."""
    whole, _, frac = rfc3339.rstrip("Z").partition(".")
    t = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() + (float("0." + frac) if frac else 0)


def control(method, path, body=None, raw=None):
    return send(method, CONTROL_URL + path, body=body, raw=raw)


def api(method, path, token, headers=None):
    hdrs = {"Authorization": "Bearer " + token}
    hdrs.update(headers or {})
    return send(method, BASE_URL + path, headers=hdrs)


class ControlTest(unittest.TestCase):
    def setUp(self):
        r = control("POST", "/reset")
        self.assertEqual(r.status, 204, r.raw)
        r = control("GET", "/users/%s/sessions" % DEMO_USER)
        self.assertEqual(r.status, 200, r.raw)
        # Oldest first: the printed token is the newest session's.
        self.demo = list(reversed(r.body))
        self.assertEqual(self.demo[0]["token"], TOKEN)

    def assertRefused(self, r, field, code="BAD_REQUEST", status=400):
        self.assertEqual(r.status, status, r.raw)
        self.assertEqual(r.error()["code"], code, r.raw)
        self.assertEqual(r.error()["field"], field, r.raw)

    # 1. A reset is a clean cut.
    def test_reset_ends_a_request_in_flight_without_changing_the_new_state(self):
        target = self.demo[1]["id"]
        r = control("POST", "/faults", {"sessionId": target, "latency": "30s"})
        self.assertEqual(r.status, 201, r.raw)
        answer = {}

        def revoke():
            answer["reply"] = api("DELETE", "/users/me/sessions/" + target, TOKEN)

        held = threading.Thread(target=revoke)
        held.start()
        r = control("GET", "/requests/wait?timeout=10s&route=" + urllib.parse.quote("DELETE /users/me/sessions/{sessionId}"))
        self.assertEqual(r.status, 200, "the revocation is held: " + r.raw.decode())
        started = time.monotonic()
        self.assertEqual(control("POST", "/reset").status, 204)
        held.join(20)
        self.assertFalse(held.is_alive(), "the held request still waits for its latency")
        self.assertLess(time.monotonic() - started, 20)
        self.assertEqual(answer["reply"].status, 503, answer["reply"].raw)
        r = control("GET", "/sessions/" + target)
        self.assertEqual(r.status, 200)
        self.assertFalse(r.body["revoked"], "the reset state is not changed by a request of before")
        self.assertEqual(control("GET", "/requests/count").body, {"count": 0})

    # 2. Advancing the clock keeps it running; freezing is its own action.
    def test_advance_keeps_the_clock_running(self):
        r = control("POST", "/clock", {"advance": "1s"})
        self.assertEqual(r.status, 200, r.raw)
        self.assertFalse(r.body["frozen"])
        first = control("GET", "/clock").body["now"]
        time.sleep(1.1)
        self.assertNotEqual(control("GET", "/clock").body["now"], first, "the clock runs on")

        r = control("POST", "/clock", {"frozen": True})
        self.assertTrue(r.body["frozen"])
        frozen = r.body["now"]
        time.sleep(1.1)
        self.assertEqual(control("GET", "/clock").body["now"], frozen)
        r = control("POST", "/clock", {"frozen": False})
        self.assertFalse(r.body["frozen"])
        self.assertLess(abs(seconds(r.body["now"]) - seconds(frozen)), 1, "it runs again from where it stood")

    # 3. Faults that could never be answered are refused, as the flags refuse them.
    def test_faults_the_flags_refuse_are_refused(self):
        cases = [
            ({"status": 503, "count": 0}, "count"),
            ({"latency": "1m"}, "latency"),  # vault-mock's -write-timeout is 1m
            ({"status": 503, "retryAfter": "soon"}, "retryAfter"),
            ({"status": 503, "header": {"X-Note": "a\r\nSet-Cookie: x=1"}}, "header"),
            ({"status": 503, "token": TOKEN, "userId": "someone-else"}, "userId"),
            ([{"status": 503}, {"status": 42}], "status"),
            # An empty variable is not a selector left out: it would widen the fault.
            ({"status": 503, "userId": os.environ.get("NO_SUCH_VARIABLE", "")}, "userId"),
            ({"status": 503, "header": {"X-Note": None}}, "header"),
        ]
        for fault, field in cases:
            with self.subTest(fault=fault):
                self.assertRefused(control("POST", "/faults", fault), field, code="INVALID_FAULT")
        self.assertEqual(control("GET", "/faults").body["pending"], 0, "nothing is queued")

    # 4. Input is read strictly.
    def test_lenient_input_is_refused(self):
        r = control("POST", "/faults", raw=b'{"Status":500,"Count":-1,"sessionID":"x"}')
        self.assertRefused(r, "Status")
        self.assertIn('write "status"', r.error()["message"])
        r = control("POST", "/faults", raw=b'{"status":500,"status":503}')
        self.assertRefused(r, "status")
        self.assertIn("twice", r.error()["message"])
        r = control("POST", "/faults", raw=b'{"status":503,"retryAfter":1}')
        self.assertRefused(r, "retryAfter")
        self.assertIn("must be a string, not a number", r.error()["message"])
        self.assertRefused(control("POST", "/reset", {"keep": "faults"}), "keep")
        self.assertRefused(control("GET", "/requests?UserId=alice"), "UserId")
        r = control("POST", "/reset", raw=b" " * (3 << 20))
        self.assertEqual(r.status, 413, r.raw)
        self.assertEqual(control("POST", "/reset", {}).status, 204, "an empty object is no body")

    # 5. No token reaches the request log.
    def test_tokens_are_hidden_in_the_request_log(self):
        api("DELETE", "/users/me/sessions/" + TOKEN, TOKEN)  # the token where the session ID goes
        api("GET", "/users/me/sessions?access_token=" + TOKEN, TOKEN, {"X-Api-Key": TOKEN, "Cookie": "session=" + TOKEN})
        api("GET", "/users/me/sessions?refresh_token=" + self.demo[0]["refreshToken"], TOKEN)
        r = control("GET", "/requests")
        self.assertEqual(r.status, 200)
        self.assertNotIn(TOKEN, r.raw.decode())
        self.assertNotIn(self.demo[0]["refreshToken"], r.raw.decode())
        self.assertEqual(r.body[2]["query"], "refresh_token=[REDACTED]")
        self.assertEqual(r.body[0]["path"], "/api/v1/users/me/sessions/[REDACTED]")
        self.assertEqual(r.body[1]["query"], "access_token=[REDACTED]")
        self.assertEqual(r.body[1]["header"]["Cookie"], ["session=[REDACTED]"])

    # 6. Memory is bounded in bytes.
    def test_the_request_log_is_bounded_in_bytes(self):
        padding = {"X-Padding-%02d" % i: "p" * 1000 for i in range(50)}
        for _ in range(200):  # 10 MB of headers, over the default 8 MiB
            self.assertEqual(api("GET", "/users/me/sessions", TOKEN, padding).status, 200)
        count = control("GET", "/requests/count").body["count"]
        self.assertGreater(count, 100)
        self.assertLess(count, 200, "the log keeps what fits in -request-log-bytes")
        r = control("GET", "/requests")
        self.assertEqual(r.body[-1]["id"], "req-000200", "the newest is kept")

    def test_the_fault_queue_is_bounded(self):
        batch = [{"status": 503, "userId": "nobody"}] * 1000
        for _ in range(10):
            self.assertEqual(control("POST", "/faults", batch).status, 201)
        r = control("POST", "/faults", {"status": 503})
        self.assertEqual(r.status, 409, r.raw)
        self.assertEqual(control("GET", "/faults").body["pending"], 10000)

    def test_the_fault_queue_is_bounded_in_bytes(self):
        page = "x" * 900_000
        statuses = [control("POST", "/faults", {"status": 503, "userId": "nobody", "body": page}).status
                    for _ in range(5)]
        self.assertEqual(statuses, [201, 201, 201, 201, 409], "4 MiB of pending faults")
        listed = control("GET", "/faults").body["faults"]
        self.assertEqual(control("DELETE", "/faults/" + listed[0]["id"]).status, 204)
        r = control("POST", "/faults", {"status": 503, "userId": "nobody", "body": page})
        self.assertEqual(r.status, 201, "a deleted fault gives its room back")

    # 7. Faults have IDs; requests are filtered, counted and waited for.
    def test_faults_are_listed_and_removed_by_id(self):
        target = self.demo[1]["id"]
        r = control("POST", "/faults", [
            {"sessionId": target, "status": 503, "count": 2},
            {"route": "GET /users/me/sessions", "status": 500,
             "body": {"error": {"code": "MAINTENANCE", "message": "Back at ten"}}},
        ])
        self.assertEqual(r.status, 201, r.raw)
        self.assertEqual(r.body["pending"], 2, "pending is kept")
        first, second = [f["id"] for f in r.body["faults"]]
        self.assertEqual(api("DELETE", "/users/me/sessions/" + target, TOKEN).status, 503)

        listed = control("GET", "/faults").body
        self.assertEqual(listed["pending"], 2)
        fault = listed["faults"][0]
        self.assertEqual((fault["id"], fault["count"], fault["remaining"], fault["fired"]), (first, 2, 1, 1))
        self.assertIsNone(fault["route"], "null where not set")
        self.assertEqual(control("DELETE", "/faults/" + first).status, 204)
        self.assertEqual(control("GET", "/faults/" + first).status, 404)

        got = api("GET", "/users/me/sessions", TOKEN)
        self.assertEqual(got.status, 500)
        self.assertEqual(got.body, {"error": {"code": "MAINTENANCE", "message": "Back at ten"}}, "the fault's own body")
        r = control("GET", "/requests?fault=" + second)
        self.assertEqual([q["status"] for q in r.body], [500])
        self.assertEqual(r.body[0]["faultId"], second)

    def test_requests_are_filtered_counted_and_waited_for(self):
        def later():
            time.sleep(0.3)
            api("DELETE", "/users/me/sessions/" + self.demo[2]["id"], TOKEN)

        threading.Thread(target=later).start()
        r = control("GET", "/requests/wait?count=1&method=DELETE&status=200&timeout=20s")
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(len(r.body), 1)
        api("GET", "/users/me/sessions", TOKEN)
        api("GET", "/users/me/sessions", "not-a-token")
        self.assertEqual(control("GET", "/requests/count?method=GET").body, {"count": 2})
        self.assertEqual(control("GET", "/requests/count?status=401").body, {"count": 1})
        r = control("GET", "/requests?sessionId=" + self.demo[0]["id"])
        self.assertEqual(len(r.body), 2)
        r = control("GET", "/requests?status=401")
        self.assertIsNone(r.body[0]["userId"], "null where empty")
        r = control("GET", "/requests/wait?count=5&method=DELETE&timeout=100ms")
        self.assertEqual(r.status, 408, r.raw)
        self.assertEqual(r.error()["code"], "TIMEOUT")

    # The refresh and logout routes, with the demo session's refresh token.
    def test_refresh_rotates_and_a_reuse_revokes_the_session(self):
        demo = self.demo[0]
        refresh_token = demo["refreshToken"]
        if REFRESH_TOKEN:
            self.assertEqual(refresh_token, REFRESH_TOKEN, "the printed one, after a reset too")

        def refresh(token):
            return send("POST", BASE_URL + "/auth/refresh", {"refreshToken": token})

        r = refresh(refresh_token)
        self.assertEqual(r.status, 200, r.raw)
        access, rotated = r.body["accessToken"], r.body["refreshToken"]
        self.assertNotEqual(rotated, refresh_token, "every refresh rotates it")
        self.assertEqual(r.body["user"]["id"], DEMO_USER)
        self.assertEqual(api("GET", "/users/me/sessions", access).status, 200)
        shown = control("GET", "/sessions/" + demo["id"]).body
        self.assertEqual((shown["token"], shown["refreshToken"]), (access, rotated))

        r = refresh(refresh_token)  # spent: taken for a stolen one
        self.assertEqual(r.status, 401, r.raw)
        self.assertIsNone(r.body, "an empty body, as the server's")
        self.assertTrue(control("GET", "/sessions/" + demo["id"]).body["revoked"])
        self.assertEqual(refresh(rotated).status, 401, "the whole session is revoked")
        self.assertEqual(api("GET", "/users/me/sessions", access).status, 401)

        other = self.demo[1]
        r = api("POST", "/auth/logout", other["token"])
        self.assertEqual(r.status, 200, r.raw)
        self.assertEqual(r.body, {"message": "Logged out successfully"})
        self.assertTrue(control("GET", "/sessions/" + other["id"]).body["revoked"])
        self.assertEqual(refresh(other["refreshToken"]).status, 401)
        r = control("GET", "/requests?route=" + urllib.parse.quote("POST /auth/refresh"))
        self.assertEqual([q["status"] for q in r.body], [200, 401, 401, 401])
        self.assertNotIn(refresh_token, r.raw.decode())

    def test_answers_carry_every_member(self):
        r = control("POST", "/users/carol/sessions", {"id": "ses_cli"})
        self.assertEqual(r.status, 201, r.raw)
        self.assertIsNone(r.body["ipAddress"])
        self.assertIsNone(r.body["userAgent"])
        self.assertIsNone(r.body["deviceFingerprint"])
        r = control("GET", "/users/carol")
        self.assertEqual(r.body, {"id": "carol", "tenantId": None, "tenantSlug": None, "admin": False})


if __name__ == "__main__":
    for name in ("VAULT_BASE_URL", "VAULT_CONTROL_URL", "VAULT_TOKEN"):
        if not os.environ.get(name):
            raise SystemExit("set %s to what vault-mock printed" % name)
    unittest.main(verbosity=2)
