package main

import (
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vault-dev/vault-go/internal/syncbuf"
)

func TestWatchSignals(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	cancelled := make(chan struct{})
	exited := make(chan int, 1)
	var stderr syncbuf.Buffer
	go watchSignals(sigs, func() { close(cancelled) }, &stderr, func(code int) { exited <- code })

	sigs <- os.Interrupt
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the first signal does not start the shutdown")
	}
	select {
	case code := <-exited:
		t.Fatalf("the first signal ended the process with %d", code)
	default:
	}

	sigs <- syscall.SIGTERM
	select {
	case code := <-exited:
		assert.Equal(t, 1, code)
	case <-time.After(10 * time.Second):
		require.Fail(t, "the second signal does not end the process")
	}
	assert.Equal(t, "vault-mock: terminated again: exiting now\n", stderr.String())
}
