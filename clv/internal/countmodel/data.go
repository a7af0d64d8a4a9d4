package countmodel

import (
	"fmt"
	"math"
	"sort"

	"github.com/cxkit/cxkit"
)

// Row is one customer's history as the likelihoods read it: x repeat purchases, the last at
// t_x, age T, with a weight (> 0, which Build relies on) and a monetary value.
type Row struct {
	X, Tx, T, W, MV float64
}

// key identifies a distinct (x, t_x, T) history.
type key struct{ x, tx, T float64 }

// Data is a validated, compressed set of histories in columns, as the count-model
// likelihoods read them. Rows are distinct (x, t_x, T) triples with their total weight, in
// order of first appearance; rows are also grouped by x so that terms depending on x alone
// are computed once per distinct x.
type Data struct {
	X, Tx, T, W []float64
	MV          []float64 // weighted sum of monetary values (for clv.Compress; see BuildOptions.MV)
	Grp         []int32   // row → index into UX
	UX, UW      []float64 // distinct x values (ascending) and their total weight
	Total       float64   // total weight
	Repeat      float64   // weight of the customers with x > 0
}

// BuildOptions choose what Build computes besides the distinct histories and their weights.
type BuildOptions struct {
	// MV fills Data.MV, the weighted sums of the monetary values, which only clv.Compress
	// reads: the count models leave it out and save its memory.
	MV bool
	// Index asks for the customer → row index: index[i] is the row of customer i's history.
	// It is nil when every customer has a row of its own (all histories distinct), row i then
	// being customer i's, so that all-distinct inputs spend nothing on it. Package clv keeps
	// it with the data to check, in one pass, that a later call is given the same histories
	// (see clv's history cache).
	Index bool
}

// Build compresses n customers into distinct histories. check(lo, hi) validates customers
// [lo, hi) and returns the error of the first invalid one (clv names the customer); row(i)
// returns customer i's history. who prefixes the package's own errors ("FitBGNBD", ...).
// With opt.Index it also returns the customer → row index (see BuildOptions), else nil.
func Build(who string, n int, check func(lo, hi int) error, row func(i int) Row, opt BuildOptions) (*Data, []int32, error) {
	if n == 0 {
		return nil, nil, fmt.Errorf("clv: %s: no customers: %w", who, cxkit.ErrEmpty)
	}
	var (
		d   *Data
		idx []int32
	)
	if n < parallelRows || repetitive(n, row) {
		if err := check(0, n); err != nil {
			return nil, nil, err
		}
		d, idx = buildSerial(n, row, opt)
	} else {
		var err error
		if d, idx, err = buildParallel(n, check, row, opt); err != nil {
			return nil, nil, err
		}
	}
	if d.Total <= 0 {
		return nil, nil, fmt.Errorf("clv: %s: total weight is zero: %w", who, cxkit.ErrEmpty)
	}
	d.group()
	return d, idx, nil
}

// distinctIn returns the number of distinct histories among the first min(n, 4096).
func distinctIn(n int, row func(i int) Row) (distinct, probe int) {
	probe = min(n, 4096)
	seen := make(map[key]struct{}, probe)
	for i := range probe {
		r := row(i)
		seen[key{r.X, r.Tx, r.T}] = struct{}{}
	}
	return len(seen), probe
}

// repetitive reports whether fewer than half of the first few thousand histories are
// distinct: the one small map of buildSerial then stays in cache and beats the parallel
// grouping, with memory that grows with the distinct histories only.
func repetitive(n int, row func(i int) Row) bool {
	distinct, probe := distinctIn(n, row)
	return distinct < probe/2
}

