package vaulttest

import "testing"

// NewTestServer starts a Server for the test or benchmark tb and closes
// it when tb and its subtests have finished, through tb.Cleanup, so that
// a test needs no defer:
//
//	srv := vaulttest.NewTestServer(t)
//	me := srv.SeedDemo(vaulttest.Demo{})[0]
//
// It is NewServer otherwise, with the same options.
func NewTestServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := NewServer(opts...)
	tb.Cleanup(s.Close)
	return s
}
