package vaulttest

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// conns follows the connections of the server a Handler is installed on,
// through Handler.ConnState.
type conns struct {
	accepted atomic.Int64

	mu sync.Mutex
	// served counts the requests of each open connection, by the remote
	// address, which is also the address of its requests.
	served map[string]int
}

// ConnState counts the connections of the http.Server it is installed on
// and tells a connection's first request from later ones, for the reset
// faults; it has the signature of http.Server.ConnState.
func (h *Handler) ConnState(c net.Conn, state http.ConnState) {
	cs := &h.conns
	switch state {
	case http.StateNew:
		cs.accepted.Add(1)
		cs.mu.Lock()
		cs.served[c.RemoteAddr().String()] = 0
		cs.mu.Unlock()
	case http.StateHijacked, http.StateClosed:
		cs.mu.Lock()
		delete(cs.served, c.RemoteAddr().String())
		cs.mu.Unlock()
	}
}

// ConnectionCount reports how many connections the server has accepted
// since it started, as seen by ConnState.
func (h *Handler) ConnectionCount() int { return int(h.conns.accepted.Load()) }

// firstOnConn counts r as served on its connection and reports whether
// it is the connection's first request. A request on a connection that
// ConnState did not see is not a first one.
func (cs *conns) firstOnConn(r *http.Request) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	n, ok := cs.served[r.RemoteAddr]
	if !ok {
		return false
	}
	cs.served[r.RemoteAddr] = n + 1
	return n == 0
}
