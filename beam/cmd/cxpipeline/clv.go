package main

import (
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"

	"github.com/cxkit/cxkit"
	cxbeam "github.com/cxkit/cxkit/beam"
	"github.com/cxkit/cxkit/clv"
)

// The CLV pipeline (-clv): transactions over 2026 in UTC, daily purchase periods, weeks as the
// unit, calibration to 2026-09-30 and a holdout period to 2026-12-31.
var (
	clvStart   = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clvOptions = clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Day,
		CalibrationEnd: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), HoldoutEnd: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)}
)

// clvGenFn emits the transactions of the customers c ≡ shard (mod Shards), c < Customers.
// Each customer is born in the first four months, buys as a Poisson process while alive and
// drops out after each repeat purchase with a probability of its own (the BG/NBD story), with
// a gamma-like spread of rates and a personal mean spend.
type clvGenFn struct {
	Customers, Shards int
}

// ProcessElement generates shard's customers from seeds fixed by the customer.
func (g *clvGenFn) ProcessElement(shard int, emit func(clv.Transaction)) {
	end := clvOptions.HoldoutEnd.Add(30 * 24 * time.Hour)
	for c := shard; c < g.Customers; c += g.Shards {
		r := rand.New(rand.NewPCG(2026, uint64(c)))
		id := fmt.Sprintf("c%08d", c)
		at := clvStart.Add(time.Duration(r.Float64() * 120 * float64(24*time.Hour)))
		rate := 0.01 + 0.1*r.ExpFloat64() // purchases a day while alive
		drop := 0.05 + 0.45*r.Float64()
		mean := 10 + 40*r.Float64()
		for j := 0; at.Before(end); j++ {
			emit(clv.Transaction{Customer: id, Time: at, Amount: math.Round(mean*(0.5+r.Float64())*100) / 100})
			if j > 0 && r.Float64() < drop {
				break
			}
			at = at.Add(time.Duration(r.ExpFloat64() / rate * float64(24*time.Hour)))
		}
	}
}

func formatTally(t cxbeam.HistoryTally) string {
	return fmt.Sprintf("CLV  %d transactions summarised (%d after the end), %d customers with a history, %d first seen in the last period",
		t.Transactions, t.AfterEnd, t.Customers, t.NoHistory)
}

func formatHistogram(h cxbeam.Histogram) string {
	return fmt.Sprintf("CLV  %d distinct (x, t_x, T) triples for %d customers (%.1f customers per triple): the count models' fit input",
		len(h.Histories), h.Customers, float64(h.Customers)/float64(max(len(h.Histories), 1)))
}

func formatModels(m cxbeam.CountModels) string {
	return fmt.Sprintf("CLV  BG/NBD r=%.4f α=%.4f a=%.4f b=%.4f (LL %.2f)\nCLV  Pareto/NBD r=%.4f α=%.4f s=%.4f β=%.4f (LL %.2f)",
		m.BGNBD.R, m.BGNBD.Alpha, m.BGNBD.A, m.BGNBD.B, m.BGNBD.Fit.LogLikelihood,
		m.ParetoNBD.R, m.ParetoNBD.Alpha, m.ParetoNBD.S, m.ParetoNBD.Beta, m.ParetoNBD.Fit.LogLikelihood)
}

func formatSpend(g clv.GammaGamma) string {
	return fmt.Sprintf("CLV  Gamma-Gamma p=%.4f q=%.4f γ=%.4f (LL %.2f)", g.P, g.Q, g.V, g.Fit.LogLikelihood)
}

func init() {
	register.DoFn2x0[int, func(clv.Transaction)](&clvGenFn{})
	register.Emitter1[clv.Transaction]()
	register.Function1x1(formatTally)
	register.Function1x1(formatHistogram)
	register.Function1x1(formatModels)
	register.Function1x1(formatSpend)
}

// runCLV builds and runs the CLV pipeline.
func runCLV() {
	if *nCust < 1 || *shards < 1 {
		log.Fatalf("cxpipeline: -customers %d and -shards %d must be positive", *nCust, *shards)
	}
	p, s := beam.NewPipelineWithRoot()
	seeds := make([]int, *shards)
	for i := range seeds {
		seeds[i] = i
	}
	txns := beam.ParDo(s, &clvGenFn{Customers: *nCust, Shards: *shards}, beam.CreateList(s, seeds))
	hs, err := cxbeam.CustomerHistories(s, clvOptions, txns)
	if err != nil {
		log.Fatalf("cxpipeline: %v", err)
	}
	hist := cxbeam.DistinctHistories(s, hs.Customers)
	lines := []beam.PCollection{beam.ParDo(s, formatTally, hs.Tally), beam.ParDo(s, formatHistogram, hist)}
	if *clvFit {
		spenders, _ := cxbeam.SpendHistories(s, hs.Customers)
		lines = append(lines,
			beam.ParDo(s, formatModels, cxbeam.FitCountModels(s, clvOptions, hist)),
			beam.ParDo(s, formatSpend, cxbeam.FitSpend(s, spenders)))
	}
	el := writeAndRun(p, s, lines)
	// The generator is deterministic: count its transactions here rather than in the job.
	var count int
	g := clvGenFn{Customers: *nCust, Shards: *shards}
	for shard := range *shards {
		g.ProcessElement(shard, func(clv.Transaction) { count++ })
	}
	what := "histories, triples and fits"
	if !*clvFit {
		what = "histories and triples only"
	}
	fmt.Fprintf(os.Stderr, "cxpipeline: %d transactions of %d customers (CLV: %s) on %s in %v: %.0f transactions/s (wall time, including pipeline start)\n",
		count, *nCust, what, *runners.Runner, el.Round(time.Millisecond), float64(count)/el.Seconds())
}
