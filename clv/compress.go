package clv

import "github.com/cxkit/cxkit/clv/internal/countmodel"

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
// Large inputs of mostly distinct histories are grouped on all cores (sharded by a hash of
// the history, without an allocation per customer); the result, down to the last bit of each
// weight, is the same whatever the number of cores, with each group's weights added in the
// customers' order.
//
// An invalid customer is an error naming its index and wrapping ErrOutOfRange; an empty slice
// is ErrEmpty (a zero Weight counts as 1, so weights never sum to zero).
func Compress(customers []Customer) ([]Customer, error) {
	d, _, err := buildWith("Compress", customers, countmodel.BuildOptions{MV: true})
	if err != nil {
		return nil, err
	}
	out := make([]Customer, len(d.W))
	countmodel.ForChunks(len(out), countmodel.Chunk, func() func(k, lo, hi int) {
		return func(_, lo, hi int) {
			for i := lo; i < hi; i++ {
				out[i] = Customer{
					Frequency:     int(d.X[i]),
					Recency:       d.Tx[i],
					T:             d.T[i],
					MonetaryValue: d.MV[i] / d.W[i],
					Weight:        d.W[i],
				}
			}
		}
	})
	return out, nil
}
