package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a number of bytes, as a flag: a number, or a number with
// the unit KiB, MiB or GiB.
type byteSize int64

// minRequestLogBytes is the least -request-log-bytes: a few requests.
const minRequestLogBytes = 64 << 10

var byteUnits = []struct {
	suffix string
	size   int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}

// String returns the size in the largest unit that divides it.
func (b byteSize) String() string {
	for _, u := range byteUnits {
		if b != 0 && int64(b)%u.size == 0 {
			return fmt.Sprintf("%d%s", int64(b)/u.size, u.suffix)
		}
	}
	return strconv.FormatInt(int64(b), 10)
}

// Set parses a size such as "8MiB", "512KiB" or "1048576".
func (b *byteSize) Set(s string) error {
	n, unit := s, int64(1)
	for _, u := range byteUnits {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			n, unit = v, u.size
			break
		}
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil || v < 0 || v > (1<<40)/unit {
		return errors.New("not a size such as 8MiB, 512KiB, 1GiB or a number of bytes")
	}
	*b = byteSize(v * unit)
	return nil
}
