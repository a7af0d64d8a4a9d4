package clv

import (
	"math"
	"sync"
	"testing"

	"github.com/cxkit/cxkit/clv/internal/simtest"
)

// simulateBGNBDCM draws n customers from a BG/NBD process with the CDNOW parameters of FHL
// 2005 and ages T uniform on [1, 39] weeks, so that (x, t_x, T) triples are all distinct.
func simulateBGNBDCM(n int, seed uint64) []Customer { return simCustomers(simtest.BGNBD(n, seed)) }

// simulateParetoNBDCM draws n customers from a Pareto/NBD process with the CDNOW parameters
// of FHL 2005 and ages T uniform on [1, 39] weeks.
func simulateParetoNBDCM(n int, seed uint64) []Customer {
	return simCustomers(simtest.ParetoNBD(n, seed))
}

// simCustomers turns simulated histories into Customers.
func simCustomers(hs []simtest.History) []Customer {
	out := make([]Customer, len(hs))
	for i, h := range hs {
		out[i] = Customer{Frequency: h.X, Recency: h.Tx, T: h.T}
	}
	return out
}

var (
	benchDataOnceCM sync.Once
	benchDataCM     map[string][]Customer
)

// dayGridCM puts the customers' ages on a day grid, as a transaction log summarised with daily
// periods has them (T is then a whole number of days, in weeks), while recencies stay
// continuous: almost every (x, t_x, T) history is distinct, but (x, T) pairs repeat.
func dayGridCM(cs []Customer) []Customer {
	for i := range cs {
		T := math.Ceil(cs[i].T*7) / 7
		cs[i].T = T
	}
	return cs
}

// benchInputsCM are the inputs of the issue: CDNOW, CDNOW repeated 100× and 425× (235,700
// and 1,001,725 customers, the sizes lifetimes was timed on) and 1 M simulated customers with
// all-distinct histories (and, for predictions, 1 M with ages on a day grid: DayGrid1M).
func benchInputsCM(b *testing.B) map[string][]Customer {
	benchDataOnceCM.Do(func() {
		cs := loadCDNOWSummaryCM(b)
		benchDataCM = map[string][]Customer{
			"CDNOW":       cs,
			"CDNOWx100":   repeatCM(cs, 100),
			"CDNOWx425":   repeatCM(cs, 425),
			"Synthetic1M": simulateBGNBDCM(1_000_000, 42),
			"DayGrid1M":   dayGridCM(simulateBGNBDCM(1_000_000, 43)),
		}
	})
	return benchDataCM
}

var benchOrderCM = []string{"CDNOW", "CDNOWx100", "CDNOWx425", "Synthetic1M"}

// benchOnInputsCM runs op on each named input as a sub-benchmark, each iteration on an empty
// history cache (forgetHistories): every fit groups its customers, as a first fit does.
func benchOnInputsCM[M any](b *testing.B, names []string, op func([]Customer) (M, error)) {
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			cs := benchInputsCM(b)[name]
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				forgetHistories()
				if _, err := op(cs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkFitBGNBD(b *testing.B) { benchOnInputsCM(b, benchOrderCM, FitBGNBD) }

func BenchmarkFitMBGNBD(b *testing.B) {
	benchOnInputsCM(b, []string{"CDNOW", "CDNOWx425"}, FitMBGNBD)
}

func BenchmarkFitParetoNBD(b *testing.B) { benchOnInputsCM(b, benchOrderCM, FitParetoNBD) }

// BenchmarkCompress measures the grouping step alone (part of every fit).
func BenchmarkCompress(b *testing.B) {
	benchOnInputsCM(b, []string{"CDNOWx425", "Synthetic1M"}, Compress)
}

// BenchmarkPredict measures P(alive) and the conditional expectation (t = 52) for every
// customer of a 1 M input.
func BenchmarkPredict(b *testing.B) {
	models := map[string]countModelCM{
		"BGNBD":     BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		"ParetoNBD": ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669},
	}
	for _, mname := range []string{"BGNBD", "ParetoNBD"} {
		for _, name := range []string{"CDNOWx425", "Synthetic1M", "DayGrid1M"} {
			b.Run(mname+"/"+name, func(b *testing.B) {
				cs := benchInputsCM(b)[name]
				e := make([]float64, len(cs))
				a := make([]float64, len(cs))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := models[mname].Predict(52, cs, e, a); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
