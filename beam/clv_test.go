package cxbeam

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv"
)

// The generated transaction log of the CLV tests: clvCustomers customers in New York's
// calendar, born over 2026 (most in its first four months), buying as Poisson processes until
// they drop out (BG/NBD-like), some twice on one day, some with free repeat purchases, some
// after the observation end. Transaction j of customer i goes to shard (i+j) mod shards, so a
// customer's history is spread over shards and bundles.
const clvCustomers = 50_000

var (
	clvZone     = mustZone("America/New_York")
	clvStart    = time.Date(2026, 1, 1, 0, 0, 0, 0, clvZone)
	clvOptions  = clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Day, Location: clvZone, CalibrationEnd: time.Date(2026, 9, 30, 12, 0, 0, 0, clvZone), HoldoutEnd: time.Date(2026, 12, 31, 0, 0, 0, 0, clvZone)}
	clvLastTime = time.Date(2027, 1, 15, 0, 0, 0, 0, clvZone)
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// clvHistory emits the transactions of customer i in order. Amounts are whole quarter dollars,
// so that every sum of them is exact in floating point: a period's amount is a sum, and with
// three or more purchases in one period (which the generator makes) its last bit would
// otherwise depend on the order in which the distributed combine adds them. With cents, such
// last-bit differences in a few mean spends move the Gamma-Gamma estimates by about 2e-7
// relative (the optimiser's tolerance), while everything else stays exact.
func clvHistory(i int, emit func(j int, t clv.Transaction)) {
	r := rand.New(rand.NewPCG(9, uint64(i)))
	id := fmt.Sprintf("c%06d", i)
	days := 120.0
	if r.IntN(20) == 0 {
		days = 300
	}
	at := clvStart.Add(time.Duration(r.Float64() * days * float64(24*time.Hour)))
	rate := 0.01 + 0.1*r.ExpFloat64() // purchases a day while alive
	drop := 0.05 + 0.45*r.Float64()   // drop-out probability after each repeat purchase
	mean := 10 + 40*r.Float64()
	free := r.IntN(100) == 0 // repeat purchases worth 0
	for j := 0; at.Before(clvLastTime); j++ {
		amount := math.Round(mean*(0.5+r.Float64())*4) / 4 // quarter dollars: see clvHistory's doc
		if free && j > 0 {
			amount = 0
		}
		emit(j, clv.Transaction{Customer: id, Time: at, Amount: amount})
		if r.IntN(10) == 0 { // a second order the same hour: merged into one purchase
			emit(j, clv.Transaction{Customer: id, Time: at.Add(time.Duration(r.IntN(3600)) * time.Second), Amount: float64(r.IntN(80)) / 4})
		}
		if j > 0 && r.Float64() < drop {
			break
		}
		at = at.Add(time.Duration(r.ExpFloat64() / rate * float64(24*time.Hour)))
	}
}

// clvLog is the generated log by shard, made once per process (the test and the pipeline's
// DoFns, which prism runs in the test's process, share it).
var clvLog = sync.OnceValue(func() [][]clv.Transaction {
	log := make([][]clv.Transaction, shards)
	for i := range clvCustomers {
		clvHistory(i, func(j int, t clv.Transaction) { log[(i+j)%shards] = append(log[(i+j)%shards], t) })
	}
	return log
})

func genCLV(shard int, emit func(clv.Transaction)) {
	for _, t := range clvLog()[shard] {
		emit(t)
	}
}

// cdnowMaster parses the full CDNOW log (../testdata/cdnow/CDNOW_master.txt; header, then
// customer, YYYYMMDD, CDs, dollars per line): 69,659 transactions of 23,570 customers.
func cdnowMaster() ([]clv.Transaction, error) {
	f, err := os.Open("../testdata/cdnow/CDNOW_master.txt")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var tx []clv.Transaction
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 4 {
			return nil, fmt.Errorf("line %q", sc.Text())
		}
		day, err := time.Parse("20060102", fs[1])
		if err != nil {
			return nil, err
		}
		amt, err := strconv.ParseFloat(fs[3], 64)
		if err != nil {
			return nil, err
		}
		tx = append(tx, clv.Transaction{Customer: fs[0], Time: day, Amount: amt})
	}
	return tx, sc.Err()
}

