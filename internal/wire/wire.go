// Package wire is the small versioned, checksummed binary format behind the MarshalBinary
// methods of the cxkit accumulators:
//
//	offset 0  4 bytes  tag naming the type (e.g. "NPST")
//	offset 4  1 byte   version of the type's layout
//	offset 5  4 bytes  CRC-32 (Castagnoli), little-endian, over the tag, the version and the body
//	offset 9  ...      body: fixed-width little-endian values and length-prefixed byte strings
//
// Decoding checks the checksum first, then the tag, the version and the length, so corrupt,
// truncated or foreign bytes give an error wrapping cxkit.ErrInvalid rather than a different
// value. A CRC-32 detects every error burst of up to 32 bits, so every single-byte change of an
// encoding is caught; it is a guard against corruption, not against forgery.
package wire

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/cxkit/cxkit"
)

// HeaderSize is the length of the header: tag, version and checksum.
const HeaderSize = 9

var table = crc32.MakeTable(crc32.Castagnoli)

// Writer appends values to a byte slice. B is a complete encoding, checksum included, after
// every call: the checksum is kept up to date as values are appended.
type Writer struct {
	B   []byte
	crc uint32 // CRC-32 of B without its checksum field
}

// NewWriter starts an encoding with a 4-byte tag and a version.
func NewWriter(tag string, version byte, sizeHint int) *Writer {
	w := &Writer{B: make([]byte, 0, HeaderSize+max(sizeHint, 0))}
	w.B = append(w.B, tag[:4]...)
	w.B = append(w.B, version)
	w.crc = crc32.Update(0, table, w.B)
	w.B = binary.LittleEndian.AppendUint32(w.B, w.crc)
	return w
}

// seal folds the bytes appended from offset start into the checksum and rewrites it.
func (w *Writer) seal(start int) {
	w.crc = crc32.Update(w.crc, table, w.B[start:])
	binary.LittleEndian.PutUint32(w.B[5:HeaderSize], w.crc)
}

// Float64 appends a float64.
func (w *Writer) Float64(f float64) { w.Uint64(math.Float64bits(f)) }

// Uint64 appends a uint64.
func (w *Writer) Uint64(u uint64) {
	start := len(w.B)
	w.B = binary.LittleEndian.AppendUint64(w.B, u)
	w.seal(start)
}

// Bytes appends a length-prefixed byte slice.
func (w *Writer) Bytes(b []byte) {
	start := len(w.B)
	w.B = binary.LittleEndian.AppendUint64(w.B, uint64(len(b)))
	w.B = append(w.B, b...)
	w.seal(start)
}

// Checksum returns the CRC-32 (Castagnoli) that an encoding's header must carry: that of its
// tag, version and body. b must be at least HeaderSize long.
func Checksum(b []byte) uint32 {
	return crc32.Update(crc32.Update(0, table, b[:5]), table, b[HeaderSize:])
}

// Reader reads values written by a Writer. The first error sticks; check Err (or Done) at the end.
type Reader struct {
	b   []byte
	err error
	who string
}

// NewReader checks the checksum, then the tag and the version, and returns a Reader
// positioned after the header. who names the type in error messages (e.g. "nps.Tally").
func NewReader(b []byte, tag string, version byte, who string) *Reader {
	r := &Reader{b: b, who: who}
	switch {
	case len(b) < HeaderSize:
		r.err = fmt.Errorf("%s: not an encoding of this type (%d bytes, shorter than a header): %w", who, len(b), cxkit.ErrInvalid)
	case binary.LittleEndian.Uint32(b[5:HeaderSize]) != Checksum(b):
		r.err = fmt.Errorf("%s: checksum mismatch (CRC-32 %#08x in the header, %#08x over the %d bytes): the encoding is corrupt, truncated or not of this format: %w",
			who, binary.LittleEndian.Uint32(b[5:HeaderSize]), Checksum(b), len(b), cxkit.ErrInvalid)
	case string(b[:4]) != tag[:4]:
		r.err = fmt.Errorf("%s: not an encoding of this type (tag %q, want %q): %w", who, b[:4], tag[:4], cxkit.ErrInvalid)
	case b[4] != version:
		r.err = fmt.Errorf("%s: unsupported encoding version %d (want %d): %w", who, b[4], version, cxkit.ErrInvalid)
	default:
		r.b = b[HeaderSize:]
	}
	return r
}

// Float64 reads a float64.
func (r *Reader) Float64() float64 { return math.Float64frombits(r.Uint64()) }

// Uint64 reads a uint64.
func (r *Reader) Uint64() uint64 {
	if r.err != nil {
		return 0
	}
	if len(r.b) < 8 {
		r.err = fmt.Errorf("%s: encoding truncated: %w", r.who, cxkit.ErrInvalid)
		return 0
	}
	u := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return u
}

// Bytes reads a length-prefixed byte slice (a sub-slice of the input).
func (r *Reader) Bytes() []byte {
	n := r.Uint64()
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = fmt.Errorf("%s: encoding truncated: %w", r.who, cxkit.ErrInvalid)
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

// Fail records a decoding error found by the caller (e.g. a negative count) unless one is
// already recorded.
func (r *Reader) Fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %s: %w", r.who, fmt.Sprintf(format, args...), cxkit.ErrInvalid)
	}
}

// Err returns the first error recorded.
func (r *Reader) Err() error { return r.err }

// Done returns the first error, or an error if bytes are left over.
func (r *Reader) Done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%s: %d unexpected trailing bytes: %w", r.who, len(r.b), cxkit.ErrInvalid)
	}
	return r.err
}

// Reseal rewrites the checksum of an encoding in place to match its contents, and returns it;
// an input shorter than a header is returned unchanged. Tests and fuzz targets use it to build
// encodings that pass the checksum but carry impossible contents, so that the consistency
// checks behind it are exercised too.
func Reseal(b []byte) []byte {
	if len(b) >= HeaderSize {
		binary.LittleEndian.PutUint32(b[5:HeaderSize], Checksum(b))
	}
	return b
}