// buildSerial groups the rows with one map, in one pass. It is the reference that
// buildParallel must match exactly. With opt.Index it also returns the customer → row
// index, nil when every customer has a row of its own (see BuildOptions).
func buildSerial(n int, row func(i int) Row, opt BuildOptions) (*Data, []int32) {
	// Size the table from the share of distinct histories among the first few thousand, so
	// that all-distinct inputs do not rehash and re-copy their columns several times.
	distinct, probe := distinctIn(n, row)
	hint := n
	if distinct < probe/2 {
		hint = 2 * distinct // repetitive data: let the table grow if needed
	}
	idx := make(map[key]int32, hint)
	d := &Data{
		X: make([]float64, 0, hint), Tx: make([]float64, 0, hint), T: make([]float64, 0, hint),
		W: make([]float64, 0, hint),
	}
	if opt.MV {
		d.MV = make([]float64, 0, hint)
	}
	var rowOf []int32
	if opt.Index {
		rowOf = make([]int32, n)
	}
	for i := range n {
		r := row(i)
		k := key{r.X, r.Tx, r.T}
		j, ok := idx[k]
		if !ok {
			j = int32(len(d.W))
			idx[k] = j
			d.X = append(d.X, k.x)
			d.Tx = append(d.Tx, k.tx)
			d.T = append(d.T, k.T)
			d.W = append(d.W, 0)
			if opt.MV {
				d.MV = append(d.MV, 0)
			}
		}
		if opt.Index {
			rowOf[i] = j
		}
		d.W[j] += r.W
		if opt.MV {
			d.MV[j] += r.W * r.MV
		}
		d.Total += r.W
		if r.X > 0 {
			d.Repeat += r.W
		}
	}
	if len(d.W) == n {
		rowOf = nil // row i is customer i
	}
	return d, rowOf
}

// group fills Grp, UX and UW.
func (d *Data) group() {
	if d.groupDense() {
		return
	}
	byX := map[float64]int32{}
	for _, x := range d.X {
		if _, ok := byX[x]; !ok {
			byX[x] = 0
			d.UX = append(d.UX, x)
		}
	}
	sort.Float64s(d.UX)
	for i, x := range d.UX {
		byX[x] = int32(i)
	}
	d.UW = make([]float64, len(d.UX))
	d.Grp = make([]int32, len(d.X))
	for i, x := range d.X {
		g := byX[x]
		d.Grp[i] = g
		d.UW[g] += d.W[i]
	}
}

// Subsample returns every k-th history (with its weight), regrouped.
func (d *Data) Subsample(k int) *Data {
	k = max(k, 1)
	s := &Data{}
	for i := 0; i < len(d.W); i += k {
		s.X = append(s.X, d.X[i])
		s.Tx = append(s.Tx, d.Tx[i])
		s.T = append(s.T, d.T[i])
		s.W = append(s.W, d.W[i])
		s.Total += d.W[i]
		if d.X[i] > 0 {
			s.Repeat += d.W[i]
		}
	}
	s.group()
	return s
}

// maxDenseX bounds the purchase counts that group indexes through an array.
const maxDenseX = 1 << 20

// groupDense is group for whole purchase counts below maxDenseX (all that clv produces up to
// a million purchases per customer), with an array instead of a map; it reports false,
// having done nothing, otherwise. The result is the same as the map's.
func (d *Data) groupDense() bool {
	maxX := 0.0
	for _, x := range d.X {
		if !(x >= 0 && x < maxDenseX && x == math.Trunc(x)) {
			return false
		}
		maxX = math.Max(maxX, x)
	}
	idx := make([]int32, int(maxX)+1) // distinct-x index plus one, 0 when absent
	for _, x := range d.X {
		idx[int(x)] = 1
	}
	d.UX = d.UX[:0]
	for x, v := range idx {
		if v != 0 {
			idx[x] = int32(len(d.UX)) + 1
			d.UX = append(d.UX, float64(x))
		}
	}
	d.UW = make([]float64, len(d.UX))
	d.Grp = make([]int32, len(d.X))
	for i, x := range d.X {
		g := idx[int(x)] - 1
		d.Grp[i] = g
		d.UW[g] += d.W[i]
	}
	return true
}
