// Package wire is the small versioned binary format behind the MarshalBinary methods of the
// cxkit accumulators: a 4-byte tag naming the type, a version byte, then fixed-width
// little-endian values. Decoding checks the tag, the version and the length, so truncated or
// foreign bytes give an error rather than a wrong value.
package wire

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
)

// Writer appends values to a byte slice.
type Writer struct{ B []byte }

// NewWriter starts an encoding with a 4-byte tag and a version.
func NewWriter(tag string, version byte, sizeHint int) *Writer {
	w := &Writer{B: make([]byte, 0, 5+sizeHint)}
	w.B = append(w.B, tag[:4]...)
	w.B = append(w.B, version)
	return w
}

// Float64 appends a float64.
func (w *Writer) Float64(f float64) { w.B = binary.LittleEndian.AppendUint64(w.B, math.Float64bits(f)) }

// Uint64 appends a uint64.
func (w *Writer) Uint64(u uint64) { w.B = binary.LittleEndian.AppendUint64(w.B, u) }

// Bytes appends a length-prefixed byte slice.
func (w *Writer) Bytes(b []byte) {
	w.Uint64(uint64(len(b)))
	w.B = append(w.B, b...)
}

// Reader reads values written by a Writer. The first error sticks; check Err (or Done) at the end.
type Reader struct {
	b   []byte
	err error
	who string
}

// NewReader checks the tag and version and returns a Reader positioned after them. who names
// the type in error messages (e.g. "nps.Tally").
func NewReader(b []byte, tag string, version byte, who string) *Reader {
	r := &Reader{b: b, who: who}
	if len(b) < 5 || string(b[:4]) != tag[:4] {
		r.err = fmt.Errorf("%s: not an encoding of this type (%d bytes): %w", who, len(b), cxkit.ErrInvalid)
		return r
	}
	if b[4] != version {
		r.err = fmt.Errorf("%s: unsupported encoding version %d (want %d): %w", who, b[4], version, cxkit.ErrInvalid)
		return r
	}
	r.b = b[5:]
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

// Done returns the first error, or an error if bytes are left over.
func (r *Reader) Done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%s: %d unexpected trailing bytes: %w", r.who, len(r.b), cxkit.ErrInvalid)
	}
	return r.err
}
