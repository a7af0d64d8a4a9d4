package countmodel

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// sameData reports the first difference between two compressed data sets, bit for bit
// (NaN-free data: == on float64 would equate −0 and +0, which the bits do not).
func sameData(a, b *Data) error {
	cols := []struct {
		name string
		x, y []float64
	}{{"X", a.X, b.X}, {"Tx", a.Tx, b.Tx}, {"T", a.T, b.T}, {"W", a.W, b.W}, {"MV", a.MV, b.MV}, {"UX", a.UX, b.UX}, {"UW", a.UW, b.UW}}
	for _, c := range cols {
		if len(c.x) != len(c.y) {
			return fmt.Errorf("%s: %d rows, want %d", c.name, len(c.x), len(c.y))
		}
		for i := range c.x {
			if math.Float64bits(c.x[i]) != math.Float64bits(c.y[i]) {
				return fmt.Errorf("%s[%d] = %v, want %v", c.name, i, c.x[i], c.y[i])
			}
		}
	}
	if !slices.Equal(a.Grp, b.Grp) {
		return fmt.Errorf("Grp differs")
	}
	if math.Float64bits(a.Total) != math.Float64bits(b.Total) || math.Float64bits(a.Repeat) != math.Float64bits(b.Repeat) {
		return fmt.Errorf("Total, Repeat = %v, %v, want %v, %v", a.Total, a.Repeat, b.Total, b.Repeat)
	}
	return nil
}

// referenceBuild is the plainest grouping: a linear scan of the groups found so far, for
// small inputs, independent of both implementations.
func referenceBuild(rows []Row) *Data {
	d := &Data{}
	for _, r := range rows {
		j := -1
		for g := range d.X {
			if d.X[g] == r.X && d.Tx[g] == r.Tx && d.T[g] == r.T {
				j = g
				break
			}
		}
		if j < 0 {
			j = len(d.X)
			d.X, d.Tx, d.T = append(d.X, r.X), append(d.Tx, r.Tx), append(d.T, r.T)
			d.W, d.MV = append(d.W, 0), append(d.MV, 0)
		}
		d.W[j] += r.W
		d.MV[j] += r.W * r.MV
		d.Total += r.W
		if r.X > 0 {
			d.Repeat += r.W
		}
	}
	d.group()
	return d
}

// buildBoth groups rows serially and in parallel, with the customer → row index, and checks
// both indexes (see checkIndex) and that they agree.
func buildBoth(t testing.TB, rows []Row) (serial, parallel *Data) {
	t.Helper()
	row := func(i int) Row { return rows[i] }
	all := BuildOptions{MV: true, Index: true}
	serial, si := buildSerial(len(rows), row, all)
	serial.group()
	parallel, pi, err := buildParallel(len(rows), func(lo, hi int) error { return nil }, row, all)
	if err != nil {
		t.Fatal(err)
	}
	parallel.group()
	if err := checkIndex(rows, serial, si); err != nil {
		t.Fatalf("serial: %v", err)
	}
	if err := checkIndex(rows, parallel, pi); err != nil {
		t.Fatalf("parallel: %v", err)
	}
	if !slices.Equal(si, pi) || (si == nil) != (pi == nil) {
		t.Fatal("the serial and parallel indexes differ")
	}
	return serial, parallel
}

// checkIndex checks a customer → row index: nil exactly when every customer has its own row
// (row i for customer i), and otherwise each customer's row holding its history.
func checkIndex(rows []Row, d *Data, index []int32) error {
	if (index == nil) != (len(d.W) == len(rows)) {
		return fmt.Errorf("index nil = %v with %d rows for %d customers", index == nil, len(d.W), len(rows))
	}
	if index != nil && len(index) != len(rows) {
		return fmt.Errorf("index has %d entries for %d customers", len(index), len(rows))
	}
	for i, r := range rows {
		j := i
		if index != nil {
			j = int(index[i])
		}
		if j < 0 || j >= len(d.W) || d.X[j] != r.X || d.Tx[j] != r.Tx || d.T[j] != r.T {
			return fmt.Errorf("customer %d (%v, %v, %v) indexed to row %d", i, r.X, r.Tx, r.T, j)
		}
	}
	return nil
}

// randomRows draws n histories from a pool of about distinct ones, with float weights, so
// that the order of the sums matters to the last bit.
func randomRows(n, distinct int, seed uint64) []Row {
	rng := rand.New(rand.NewPCG(seed, 3))
	pool := make([]Row, distinct)
	for i := range pool {
		x := float64(rng.IntN(20))
		tx := 0.0
		if x > 0 {
			tx = math.Round(rng.Float64()*380) / 10
		}
		pool[i] = Row{X: x, Tx: tx, T: tx + math.Round(1+rng.Float64()*380)/10}
	}
	rows := make([]Row, n)
	for i := range rows {
		r := pool[rng.IntN(distinct)]
		r.W = 0.1 + rng.Float64()*3
		r.MV = rng.Float64() * 100
		rows[i] = r
	}
	return rows
}

