//go:build !race

package vault

// raceEnabled reports whether the tests run under the race detector, where
// sync.Pool drops items at random and allocation counts vary between runs.
const raceEnabled = false