// readCDNOW emits the CDNOW transactions inside the pipeline.
func readCDNOW(_ []byte, emit func(clv.Transaction)) error {
	tx, err := cdnowMaster()
	for _, t := range tx {
		emit(t)
	}
	return err
}

// The pipeline's list outputs land here.
var lists = map[string][]any{}

type collectList struct{ Run string }

func (c *collectList) ProcessElement(v beam.T) {
	mu.Lock()
	defer mu.Unlock()
	lists[c.Run] = append(lists[c.Run], v)
}

func init() {
	register.Function2x0(genCLV)
	register.Emitter1[clv.Transaction]()
	register.Function2x1(readCDNOW)
	register.DoFn1x0[beam.T](&collectList{})
}

// runCLV runs the whole CLV pipeline on prism over the transactions that source adds to the
// pipeline, and checks every output against the one-machine computation on tx: clv.Summarize,
// clv.Compress, clv.FitBGNBD, clv.FitParetoNBD, clv.Spenders and clv.FitGammaGamma.
func runCLV(t *testing.T, opt clv.RFMOptions, tx []clv.Transaction, source func(s beam.Scope) beam.PCollection) {
	t.Helper()
	run := t.Name()
	p, s := beam.NewPipelineWithRoot()
	hs, err := CustomerHistories(s, opt, source(s))
	require.NoError(t, err)
	beam.ParDo0(s, &collectKV{Run: run + "/customers"}, hs.Customers)
	beam.ParDo0(s, &collectList{Run: run + "/nohistory"}, hs.NoHistory)
	beam.ParDo0(s, &collect{Run: run + "/tally"}, hs.Tally)
	hist := DistinctHistories(s, hs.Customers)
	beam.ParDo0(s, &collect{Run: run + "/histogram"}, hist)
	beam.ParDo0(s, &collect{Run: run + "/models"}, FitCountModels(s, opt, hist))
	spenders, zero := SpendHistories(s, hs.Customers)
	beam.ParDo0(s, &collectList{Run: run + "/zero"}, zero)
	beam.ParDo0(s, &collect{Run: run + "/spend"}, FitSpend(s, spenders))
	before := encodings.Load()
	start := time.Now()
	_, err = prism.Execute(context.Background(), p)
	require.NoError(t, err)
	el := time.Since(start)
	require.Greater(t, encodings.Load(), before, "no RFM accumulator went through the registered binary coder")

	// The one-machine computation.
	sum, err := clv.Summarize(tx, opt)
	require.NoError(t, err)
	comp, err := clv.Compress(sum.Histories())
	require.NoError(t, err)
	bg, err := sum.FitBGNBD()
	require.NoError(t, err)
	pn, err := sum.FitParetoNBD()
	require.NoError(t, err)
	spend, zeroValue := clv.Spenders(sum.Histories())
	gg, err := clv.FitGammaGamma(spend)
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	// Histories, customer by customer.
	got := results[run+"/customers"]
	require.Len(t, got, len(sum.Customers))
	for _, want := range sum.Customers {
		g, ok := got[want.ID].(clv.RFM)
		require.True(t, ok, "customer %s missing", want.ID)
		require.True(t, want.First.Equal(g.First), "customer %s: first %v, want %v", want.ID, g.First, want.First)
		g.First = want.First
		require.Equal(t, want, g, "customer %s", want.ID)
	}
	var noHistory []string
	for _, v := range lists[run+"/nohistory"] {
		noHistory = append(noHistory, v.(string))
	}
	slices.Sort(noHistory)
	require.Equal(t, sum.NoHistory, noHistory)
	tally := results[run+"/tally"][""].(HistoryTally)
	require.Equal(t, HistoryTally{Customers: len(sum.Customers), NoHistory: len(sum.NoHistory), Transactions: sum.Transactions, AfterEnd: sum.AfterEnd}, tally)

	// The histogram: clv.Compress's rows, in its order, with its weights.
	h := results[run+"/histogram"][""].(Histogram)
	require.Len(t, h.Histories, len(comp))
	require.Equal(t, int64(len(sum.Customers)), h.Customers)
	for i, c := range comp {
		g := h.Histories[i]
		require.Equal(t, [4]float64{float64(c.Frequency), c.Recency, c.T, c.Weight}, [4]float64{float64(g.Frequency), g.Recency, g.T, g.Weight}, "row %d", i)
	}

	// The fits: exactly the one-machine fits.
	m := results[run+"/models"][""].(CountModels)
	require.Equal(t, bg, m.BGNBD)
	require.Equal(t, pn, m.ParetoNBD)
	gotGG := results[run+"/spend"][""].(clv.GammaGamma)
	require.Equal(t, gg, gotGG)
	var zeroIDs, wantZero []string
	for _, v := range lists[run+"/zero"] {
		zeroIDs = append(zeroIDs, v.(clv.Customer).ID)
	}
	for _, c := range zeroValue {
		wantZero = append(wantZero, c.ID)
	}
	slices.Sort(zeroIDs)
	require.Equal(t, wantZero, zeroIDs)

	t.Logf("%d transactions, %d customers (%d without history), %d distinct (x, t_x, T), %d spenders, %d zero-value; prism %v (%.0f transactions/s)",
		len(tx), len(sum.Customers), len(sum.NoHistory), len(comp), len(spend), len(zeroValue), el.Round(time.Millisecond), float64(len(tx))/el.Seconds())
	t.Logf("BG/NBD r=%.6g α=%.6g a=%.6g b=%.6g; Pareto/NBD r=%.6g α=%.6g s=%.6g β=%.6g; Gamma-Gamma p=%.6g q=%.6g γ=%.6g",
		m.BGNBD.R, m.BGNBD.Alpha, m.BGNBD.A, m.BGNBD.B, m.ParetoNBD.R, m.ParetoNBD.Alpha, m.ParetoNBD.S, m.ParetoNBD.Beta, gg.P, gg.Q, gg.V)
}

