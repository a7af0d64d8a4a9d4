package csat

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit/internal/wire"
)

// fuzzScales are the scales the fuzz targets pick from with their first byte.
var fuzzScales = []Scale{ThreePoint, FivePoint, SevenPoint, TenPointTop3, {Min: 0, Max: 10, TopBoxes: 1}}

// FuzzScore checks that Score never panics, that it errors exactly when a byte is off the
// scale (naming the first such index), and that the byte fast path agrees with the generic
// path and with a Tally.
func FuzzScore(f *testing.F) {
	f.Add([]byte{1, 5, 4, 3, 2, 1, 5, 4, 4})
	f.Add([]byte{0})
	f.Add(append([]byte{2}, make([]byte, 600)...))
	f.Add([]byte{4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255, 128})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		s := fuzzScales[int(data[0])%len(fuzzScales)]
		b := data[1:]
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
		_, bad := naive(s, b)
		switch {
		case bad >= 0:
			if !errors.Is(err, ErrOutOfRange) || !errors.Is(err2, ErrOutOfRange) || !errors.Is(errT, ErrOutOfRange) {
				t.Fatalf("bad byte at %d: errors %v / %v / %v", bad, err, err2, errT)
			}
			if err.Error() != err2.Error() {
				t.Fatalf("paths name different errors: %v / %v", err, err2)
			}
		case len(b) == 0:
			if !errors.Is(err, ErrEmpty) || !errors.Is(err2, ErrEmpty) {
				t.Fatalf("empty: errors %v / %v", err, err2)
			}
		default:
			if err != nil || err2 != nil || r != r2 {
				t.Fatalf("paths disagree: %+v, %v / %+v, %v", r, err, r2, err2)
			}
			rt, err := tl.Result()
			if err != nil || rt != r {
				t.Fatalf("tally disagrees: %+v, %v", rt, err)
			}
			if !(r.Score >= 0 && r.Score <= 100) || !(r.Mean >= float64(s.Min) && r.Mean <= float64(s.Max)) || math.IsNaN(r.StdErr) {
				t.Fatalf("result out of range: %+v", r)
			}
			iv := r.Interval(0.95)
			if !(iv.Lower >= 0 && iv.Upper <= 100 && iv.Lower <= r.Score+1e-9 && r.Score <= iv.Upper+1e-9) {
				t.Fatalf("bad interval %v for %+v", iv, r)
			}
			if mi := r.MeanInterval(0.9); len(b) > 1 && !(mi.Lower <= r.Mean && mi.Upper >= r.Mean) {
				t.Fatalf("bad mean interval %v for %+v", mi, r)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("result does not encode: %v", err)
			}
		}
	})
}

// FuzzTallyAddWeighted checks that weighted adds never panic, reject exactly the documented
// bad weights, and give finite results.
func FuzzTallyAddWeighted(f *testing.F) {
	f.Add(4, 1.5, 5, 0.0)
	f.Add(0, math.NaN(), 5, -1.0)
	f.Add(3, 1e-101, 2, 1e100)
	f.Fuzz(func(t *testing.T, r1 int, w1 float64, r2 int, w2 float64) {
		var tl Tally
		for i, a := range [][2]any{{r1, w1}, {r2, w2}} {
			r, w := a[0].(int), a[1].(float64)
			err := tl.AddWeighted(r, w)
			valid := r >= 1 && r <= 5 && (w == 0 || (w >= 1e-100 && w <= 1e100))
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
		if math.IsNaN(res.Score) || math.IsNaN(res.Mean) || math.IsInf(res.EffectiveN, 0) {
			t.Fatalf("non-finite result %+v", res)
		}
	})
}

// FuzzTallyUnmarshal checks that decoding arbitrary bytes (binary and JSON) never panics, and
// that whatever decodes re-encodes to an equal tally whose Result is well defined.
func FuzzTallyUnmarshal(f *testing.F) {
	seed, _ := NewTally(SevenPoint)
	_ = seed.AddWeighted(7, 2)
	_ = seed.Add(3)
	b, _ := seed.MarshalBinary()
	j, _ := json.Marshal(&seed)
	var zero Tally
	zb, _ := zero.MarshalBinary()
	f.Add(b)
	f.Add(j)
	f.Add(zb)
	f.Add([]byte("CSAT\x01"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		// As given, and resealed so that the checksum passes and the consistency checks behind it
		// are reached.
		for _, data := range [][]byte{raw, wire.Reseal(append([]byte(nil), raw...))} {
			for _, decode := range []func(*Tally, []byte) error{
				(*Tally).UnmarshalBinary,
				(*Tally).UnmarshalJSON,
			} {
				var tl Tally
				if err := decode(&tl, data); err != nil {
					if !errors.Is(err, ErrInvalid) {
						t.Fatalf("decode error %v does not wrap ErrInvalid", err)
					}
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

// FuzzScoreFloats checks that float ratings never panic, that exactly the fractions and NaNs
// are ErrInvalid and the whole numbers off the scale ErrOutOfRange, and that valid input
// scores like the same ratings as ints.
func FuzzScoreFloats(f *testing.F) {
	f.Add(5.0, 4.0, 2.5)
	f.Add(math.NaN(), 1.0, 1e300)
	f.Add(math.Inf(1), math.Copysign(0, -1), 3.0)
	f.Add(2.5, 7.0, 1.0)
	f.Fuzz(func(t *testing.T, a, b, c float64) {
		fl := []float64{a, b, c}
		r, err := ScoreFloats(FivePoint, fl)
		var want error
		ints := make([]int, 0, 3)
	scan:
		for _, x := range fl {
			switch {
			case x != math.Trunc(x):
				want = ErrInvalid
			case x < 1 || x > 5:
				want = ErrOutOfRange
			default:
				ints = append(ints, int(x))
				continue
			}
			break scan // the first bad value decides the error
		}
		if want != nil {
			if !errors.Is(err, want) {
				t.Fatalf("%v: error %v, want %v", fl, err, want)
			}
			return
		}
		ri, erri := Score(FivePoint, ints)
		if err != nil || erri != nil || r != ri {
			t.Fatalf("%v: %+v, %v vs %+v, %v", fl, r, err, ri, erri)
		}
	})
}
