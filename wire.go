package vault

import (
	"net/http/httptrace"
	"sync/atomic"
)

// wire records what net/http reports of one attempt's request on the
// wire: whether it asked for a connection (traced for sendOnce
// operations only, which need it), got one, and how often it wrote the
// request in full. Each attempt has a wire of its own, captured by its trace, so
// that a report arriving late (HTTP/2 may report a write after RoundTrip
// returned) never reaches another attempt or another call.
type wire struct {
	trace       httptrace.ClientTrace
	getConn     atomic.Bool
	gotConn     atomic.Bool
	writes      atomic.Int32 // requests written in full
	writeFailed atomic.Bool
}

// newWire returns a wire whose trace hooks record into it. askedConn
// adds the hook that reports the request for a connection, which tells
// a request that never left from one the trace did not see (see
// wireReport.traced); it costs an allocation, so only the operations
// that need it have it.
func newWire(askedConn bool) *wire {
	w := new(wire)
	if askedConn {
		w.trace.GetConn = func(string) { w.getConn.Store(true) }
	}
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
	// traced reports whether the trace saw the attempt at all: it asked
	// for a connection, got one, or wrote. A RoundTripper that sends
	// without net/http's transport (or on a transport of its own, with a
	// context that lost the trace) reports nothing, and then a request
	// without mayHaveArrived may still have reached the server.
	traced bool
}

func (w *wire) report() wireReport {
	if w == nil {
		return wireReport{}
	}
	writes, gotConn, writeFailed := w.writes.Load(), w.gotConn.Load(), w.writeFailed.Load()
	return wireReport{
		mayHaveArrived: writes > 0 || (gotConn && !writeFailed),
		resent:         writes > 1,
		traced:         w.getConn.Load() || gotConn || writes > 0 || writeFailed,
	}
}
