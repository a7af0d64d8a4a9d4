package nps

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"
)

// FuzzScore checks that Score never panics, that it errors exactly when a byte is off the
// scale, and that the fast byte path agrees with the generic path and with Tally.
func FuzzScore(f *testing.F) {
	f.Add([]byte{10, 9, 8, 7, 6, 5})
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Score(b)
		ints := make([]int, len(b))
		for i, x := range b {
			ints[i] = int(x)
		}
		r2, err2 := Score(ints)
		var tl Tally
		var errT error
		for _, x := range ints {
			if e := tl.Add(x); e != nil && errT == nil {
				errT = e
			}
		}
		pro, pas, det, bad := naive(b)
		switch {
		case bad >= 0:
			if !errors.Is(err, ErrOutOfRange) || !errors.Is(err2, ErrOutOfRange) || !errors.Is(errT, ErrOutOfRange) {
				t.Fatalf("bad byte at %d: errors %v / %v / %v", bad, err, err2, errT)
			}
		case len(b) == 0:
			if !errors.Is(err, ErrEmpty) || !errors.Is(err2, ErrEmpty) {
				t.Fatalf("empty: errors %v / %v", err, err2)
			}
		default:
			if err != nil || err2 != nil {
				t.Fatalf("valid input: errors %v / %v", err, err2)
			}
			if r != r2 || r.Promoters != float64(pro) || r.Passives != float64(pas) || r.Detractors != float64(det) {
				t.Fatalf("paths disagree: %+v vs %+v (want %d/%d/%d)", r, r2, pro, pas, det)
			}
			rt, err := tl.Result()
			if err != nil || rt != r {
				t.Fatalf("tally disagrees: %+v, %v", rt, err)
			}
			if r.Score < -100 || r.Score > 100 || math.IsNaN(r.StdErr) {
				t.Fatalf("score out of range: %+v", r)
			}
			iv := r.Interval(0.95)
			if !(iv.Lower >= -100 && iv.Upper <= 100 && iv.Lower <= iv.Upper) {
				t.Fatalf("bad interval %v", iv)
			}
		}
	})
}

// FuzzTallyUnmarshal checks that decoding arbitrary bytes (binary and JSON) never panics, and
// that whatever decodes re-encodes to an equivalent tally whose Result is well defined.
func FuzzTallyUnmarshal(f *testing.F) {
	var seed Tally
	_ = seed.AddWeighted(9, 2)
	_ = seed.Add(3)
	b, _ := seed.MarshalBinary()
	j, _ := json.Marshal(&seed)
	f.Add(b)
	f.Add(j)
	f.Add([]byte("NPST\x01"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// As given, and resealed so that the checksum passes and the consistency checks behind it
		// are reached.
		for _, data := range [][]byte{raw, wire.Reseal(append([]byte(nil), raw...))} {
			for _, decode := range []func(*Tally, []byte) error{
				(*Tally).UnmarshalBinary,
				func(t *Tally, d []byte) error { return json.Unmarshal(d, t) },
			} {
				var tl Tally
				if err := decode(&tl, data); err != nil {
					continue
				}
				again, err := tl.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var back Tally
				if err := back.UnmarshalBinary(again); err != nil {
					t.Fatalf("re-decoding failed: %v", err)
				}
				if back != tl {
					t.Fatalf("round trip changed the tally")
				}
				if r, err := tl.Result(); err == nil && (math.IsNaN(r.Score) || r.Score < -100-1e-9 || r.Score > 100+1e-9) {
					t.Fatalf("decoded tally gives score %v", r.Score)
				}
			}
		}
	})
}
