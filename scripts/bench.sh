#!/usr/bin/env bash
# bench.sh runs the SDK's benchmarks against the hand-written net/http
# baseline and prints the medians as tables. Run it from anywhere in the
# repository:
#
#	scripts/bench.sh
#
# COUNT (default 5) sets how many times each benchmark runs; BENCHTIME
# (default 1s) how long each run of an operation benchmark lasts; SCALE_COUNT
# (default 3) how many times the 10 to 100,000 session lists are fetched.
set -euo pipefail

cd "$(dirname "$0")/.."
count=${COUNT:-5}
benchtime=${BENCHTIME:-1s}
scale_count=${SCALE_COUNT:-3}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Times on a shared machine depend on its load: print it with the tables.
load_before=$(uptime)

go test -run '^$' -benchmem -count "$count" -benchtime "$benchtime" \
	-bench '^Benchmark(ListSessions|ListSessionsServerDialect|LogoutAllSessions|RevokeSession|ListSessionsParallel|DecodeSessions|ListUserSessions|ListUserSessionsServerDialect)$' . >>"$out"
go test -run '^$' -benchmem -count "$scale_count" -benchtime 3x \
	-bench '^BenchmarkListSessionsScale$' . >>"$out"

awk '
function median(key,    n, i, j, v, tmp) {
	n = split(samples[key], v, " ")
	if (n == 0) return ""
	for (i = 2; i <= n; i++) {
		tmp = v[i] + 0
		for (j = i - 1; j >= 1 && v[j] + 0 > tmp; j--) v[j + 1] = v[j]
		v[j + 1] = tmp
	}
	return (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
/^Benchmark/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	sub(/^Benchmark/, "", name)
	for (i = 3; i < NF; i += 2) samples[name SUBSEP $(i + 1)] = samples[name SUBSEP $(i + 1)] " " $i
}
END {
	print "| Operation | SDK ns/op | Baseline ns/op | Ratio | Allocs/op SDK/Baseline | B/op SDK/Baseline | Connections at c=32 SDK/Baseline |"
	print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	split("ListSessions ListSessionsServerDialect LogoutAllSessions RevokeSession ListSessionsParallel", ops, " ")
	for (k = 1; k <= 5; k++) {
		op = ops[k]
		sn = median(op "/SDK" SUBSEP "ns/op"); bn = median(op "/Baseline" SUBSEP "ns/op")
		sa = median(op "/SDK" SUBSEP "allocs/op"); ba = median(op "/Baseline" SUBSEP "allocs/op")
		sb = median(op "/SDK" SUBSEP "B/op"); bb = median(op "/Baseline" SUBSEP "B/op")
		conns = "-"
		label = op
		if (op == "ListSessionsServerDialect") label = "ListSessions, server dialect"
		if (op == "ListSessionsParallel") {
			label = "ListSessions, 32 goroutines"
			conns = sprintf("%d/%d", median(op "/SDK" SUBSEP "conns"), median(op "/Baseline" SUBSEP "conns"))
		}
		printf "| %s | %.0f | %.0f | %s | %d/%d (%s) | %d/%d (%s) | %s |\n", label, sn, bn, ratio(sn, bn), sa, ba, ratio(sa, ba), sb, bb, ratio(sb, bb), conns
	}
	print ""
	print "| Decoding alone, 20 sessions | SDK ns/op | encoding/json ns/op | Ratio | Allocs/op SDK/encoding/json | B/op SDK/encoding/json |"
	print "| --- | ---: | ---: | ---: | ---: | ---: |"
	split("spec server", dialects, " ")
	for (k = 1; k <= 2; k++) {
		d = "DecodeSessions/" dialects[k]
		sn = median(d "/SDK" SUBSEP "ns/op"); bn = median(d "/EncodingJSON" SUBSEP "ns/op")
		sa = median(d "/SDK" SUBSEP "allocs/op"); ba = median(d "/EncodingJSON" SUBSEP "allocs/op")
		sb = median(d "/SDK" SUBSEP "B/op"); bb = median(d "/EncodingJSON" SUBSEP "B/op")
		printf "| %s dialect | %.0f | %.0f | %s | %d/%d (%s) | %d/%d (%s) |\n", dialects[k], sn, bn, ratio(sn, bn), sa, ba, ratio(sa, ba), sb, bb, ratio(sb, bb)
	}
	print ""
	print "| Admin list, 20 sessions | ListUserSessions ns/op | ListSessions ns/op | Ratio | Allocs/op admin/user | B/op admin/user |"
	print "| --- | ---: | ---: | ---: | ---: | ---: |"
	for (k = 1; k <= 2; k++) {
		d = (k == 1) ? "ListUserSessions" : "ListUserSessionsServerDialect"
		sn = median(d "/Admin" SUBSEP "ns/op"); bn = median(d "/ListSessions" SUBSEP "ns/op")
		sa = median(d "/Admin" SUBSEP "allocs/op"); ba = median(d "/ListSessions" SUBSEP "allocs/op")
		sb = median(d "/Admin" SUBSEP "B/op"); bb = median(d "/ListSessions" SUBSEP "B/op")
		printf "| %s dialect | %.0f | %.0f | %s | %d/%d (%s) | %d/%d (%s) |\n", dialects[k], sn, bn, ratio(sn, bn), sa, ba, ratio(sa, ba), sb, bb, ratio(sb, bb)
	}
	print ""
	print "| Sessions | SDK ns/session | Baseline ns/session | SDK B/session | Baseline B/session |"
	print "| ---: | ---: | ---: | ---: | ---: |"
	split("10 1000 100000", sizes, " ")
	for (k = 1; k <= 3; k++) {
		n = "ListSessionsScale/n=" sizes[k]
		printf "| %s | %.0f | %.0f | %.0f | %.0f |\n", sizes[k], \
			median(n "/SDK" SUBSEP "ns/session"), median(n "/Baseline" SUBSEP "ns/session"), \
			median(n "/SDK" SUBSEP "B/session"), median(n "/Baseline" SUBSEP "B/session")
	}
}' "$out"

echo
echo "Load before: ${load_before##*load average: }; after: $(uptime | sed 's/.*load average: //')"
