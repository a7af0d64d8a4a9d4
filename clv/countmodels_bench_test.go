package clv

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulateBGNBDCM draws n customers from a BG/NBD process with the CDNOW parameters of FHL
// 2005 and ages T uniform on [1, 39] weeks, so that (x, t_x, T) triples are all distinct.
func simulateBGNBDCM(n int, seed uint64) []Customer {
	src := rand.NewPCG(seed, 7)
	rng := rand.New(src)
	lam := distuv.Gamma{Alpha: 0.243, Beta: 4.414, Src: src}
	drop := distuv.Beta{Alpha: 0.793, Beta: 2.426, Src: src}
	out := make([]Customer, n)
	for i := range out {
		l, p := lam.Rand(), drop.Rand()
		T := 1 + 38*rng.Float64()
		c := Customer{T: T}
		for t := 0.0; ; {
			t += rng.ExpFloat64() / l
			if t > T {
				break
			}
			c.Frequency++
			c.Recency = t
			if rng.Float64() < p {
				break
			}
		}
		out[i] = c
	}
	return out
}

// simulateParetoNBDCM draws n customers from a Pareto/NBD process with the CDNOW parameters
// of FHL 2005 and ages T uniform on [1, 39] weeks.
func simulateParetoNBDCM(n int, seed uint64) []Customer {
	src := rand.NewPCG(seed, 11)
	rng := rand.New(src)
	lam := distuv.Gamma{Alpha: 0.553, Beta: 10.578, Src: src}
	mu := distuv.Gamma{Alpha: 0.606, Beta: 11.669, Src: src}
	out := make([]Customer, n)
	for i := range out {
		l := lam.Rand()
		T := 1 + 38*rng.Float64()
		end := math.Min(T, rng.ExpFloat64()/mu.Rand())
		c := Customer{T: T}
		for t := rng.ExpFloat64() / l; t <= end; t += rng.ExpFloat64() / l {
			c.Frequency++
			c.Recency = t
		}
		out[i] = c
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
