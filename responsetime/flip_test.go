package responsetime

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrackerEveryByteFlipIsAnError changes every byte of the binary encoding of a non-trivial
// tracker (answered, unanswered, resolved and zero-duration queries): each single byte XOR
// 0x01, 0x5a and 0xff, and every one of the 255 changes of the 64 header and count bytes.
// UnmarshalBinary must refuse every one (the CRC-32 of internal/wire catches them) and leave
// the target unchanged.
func TestTrackerEveryByteFlipIsAnError(t *testing.T) {
	var tr Tracker
	for _, q := range randomQueries(300, 5) {
		require.NoError(t, tr.Add(q))
	}
	b, err := tr.MarshalBinary()
	require.NoError(t, err)
	var back Tracker
	require.NoError(t, back.UnmarshalBinary(b))
	want, _ := back.Result()
	for i := range b {
		xs := []byte{0x01, 0x5a, 0xff}
		if i < 64 {
			xs = xs[:0]
			for x := 1; x < 256; x++ {
				xs = append(xs, byte(x))
			}
		}
		for _, x := range xs {
			c := append([]byte(nil), b...)
			c[i] ^= x
			require.ErrorIs(t, back.UnmarshalBinary(c), ErrInvalid, "byte %d ^ %#x", i, x)
		}
	}
	got, err := back.Result()
	require.NoError(t, err)
	assert.Equal(t, want, got, "failed decodes leave the target unchanged")
}
