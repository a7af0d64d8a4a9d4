// Package wiretest holds the test helper every accumulator's encoding test shares: flip each
// byte of an encoding to every other value and expect the decoder to refuse it.
package wiretest

import (
	"errors"
	"testing"

	"github.com/cxkit/cxkit"
)

// EveryByteFlip changes every byte of the encoding b to each of its 255 other values and
// requires decode to return an error wrapping cxkit.ErrInvalid every time (the CRC-32 of the
// encoding catches them all).
func EveryByteFlip(t *testing.T, b []byte, decode func([]byte) error) {
	t.Helper()
	c := make([]byte, len(b))
	for i := range b {
		for x := 1; x < 256; x++ {
			copy(c, b)
			c[i] ^= byte(x)
			if err := decode(c); !errors.Is(err, cxkit.ErrInvalid) {
				t.Fatalf("byte %d ^ %#x of %d: decode gave %v, want an error wrapping ErrInvalid", i, x, len(b), err)
			}
		}
	}
}
