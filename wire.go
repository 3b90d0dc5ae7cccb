package vault

import (
	"net/http/httptrace"
	"sync/atomic"
)

// wire records what net/http reports of one attempt's request on the
// wire: whether it got a connection, and how often it wrote the request
// in full. Each attempt has a wire of its own, captured by its trace, so
// that a report arriving late (HTTP/2 may report a write after RoundTrip
// returned) never reaches another attempt or another call.
type wire struct {
	trace       httptrace.ClientTrace
	gotConn     atomic.Bool
	writes      atomic.Int32 // requests written in full
	writeFailed atomic.Bool
}

// newWire returns a wire whose trace hooks record into it.
func newWire() *wire {
	w := new(wire)
	w.trace.GotConn = func(httptrace.GotConnInfo) { w.gotConn.Store(true) }
	w.trace.WroteRequest = func(info httptrace.WroteRequestInfo) {
		if info.Err != nil {
			w.writeFailed.Store(true)
			return
		}
		w.writes.Add(1)
	}
	return w
}

// wireReport is what a wire recorded, read once when its attempt ends.
type wireReport struct {
	// mayHaveArrived reports whether the request may have reached the
	// server: it was written in full, or it had a connection and no
	// write failure was reported (HTTP/2 may report the write late).
	mayHaveArrived bool
	// resent reports whether net/http wrote the request more than once,
	// retrying it by itself on a new connection: the first copy may have
	// been applied, whatever the answer to the last.
	resent bool
}

func (w *wire) report() wireReport {
	if w == nil {
		return wireReport{}
	}
	writes := w.writes.Load()
	return wireReport{
		mayHaveArrived: writes > 0 || (w.gotConn.Load() && !w.writeFailed.Load()),
		resent:         writes > 1,
	}
}
