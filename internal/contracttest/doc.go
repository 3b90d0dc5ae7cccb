// Package contracttest holds the tests of the SDK that need modules the
// SDK itself does not: the check of vaulttest against the OpenAPI document
// in api/openapi.yaml (with kin-openapi), and the goroutine-leak checks
// with goleak. It is a module of its own, so that those modules never
// enter the module graph of a program that imports the SDK; .ci/run runs
// its tests.
package contracttest
