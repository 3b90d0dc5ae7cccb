#!/usr/bin/env bash
# module-graph.sh checks what the SDK costs a program that imports it: it
# builds a new module in a temporary directory that imports the SDK and
# vaulttest (replaced by this checkout), runs go mod tidy, and fails when
# `go list -m all` lists more than MAX_MODULES modules (default 18, the
# new module included) or any module only the SDK's own tests or
# examples/otel need.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
max=${MAX_MODULES:-18}
forbidden='getkin/kin-openapi|gorilla/mux|go-openapi/|mailru/easyjson|oasdiff/|woodsbury/decimal128|go.uber.org/goleak|go.opentelemetry.io/'

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"

cat >go.mod <<MOD
module example.com/sessions-user

go 1.23

require github.com/vault-dev/vault-go v0.0.0-00010101000000-000000000000

replace github.com/vault-dev/vault-go => $root
MOD

cat >main.go <<'GO'
package main

import vault "github.com/vault-dev/vault-go"

func main() { _, _ = vault.NewClient(vault.Configuration{}) }
GO

cat >main_test.go <<'GO'
package main

import (
	"testing"

	"github.com/vault-dev/vault-go/vaulttest"
)

func TestServer(t *testing.T) { vaulttest.NewServer().Close() }
GO

export GOFLAGS=-mod=mod GOWORK=off
go mod tidy
modules=$(go list -m all)
count=$(wc -l <<<"$modules")
echo "$modules"
echo "$count modules in the graph of a module importing the SDK (at most $max)"

status=0
if [ "$count" -gt "$max" ]; then
	echo "module-graph: $count modules, more than $max" >&2
	status=1
fi
if grep -E "$forbidden" <<<"$modules" >&2; then
	echo "module-graph: the modules above belong to the SDK's own tests and examples only" >&2
	status=1
fi
exit "$status"
