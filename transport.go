package vault

import (
	"net"
	"net/http"
	"time"
)

// newHTTPClient returns the transport the SDK sends through and the
// *http.Client that wraps it. The wrapper never follows redirects.
//
// A caller's client without a Transport gets the pooled one, not
// http.DefaultTransport: setting only a Timeout must not cut the pool to
// net/http's two idle connections per host.
//
// Each attempt goes through the wrapper's Do, so its Timeout bounds one
// attempt, from dialling to the end of the body: attemptTimeout when set,
// else the caller's client's.
func newHTTPClient(user *http.Client, attemptTimeout time.Duration) (http.RoundTripper, *http.Client) {
	hc := &http.Client{CheckRedirect: refuseRedirect}
	var rt http.RoundTripper
	if user != nil {
		rt = user.Transport
		hc.Timeout = user.Timeout
		hc.Jar = user.Jar
	}
	if attemptTimeout > 0 {
		hc.Timeout = attemptTimeout
	}
	if rt == nil {
		rt = newPooledTransport()
	}
	hc.Transport = rt
	return rt, hc
}

// The dialer of the default transport, as http.DefaultTransport's: a
// connection not made in dialTimeout fails, and an idle one is probed
// every dialKeepAlive so that a dead peer is noticed.
const (
	dialTimeout   = 30 * time.Second
	dialKeepAlive = 30 * time.Second
)

// newPooledTransport is the default transport: like http.DefaultTransport,
// but keeping enough idle connections per host for a busy service, where
// the standard two would make concurrent callers open and close
// connections on every call.
func newPooledTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   dialTimeout,
			KeepAlive: dialKeepAlive,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
