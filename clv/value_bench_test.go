package clv

import (
	"bufio"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// cdnowMaster parses CDNOW_master.txt (header; customer, YYYYMMDD, CDs, dollars): the full
// cohort, 69,659 transactions of 23,570 customers.
func cdnowMaster(tb testing.TB) []Transaction {
	tb.Helper()
	f, err := os.Open(dataDir + "cdnow/CDNOW_master.txt")
	if err != nil {
		tb.Fatalf("reference data: %v", err)
	}
	defer f.Close()
	var tx []Transaction
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 {
			continue
		}
		day, err := time.Parse("20060102", fs[1])
		if err != nil {
			tb.Fatal(err)
		}
		amt, err := strconv.ParseFloat(fs[3], 64)
		if err != nil {
			tb.Fatal(err)
		}
		tx = append(tx, Transaction{Customer: fs[0], Time: day, Amount: amt})
	}
	return tx
}

var cdnowOptions = RFMOptions{
	Unit: cxkit.Week, Period: cxkit.Day,
	CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC),
	HoldoutEnd:     time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC),
}

func BenchmarkSummarizeCDNOWSample(b *testing.B) {
	tx := cdnowTransactions(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summarize(tx, cdnowOptions); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSummarizeCDNOWMaster(b *testing.B) {
	tx := cdnowMaster(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summarize(tx, cdnowOptions); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitGammaGammaCDNOW(b *testing.B) {
	cs := RepeatBuyers(customersOf(cdnowSpend(b)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitGammaGamma(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitGammaGammaCDNOWMaster fits the repeat buyers of the full cohort with a positive
// mean spend (the master file has $0 transactions, which the model cannot take), most with
// distinct (x, z̄).
func BenchmarkFitGammaGammaCDNOWMaster(b *testing.B) {
	s, err := Summarize(cdnowMaster(b), cdnowOptions)
	if err != nil {
		b.Fatal(err)
	}
	var cs []Customer
	for _, c := range RepeatBuyers(s.Histories()) {
		if c.MonetaryValue > 0 {
			cs = append(cs, c)
		}
	}
	b.Logf("%d repeat buyers with positive spend", len(cs))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := FitGammaGamma(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitGammaGamma1M fits one million synthetic repeat buyers with all-distinct mean
// spends, drawn from the model with the CDNOW estimates (p 6.25, q 3.74, γ 15.44).
func BenchmarkFitGammaGamma1M(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	gamma := func(shape, rate float64) float64 {
		// Marsaglia & Tsang (2000) for shape ≥ 1; the benchmark only needs plausible data.
		d := shape - 1.0/3
		c := 1 / math.Sqrt(9*d)
		for {
			x := rng.NormFloat64()
			v := 1 + c*x
			if v <= 0 {
				continue
			}
			v = v * v * v
			if u := rng.Float64(); math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
				return d * v / rate
			}
		}
	}
	cs := make([]Customer, 1_000_000)
	for i := range cs {
		x := 1 + rng.IntN(15)
		nu := gamma(3.74, 15.44)
		cs[i] = Customer{Frequency: x, MonetaryValue: gamma(6.25*float64(x), nu) / float64(x)}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		g, err := FitGammaGamma(cs)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(g.Fit.Iterations), "iterations")
	}
}

func BenchmarkFitBGBBDonations(b *testing.B) {
	ds := loadDonations(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitBGBB(ds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBGBBPredict computes P(alive) and the 5-year conditional expectation of one
// history (the per-customer prediction cost).
func BenchmarkBGBBPredict(b *testing.B) {
	m := BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	d := Discrete{Frequency: 2, Recency: 4, Periods: 6}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.ProbabilityAlive(d); err != nil {
			b.Fatal(err)
		}
		if _, err := m.ConditionalExpectedTransactions(5, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProjectionCDNOW projects 12 monthly steps for the 2,357 CDNOW customers with the
// BG/NBD and Gamma-Gamma estimates.
func BenchmarkProjectionCDNOW(b *testing.B) {
	cs := customersOf(cdnowSpend(b))
	p := Projection{
		Purchases: BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		Spend:     GammaGamma{P: 6.25, Q: 3.74, V: 15.44},
		Unit:      cxkit.Week, Step: 30.0 / 7, Horizon: 360.0 / 7, DiscountRate: 0.01,
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Values(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProjection1M projects 13 four-week steps for one million customers (the CDNOW
// histories repeated) with the BG/NBD and Gamma-Gamma estimates.
func BenchmarkProjection1M(b *testing.B) {
	base := customersOf(cdnowSpend(b))
	cs := make([]Customer, 1_000_000)
	for i := range cs {
		cs[i] = base[i%len(base)]
	}
	p := Projection{
		Purchases: BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426},
		Spend:     GammaGamma{P: 6.25, Q: 3.74, V: 15.44},
		Unit:      cxkit.Week, Step: 4, Horizon: 52, DiscountRate: 0.01,
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.Values(cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRFMAccumulatorCDNOWMaster adds the full CDNOW log to an accumulator in two halves,
// merges them and summarises.
func BenchmarkRFMAccumulatorCDNOWMaster(b *testing.B) {
	tx := cdnowMaster(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		x, y := RFMAccumulator{Options: cdnowOptions}, RFMAccumulator{Options: cdnowOptions}
		if err := x.AddAll(tx[:len(tx)/2]); err != nil {
			b.Fatal(err)
		}
		if err := y.AddAll(tx[len(tx)/2:]); err != nil {
			b.Fatal(err)
		}
		if err := x.Merge(&y); err != nil {
			b.Fatal(err)
		}
		if _, err := x.Result(); err != nil {
			b.Fatal(err)
		}
	}
}
