package ces

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"
)

// FuzzScore checks that Score never panics, errors exactly when a byte is off the scale (with
// the same message on the byte and generic paths), agrees with a Tally, and that a CES 1.0
// sample scores exactly like its mirror image on the 1-5 ease scale.
func FuzzScore(f *testing.F) {
	f.Add(byte(0), []byte{5, 4, 3, 2, 1, 5, 4, 4})
	f.Add(byte(1), []byte{7, 6, 5, 4, 3, 2, 1, 0})
	f.Add(byte(2), append(make([]byte, 700), 3))
	f.Fuzz(func(t *testing.T, which byte, b []byte) {
		s := []Scale{FivePoint, SevenPoint, FivePointEffort}[int(which)%3]
		r, err := Score(s, b)
		ints := make([]int, len(b))
		for i, x := range b {
			ints[i] = int(x)
		}
		r2, err2 := Score(s, ints)
		tl, _ := NewTally(s)
		var errT error
		for _, x := range ints {
			if e := tl.Add(x); e != nil && errT == nil {
				errT = e
			}
		}
		bad := -1
		for i, x := range b {
			if int(x) < s.Min || int(x) > s.Max {
				bad = i
				break
			}
		}
		switch {
		case bad >= 0:
			if !errors.Is(err, ErrOutOfRange) || !errors.Is(errT, ErrOutOfRange) || err2 == nil || err.Error() != err2.Error() {
				t.Fatalf("bad byte at %d: errors %v / %v / %v", bad, err, err2, errT)
			}
		case len(b) == 0:
			if !errors.Is(err, ErrEmpty) || !errors.Is(err2, ErrEmpty) {
				t.Fatalf("empty: errors %v / %v", err, err2)
			}
		default:
			if err != nil || err2 != nil || r != r2 {
				t.Fatalf("paths disagree: %+v, %v / %+v, %v", r, err, r2, err2)
			}
			if rt, err := tl.Result(); err != nil || rt != r {
				t.Fatalf("tally disagrees: %+v, %v", rt, err)
			}
			if !(r.Score >= 0 && r.Score <= 100 && r.NetEffort >= -100 && r.NetEffort <= r.Score) {
				t.Fatalf("score out of range: %+v", r)
			}
			if iv := r.Interval(0.95); !(iv.Lower >= 0 && iv.Lower <= iv.Upper && iv.Upper <= 100) {
				t.Fatalf("bad interval %v", iv)
			}
			if s == FivePointEffort {
				mirror := make([]int, len(ints))
				for i, x := range ints {
					mirror[i] = 6 - x
				}
				m, err := Score(FivePoint, mirror)
				if err != nil || m.Score != r.Score || m.NetEffort != r.NetEffort || math.Abs(m.Mean-r.Mean) > 1e-12 {
					t.Fatalf("CES 1.0 %+v is not the mirror of %+v (%v)", r, m, err)
				}
			}
		}
	})
}

// FuzzTallyUnmarshal checks that decoding arbitrary bytes (binary and JSON) never panics,
// that every failure wraps ErrInvalid, and that whatever decodes re-encodes to an equal tally
// whose Result is well defined.
func FuzzTallyUnmarshal(f *testing.F) {
	seed, _ := NewTally(FivePointEffort)
	_ = seed.AddWeighted(1, 2)
	_ = seed.Add(5)
	b, _ := seed.MarshalBinary()
	j, _ := json.Marshal(&seed)
	f.Add(b)
	f.Add(j)
	f.Add([]byte("CEST\x01"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// As given, and resealed so that the checksum passes and the consistency checks behind it
		// are reached.
		for _, data := range [][]byte{raw, wire.Reseal(append([]byte(nil), raw...))} {
			for _, decode := range []func(*Tally, []byte) error{(*Tally).UnmarshalBinary, (*Tally).UnmarshalJSON} {
				var tl Tally
				if err := decode(&tl, data); err != nil {
					if !errors.Is(err, ErrInvalid) {
						t.Fatalf("decode error %v does not wrap ErrInvalid", err)
					}
					continue
				}
				again, _ := tl.MarshalBinary()
				var back Tally
				if err := back.UnmarshalBinary(again); err != nil || back != tl {
					t.Fatalf("round trip: %v", err)
				}
				r, err := tl.Result()
				if err != nil {
					if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrOutOfRange) {
						t.Fatalf("result error %v", err)
					}
					continue
				}
				if math.IsNaN(r.Score) || r.Score < 0 || r.Score > 100 || math.IsNaN(r.Mean) {
					t.Fatalf("decoded tally gives %+v", r)
				}
				if _, err := json.Marshal(r); err != nil {
					t.Fatalf("result does not encode: %v", err)
				}
			}
		}
	})
}

// FuzzScoreFloats checks that float ratings never panic and that valid input scores like the
// same ratings as ints (on the CES 1.0 effort scale, which maps raw answers).
func FuzzScoreFloats(f *testing.F) {
	f.Add(1.0, 2.0, 5.0)
	f.Add(math.NaN(), 1.5, -1.0)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		fl := []float64{a, b, c}
		r, err := ScoreFloats(FivePointEffort, fl)
		whole := true
		ints := make([]int, 3)
		for i, x := range fl {
			whole = whole && x == math.Trunc(x) && x >= 1 && x <= 5
			if whole {
				ints[i] = int(x)
			}
		}
		if !whole {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("%v: error %v", fl, err)
			}
			return
		}
		ri, erri := Score(FivePointEffort, ints)
		if err != nil || erri != nil || r != ri {
			t.Fatalf("%v: %+v, %v vs %+v, %v", fl, r, err, ri, erri)
		}
	})
}

// FuzzTallyAddWeighted checks that weighted adds never panic, reject exactly the documented
// bad ratings and weights, and keep easy + hard within the total weight.
func FuzzTallyAddWeighted(f *testing.F) {
	f.Add(1, 1.5, 7, 0.0, 4, 2.0)
	f.Add(0, math.NaN(), 8, -1.0, 4, 1e101)
	f.Fuzz(func(t *testing.T, r1 int, w1 float64, r2 int, w2 float64, r3 int, w3 float64) {
		tl, _ := NewTally(SevenPoint)
		for i, a := range [][2]float64{{float64(r1), w1}, {float64(r2), w2}, {float64(r3), w3}} {
			r, w := int(a[0]), a[1]
			err := tl.AddWeighted(r, w)
			valid := r >= 1 && r <= 7 && (w == 0 || (w >= 1e-100 && w <= 1e100))
			if valid != (err == nil) || (err != nil && !errors.Is(err, ErrOutOfRange)) {
				t.Fatalf("add %d: rating %d weight %v: error %v", i, r, w, err)
			}
		}
		res, err := tl.Result()
		if err != nil {
			if !errors.Is(err, ErrEmpty) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !(res.Easy+res.Hard <= res.N*(1+1e-12)) || math.IsNaN(res.Mean) || !(res.NetEffort >= -100 && res.NetEffort <= 100) {
			t.Fatalf("inconsistent result %+v", res)
		}
	})
}