// TestBuildParallelMatchesSerial checks the parallel grouping against the serial one, bit for
// bit, on inputs from all-distinct to heavily repeated, across many chunks.
func TestBuildParallelMatchesSerial(t *testing.T) {
	for _, tc := range []struct{ n, distinct int }{
		{1, 1}, {100, 3}, {5000, 4000}, {3*Chunk + 17, 1 << 30}, {200_000, 50_000}, {200_000, 500}, {300_000, 1 << 30},
	} {
		rows := randomRows(tc.n, min(tc.distinct, 4*tc.n), uint64(tc.n))
		if tc.distinct > tc.n { // all distinct: continuous recencies
			for i := range rows {
				rows[i].Tx = float64(i) / 7
				rows[i].T = rows[i].Tx + 1
				rows[i].X = float64(1 + i%5)
			}
		}
		s, p := buildBoth(t, rows)
		if err := sameData(p, s); err != nil {
			t.Errorf("n=%d distinct≈%d: parallel vs serial: %v", tc.n, tc.distinct, err)
		}
		// Without the monetary values and the index (the count models' build): the same
		// histories, no MV.
		row := func(i int) Row { return rows[i] }
		bare, _ := buildSerial(len(rows), row, BuildOptions{})
		bare.group()
		barePar, idx, err := buildParallel(len(rows), func(lo, hi int) error { return nil }, row, BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		barePar.group()
		want := *s
		want.MV = nil
		for name, got := range map[string]*Data{"serial": bare, "parallel": barePar} {
			if err := sameData(got, &want); err != nil || got.MV != nil {
				t.Errorf("n=%d: %s without MV: %v (MV %d values)", tc.n, name, err, len(got.MV))
			}
		}
		if idx != nil {
			t.Errorf("n=%d: an index without BuildOptions.Index", tc.n)
		}
		// Every weight 1 (the parallel grouping then carries no weights).
		unit := slices.Clone(rows)
		for i := range unit {
			unit[i].W = 1
		}
		us, up := buildBoth(t, unit)
		if err := sameData(up, us); err != nil {
			t.Errorf("n=%d unit weights: parallel vs serial: %v", tc.n, err)
		}
		if tc.n <= 5000 {
			if err := sameData(s, referenceBuild(rows)); err != nil {
				t.Errorf("n=%d: serial vs reference: %v", tc.n, err)
			}
		}
	}
}

// TestBuildSignedZero checks that −0 and +0 recencies group together (they are equal), the
// group keeping its first member's value, as the serial map does.
func TestBuildSignedZero(t *testing.T) {
	rows := []Row{{X: 0, Tx: math.Copysign(0, -1), T: 5, W: 1}, {X: 0, Tx: 0, T: 5, W: 2}, {X: 1, Tx: 1, T: 5, W: 1}}
	s, p := buildBoth(t, rows)
	if err := sameData(p, s); err != nil {
		t.Fatal(err)
	}
	if len(p.X) != 2 || p.W[0] != 3 || !math.Signbit(p.Tx[0]) {
		t.Errorf("got X %v Tx %v W %v, want two groups, the first of weight 3 with recency −0", p.X, p.Tx, p.W)
	}
}

// TestBuildReportsFirstInvalid checks that the error of the lowest invalid chunk is returned.
func TestBuildReportsFirstInvalid(t *testing.T) {
	n := 4 * Chunk
	rows := randomRows(n, n, 9)
	bad := map[int]bool{Chunk + 5: true, 3*Chunk + 1: true}
	check := func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			if bad[i] {
				return fmt.Errorf("customer %d", i)
			}
		}
		return nil
	}
	_, _, err := Build("test", n, check, func(i int) Row { return rows[i] }, BuildOptions{})
	if err == nil || err.Error() != fmt.Sprintf("customer %d", Chunk+5) {
		t.Errorf("error %v, want customer %d", err, Chunk+5)
	}
}

// FuzzBuildParallel decodes histories from a small value domain (so that they repeat) and
// checks the parallel grouping against the serial one and the linear-scan reference.
func FuzzBuildParallel(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 1, 2, 3, 5, 1, 2, 3, 4}, uint16(3))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0}, uint16(0))
	f.Fuzz(func(t *testing.T, b []byte, rep uint16) {
		var rows []Row
		for len(b) >= 4 {
			x := float64(b[0] % 8)
			tx := float64(b[1]%16) / 4
			if b[1]&0x80 != 0 {
				tx = math.Copysign(tx, -1)
			}
			T := math.Abs(tx) + float64(b[2]%8+1)
			w := float64(b[3]%16+1) / 8
			rows = append(rows, Row{X: x, Tx: tx, T: T, W: w, MV: float64(binary.LittleEndian.Uint16(b[:2])) / 100})
			b = b[4:]
		}
		if len(rows) == 0 {
			return
		}
		// Repeat the input to cross chunk boundaries now and then.
		for range int(rep % 3) {
			rows = append(rows, rows...)
		}
		s, p := buildBoth(t, rows)
		if err := sameData(p, s); err != nil {
			t.Fatalf("parallel vs serial: %v", err)
		}
		if len(rows) <= 2000 {
			if err := sameData(s, referenceBuild(rows)); err != nil {
				t.Fatalf("serial vs reference: %v", err)
			}
		}
	})
}
