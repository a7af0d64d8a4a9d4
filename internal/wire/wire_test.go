package wire

import (
	"hash/crc32"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sample() []byte {
	w := NewWriter("TEST", 3, 0)
	w.Uint64(42)
	w.Float64(2.5)
	w.Bytes([]byte("hello"))
	return w.B
}

func TestRoundTrip(t *testing.T) {
	b := sample()
	r := NewReader(b, "TEST", 3, "wire.Test")
	assert.Equal(t, uint64(42), r.Uint64())
	assert.Equal(t, 2.5, r.Float64())
	assert.Equal(t, []byte("hello"), r.Bytes())
	require.NoError(t, r.Done())
}

// The header carries the CRC-32C of everything but itself; the check value of CRC-32C over
// "123456789" is 0xe3069283 (Castagnoli et al. 1993; the "check" of CRC-32/ISCSI in
// Greg Cook's catalogue of parametrised CRC algorithms).
func TestChecksumIsCastagnoli(t *testing.T) {
	assert.Equal(t, uint32(0xe3069283), crc32.Checksum([]byte("123456789"), table))
	b := sample()
	want := crc32.Checksum(append(append([]byte{}, b[:5]...), b[HeaderSize:]...), crc32.MakeTable(crc32.Castagnoli))
	assert.Equal(t, want, Checksum(b))
	assert.Equal(t, []byte{byte(want), byte(want >> 8), byte(want >> 16), byte(want >> 24)}, b[5:HeaderSize])
}

// Every single-byte change of an encoding (all 255 other values of each byte), every
// truncation and any trailing byte are errors wrapping cxkit.ErrInvalid.
func TestEveryByteChangeIsAnError(t *testing.T) {
	b := sample()
	for i := range b {
		for x := 1; x < 256; x++ {
			c := append([]byte(nil), b...)
			c[i] ^= byte(x)
			r := NewReader(c, "TEST", 3, "wire.Test")
			r.Uint64()
			r.Float64()
			r.Bytes()
			require.ErrorIs(t, r.Done(), cxkit.ErrInvalid, "byte %d ^ %#x", i, x)
		}
	}
	for cut := range b {
		r := NewReader(b[:cut], "TEST", 3, "wire.Test")
		r.Uint64()
		r.Float64()
		r.Bytes()
		assert.ErrorIs(t, r.Done(), cxkit.ErrInvalid, "cut %d", cut)
	}
	r := NewReader(append(append([]byte(nil), b...), 0), "TEST", 3, "wire.Test")
	r.Uint64()
	r.Float64()
	r.Bytes()
	assert.ErrorIs(t, r.Done(), cxkit.ErrInvalid)
}

// Past the checksum, the tag and the version are checked; Reseal builds such encodings.
func TestTagAndVersionAfterChecksum(t *testing.T) {
	b := sample()
	c := append([]byte(nil), b...)
	c[0] = 'X'
	err := NewReader(Reseal(c), "TEST", 3, "wire.Test").Err()
	require.ErrorIs(t, err, cxkit.ErrInvalid)
	assert.Contains(t, err.Error(), "not an encoding of this type")
	c = append([]byte(nil), b...)
	c[4] = 4
	err = NewReader(Reseal(c), "TEST", 3, "wire.Test").Err()
	require.ErrorIs(t, err, cxkit.ErrInvalid)
	assert.Contains(t, err.Error(), "unsupported encoding version 4")
	c = append([]byte(nil), b...)
	c[HeaderSize] ^= 1
	err = NewReader(c, "TEST", 3, "wire.Test").Err()
	require.ErrorIs(t, err, cxkit.ErrInvalid)
	assert.Contains(t, err.Error(), "checksum mismatch")
	assert.Equal(t, []byte("ab"), Reseal([]byte("ab")))
}