func TestCLVGenerated(t *testing.T) {
	var tx []clv.Transaction
	for shard := range shards {
		genCLV(shard, func(t clv.Transaction) { tx = append(tx, t) })
	}
	require.GreaterOrEqual(t, len(tx), 200_000)
	runCLV(t, clvOptions, tx, func(s beam.Scope) beam.PCollection {
		seeds := make([]int, shards)
		for i := range seeds {
			seeds[i] = i
		}
		return beam.ParDo(s, genCLV, beam.CreateList(s, seeds))
	})
}

// TestCLVCDNOW runs the pipeline on the full CDNOW log with the calibration and holdout
// periods of Fader, Hardie & Lee (2005): weeks, daily periods, calibration to 1997-09-30,
// holdout to 1998-06-30.
func TestCLVCDNOW(t *testing.T) {
	tx, err := cdnowMaster()
	require.NoError(t, err)
	require.Len(t, tx, 69_659)
	opt := clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Day,
		CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC), HoldoutEnd: time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)}
	runCLV(t, opt, tx, func(s beam.Scope) beam.PCollection {
		return beam.ParDo(s, readCDNOW, beam.Impulse(s))
	})
}

func TestCustomerHistoriesOptions(t *testing.T) {
	_, s := beam.NewPipelineWithRoot()
	txns := beam.Create(s, clv.Transaction{Customer: "a", Time: clvStart, Amount: 1})
	for name, opt := range map[string]clv.RFMOptions{
		"no calibration end": {Unit: cxkit.Week},
		"fixed zone":         {Unit: cxkit.Week, CalibrationEnd: clvStart, Location: time.FixedZone("X", 3600)},
		"no unit":            {CalibrationEnd: clvStart},
		"unknown period":     {Unit: cxkit.Week, Period: cxkit.Period(200), CalibrationEnd: clvStart},
		"holdout before end": {Unit: cxkit.Week, CalibrationEnd: clvStart, HoldoutEnd: clvStart.Add(-7 * 24 * time.Hour)},
	} {
		_, err := CustomerHistories(s, opt, txns)
		require.ErrorIs(t, err, clv.ErrInvalid, name)
	}
}
