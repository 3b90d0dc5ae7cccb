package vault

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Results of docs/PERFORMANCE.md are the output of scripts/bench.sh.
// Their times depend on the machine and its load, and no test can hold
// them; what the tests below hold is the rest: every row names a
// benchmark that exists and that the script runs, its ratios are those of
// its own figures, and its allocation counts and bytes, which do not
// depend on load, are what the code allocates today.

// perfTable is one Markdown table of the Results section: its header and
// its rows, as cells.
type perfTable struct {
	header []string
	rows   map[string][]string // by the first cell
	order  []string
}

// perfTables reads the tables of the Results section of
// docs/PERFORMANCE.md, by the first cell of their header.
func perfTables(t *testing.T) map[string]*perfTable {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("docs", "PERFORMANCE.md"))
	require.NoError(t, err)
	_, results, found := strings.Cut(string(b), "\n## Results\n")
	require.True(t, found, "docs/PERFORMANCE.md has no Results section")
	results, _, _ = strings.Cut(results, "\n## ")

	tables := map[string]*perfTable{}
	var cur *perfTable
	for _, line := range strings.Split(results, "\n") {
		if !strings.HasPrefix(line, "|") {
			cur = nil
			continue
		}
		var cells []string
		for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
			cells = append(cells, strings.TrimSpace(c))
		}
		switch {
		case cur == nil:
			cur = &perfTable{header: cells, rows: map[string][]string{}}
			tables[cells[0]] = cur
		case strings.HasPrefix(cells[0], "---") || strings.HasPrefix(cells[0], ":--") || strings.HasPrefix(cells[0], "--:"):
		default:
			require.Len(t, cells, len(cur.header), "a row of the %q table: %s", cur.header[0], line)
			cur.rows[cells[0]] = cells
			cur.order = append(cur.order, cells[0])
		}
	}
	return tables
}

// benchmarks returns the names of the benchmark functions of the root
// package's test files.
func benchmarks(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*_test.go")
	require.NoError(t, err)
	names := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range files {
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Benchmark") {
				names[fn.Name.Name] = true
			}
		}
	}
	return names
}

// The rows of the operation table and the benchmark each comes from.
var perfOperationRows = []struct{ label, benchmark string }{
	{"ListSessions", "ListSessions"},
	{"ListSessions, server dialect", "ListSessionsServerDialect"},
	{"LogoutAllSessions", "LogoutAllSessions"},
	{"RevokeSession", "RevokeSession"},
	{"ListSessions, 32 goroutines", "ListSessionsParallel"},
}

// pair is a cell such as "211/392 (0.54)": the SDK's figure, the
// baseline's and their ratio.
type pair struct {
	sdk, base float64
	ratio     string
}

var pairCell = regexp.MustCompile(`^([0-9]+)/([0-9]+) \(([0-9.]+)\)$`)

func parsePair(t *testing.T, cell string) pair {
	t.Helper()
	m := pairCell.FindStringSubmatch(cell)
	require.NotNil(t, m, "cell %q is not SDK/baseline (ratio)", cell)
	sdk, err := strconv.ParseFloat(m[1], 64)
	require.NoError(t, err)
	base, err := strconv.ParseFloat(m[2], 64)
	require.NoError(t, err)
	return pair{sdk, base, m[3]}
}

func number(t *testing.T, cell string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(cell, 64)
	require.NoError(t, err, "cell %q is not a number", cell)
	return v
}

// ratio is a/b as scripts/bench.sh prints it.
func ratio(a, b float64) string { return fmt.Sprintf("%.2f", a/b) }

func TestPerformanceResultsNameTheBenchmarks(t *testing.T) {
	tables := perfTables(t)
	declared := benchmarks(t)
	script, err := os.ReadFile(filepath.Join("scripts", "bench.sh"))
	require.NoError(t, err)
	runs := func(name string) {
		t.Helper()
		assert.True(t, declared["Benchmark"+name], "no Benchmark%s in the package", name)
		assert.Contains(t, string(script), name, "scripts/bench.sh does not run Benchmark%s", name)
	}

	ops := tables["Operation"]
	require.NotNil(t, ops, "no operation table")
	var labels []string
	for _, row := range perfOperationRows {
		labels = append(labels, row.label)
		runs(row.benchmark)
	}
	assert.Equal(t, labels, ops.order, "the rows of the operation table")
	for _, label := range ops.order {
		row := ops.rows[label]
		assert.Equal(t, ratio(number(t, row[1]), number(t, row[2])), row[3], "%s: the time ratio", label)
		for _, cell := range row[4:6] {
			p := parsePair(t, cell)
			assert.Equal(t, ratio(p.sdk, p.base), p.ratio, "%s: the ratio of %s", label, cell)
		}
	}

	decoding := tables["Decoding alone, 20 sessions"]
	require.NotNil(t, decoding, "no decoding table")
	runs("DecodeSessions")
	assert.Equal(t, []string{"spec dialect", "server dialect"}, decoding.order)
	for _, label := range decoding.order {
		row := decoding.rows[label]
		assert.Equal(t, ratio(number(t, row[1]), number(t, row[2])), row[3], "%s: the time ratio", label)
		for _, cell := range row[4:6] {
			p := parsePair(t, cell)
			assert.Equal(t, ratio(p.sdk, p.base), p.ratio, "%s: the ratio of %s", label, cell)
		}
	}

	scale := tables["Sessions"]
	require.NotNil(t, scale, "no scale table")
	runs("ListSessionsScale")
	assert.Equal(t, []string{"10", "1000", "100000"}, scale.order)
}

