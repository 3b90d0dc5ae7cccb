package vault

import "time"

// SetTokenRefresherClock sets the clock by which r tells the age of its
// access tokens, so that a test can move it with a vaulttest server's.
func SetTokenRefresherClock(r *TokenRefresher, now func() time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.now = now
}
