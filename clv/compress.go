package clv

import (
	"fmt"
	"sort"
)

// Compress groups customers with the same history (Frequency, Recency, T) into one Customer
// whose Weight is the total weight of the group, in order of first appearance. Fitting the
// compressed slice gives the same model as fitting the original, at a cost that grows with the
// number of distinct histories rather than the number of customers (CDNOW repeated 425 times,
// 1,001,725 customers, compresses to the 1,016 distinct histories of the 2,357 originals).
//
// The count models only read Frequency, Recency and T, so the MonetaryValue of a group is the
// weighted mean of its members' values: keep the uncompressed slice for spend models such as
// Gamma-Gamma, whose likelihood needs each customer's own mean spend.
//
// An invalid customer is an error naming its index and wrapping ErrOutOfRange; an empty slice
// is ErrEmpty (a zero Weight counts as 1, so weights never sum to zero).
func Compress(customers []Customer) ([]Customer, error) {
	d, err := cmBuild("Compress", customers)
	if err != nil {
		return nil, err
	}
	out := make([]Customer, len(d.w))
	for i := range out {
		out[i] = Customer{
			Frequency:     int(d.x[i]),
			Recency:       d.tx[i],
			T:             d.T[i],
			MonetaryValue: d.mv[i] / d.w[i],
			Weight:        d.w[i],
		}
	}
	return out, nil
}

// cmKey identifies a distinct (x, t_x, T) history.
type cmKey struct{ x, tx, T float64 }

// cmData is a validated, compressed set of histories in columns, as the count-model
// likelihoods read them. Rows are distinct (x, t_x, T) triples with their total weight; rows
// are also grouped by x so that terms depending on x alone are computed once per distinct x.
type cmData struct {
	x, tx, T, w []float64
	mv          []float64 // weighted sum of monetary values (for Compress)
	grp         []int32   // row → index into ux
	ux, uw      []float64 // distinct x values and their total weight
	W           float64   // total weight
	repeat      float64   // weight of the customers with x > 0
}

// cmBuild validates customers and compresses them into distinct histories. who prefixes the
// error messages ("FitBGNBD", ...).
func cmBuild(who string, customers []Customer) (*cmData, error) {
	if len(customers) == 0 {
		return nil, fmt.Errorf("clv: %s: no customers: %w", who, ErrEmpty)
	}
	// Size the table from the share of distinct histories among the first few thousand, so
	// that all-distinct inputs do not rehash and re-copy their columns several times.
	probe := min(len(customers), 4096)
	seen := make(map[cmKey]struct{}, probe)
	for _, c := range customers[:probe] {
		seen[cmKey{float64(c.Frequency), c.Recency, c.T}] = struct{}{}
	}
	hint := len(customers)
	if len(seen) < probe/2 {
		hint = 2 * len(seen) // repetitive data: let the table grow if needed
	}
	idx := make(map[cmKey]int32, hint)
	d := &cmData{
		x: make([]float64, 0, hint), tx: make([]float64, 0, hint), T: make([]float64, 0, hint),
		w: make([]float64, 0, hint), mv: make([]float64, 0, hint),
	}
	for i, c := range customers {
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("clv: %s: %s: %w", who, pbWho(i, c), err)
		}
		w := c.weight()
		k := cmKey{float64(c.Frequency), c.Recency, c.T}
		j, ok := idx[k]
		if !ok {
			j = int32(len(d.w))
			idx[k] = j
			d.x = append(d.x, k.x)
			d.tx = append(d.tx, k.tx)
			d.T = append(d.T, k.T)
			d.w = append(d.w, 0)
			d.mv = append(d.mv, 0)
		}
		d.w[j] += w
		d.mv[j] += w * c.MonetaryValue
		d.W += w
		if c.Frequency > 0 {
			d.repeat += w
		}
	}
	if d.W <= 0 {
		return nil, fmt.Errorf("clv: %s: total weight is zero: %w", who, ErrEmpty)
	}
	d.group()
	return d, nil
}

// group fills grp, ux and uw.
func (d *cmData) group() {
	byX := map[float64]int32{}
	for _, x := range d.x {
		if _, ok := byX[x]; !ok {
			byX[x] = 0
			d.ux = append(d.ux, x)
		}
	}
	sort.Float64s(d.ux)
	for i, x := range d.ux {
		byX[x] = int32(i)
	}
	d.uw = make([]float64, len(d.ux))
	d.grp = make([]int32, len(d.x))
	for i, x := range d.x {
		g := byX[x]
		d.grp[i] = g
		d.uw[g] += d.w[i]
	}
}

// subsample returns every k-th history (with its weight), regrouped.
func (d *cmData) subsample(k int) *cmData {
	k = max(k, 1)
	s := &cmData{}
	for i := 0; i < len(d.w); i += k {
		s.x = append(s.x, d.x[i])
		s.tx = append(s.tx, d.tx[i])
		s.T = append(s.T, d.T[i])
		s.w = append(s.w, d.w[i])
		s.W += d.w[i]
		if d.x[i] > 0 {
			s.repeat += d.w[i]
		}
	}
	s.group()
	return s
}