// usage is what one call allocates, on average.
type usage struct{ allocs, bytes float64 }

// measureUsage runs call n times and returns what each allocated, counted
// as the benchmarks count it: every allocation of the process, the test
// server's included.
func measureUsage(t *testing.T, n int, call func() error) usage {
	t.Helper()
	require.NoError(t, call()) // warm the connection and the pools
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < n; i++ {
		if err := call(); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	return usage{
		allocs: float64(after.Mallocs-before.Mallocs) / float64(n),
		bytes:  float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
	}
}

// Published figures may drift this far from today's before the page is
// stale: a little for allocations, which change with the code (and a few
// with the Go release), more for bytes, which also vary with buffer
// sizes from run to run.
const (
	allocDrift = 0.03
	bytesDrift = 0.05
)

func assertPublished(t *testing.T, what string, published, measured usage) {
	t.Helper()
	assert.InDelta(t, published.allocs, measured.allocs, math.Max(2, published.allocs*allocDrift),
		"%s: docs/PERFORMANCE.md says %.0f allocations a call, the code makes %.1f; run scripts/bench.sh and update the page", what, published.allocs, measured.allocs)
	assert.InDelta(t, published.bytes, measured.bytes, published.bytes*bytesDrift,
		"%s: docs/PERFORMANCE.md says %.0f bytes a call, the code allocates %.0f; run scripts/bench.sh and update the page", what, published.bytes, measured.bytes)
}

func TestPerformanceResultsMatchTheAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	tables := perfTables(t)
	ops := tables["Operation"]
	require.NotNil(t, ops)
	ctx := context.Background()
	for _, row := range perfOperationRows[:4] { // the serial ones
		t.Run(row.benchmark, func(t *testing.T) {
			cells, ok := ops.rows[row.label]
			require.True(t, ok, "no row %q", row.label)
			allocs, bytes := parsePair(t, cells[4]), parsePair(t, cells[5])

			op := benchOps[row.benchmark]
			s := newFixedServer(t, op.listBody(t), nil)
			client := benchClient(t, s)
			bl := newBaseline(t, s)
			sdk := measureUsage(t, 200, func() error { return op.sdk(ctx, client) })
			base := measureUsage(t, 200, func() error { return op.baseline(ctx, bl) })
			assertPublished(t, "SDK", usage{allocs.sdk, bytes.sdk}, sdk)
			assertPublished(t, "baseline", usage{allocs.base, bytes.base}, base)
		})
	}

	decoding := tables["Decoding alone, 20 sessions"]
	require.NotNil(t, decoding)
	for _, tt := range []struct {
		label string
		body  []byte
		into  func() any
	}{
		{"spec dialect", encodeSessions(t, benchSessions), func() any { return new([]SessionResponse) }},
		{"server dialect", encodeServerDialect(t, benchSessions), func() any { return new(serverDialectList) }},
	} {
		t.Run("DecodeSessions/"+tt.label, func(t *testing.T) {
			cells, ok := decoding.rows[tt.label]
			require.True(t, ok, "no row %q", tt.label)
			allocs, size := parsePair(t, cells[4]), parsePair(t, cells[5])

			var r jsonReader
			src := bytes.NewReader(nil)
			sdk := measureUsage(t, 500, func() error {
				src.Reset(tt.body)
				r.reset(src)
				_, _, err := decodeSessionList(&r)
				return err
			})
			encodingJSON := measureUsage(t, 500, func() error {
				return json.NewDecoder(bytes.NewReader(tt.body)).Decode(tt.into())
			})
			assertPublished(t, "SDK", usage{allocs.sdk, size.sdk}, sdk)
			assertPublished(t, "encoding/json", usage{allocs.base, size.base}, encodingJSON)
		})
	}
}
