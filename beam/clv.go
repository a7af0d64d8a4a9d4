package cxbeam

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv"
)

// CLV at scale. A transaction log too large for one machine becomes the input of clv's
// probabilistic models in four steps:
//
//	txns (PCollection<clv.Transaction>)
//	  │ CustomerHistories: key by customer, CombinePerKey with the core's clv.RFMAccumulator
//	  ▼
//	Histories.Customers (PCollection<KV<string, clv.RFM>>, one per customer with a history)
//	  ├─ DistinctHistories: CombinePerKey over the (x, t_x, T) triple, then one worker gathers
//	  │   the triples ─▶ PCollection<Histogram>, a singleton whose size grows with the number
//	  │   of distinct triples, not of customers
//	  │     └─ FitCountModels: clv.FitBGNBD and clv.FitParetoNBD on one worker
//	  └─ SpendHistories: the repeat buyers' (x, mean repeat spend) ─▶ FitSpend: clv.FitGammaGamma
//	      on one worker, over every repeat buyer (they must fit in its memory)
//
// Each step reproduces the one-machine computation exactly: the histories equal
// clv.Summarize's, the histogram equals clv.Compress of them, and the fitted models equal
// clv.FitBGNBD, clv.FitParetoNBD and clv.FitGammaGamma on the one-machine summary, bit for bit,
// because the rows reach the fits in the order the one-machine code sees them.

// timeUnit is the type of clv's time units (RFMOptions.Unit, the models' Unit): the one place
// of this file that names it.
type timeUnit = cxkit.Period

// Histories are the outputs of [CustomerHistories]: what clv.Summarize returns for the whole
// log, as collections.
type Histories struct {
	// Customers holds, as KV<string, clv.RFM> keyed by customer ID, every customer with a
	// calibration history: the clv.RFM that clv.Summarize gives that customer.
	Customers beam.PCollection
	// NoHistory holds, as strings, the IDs of the customers left out because their first
	// purchase lies in the last calibration period or later (clv.RFMSummary.NoHistory).
	NoHistory beam.PCollection
	// Tally is a singleton HistoryTally: the summary's counts.
	Tally beam.PCollection
}

// HistoryTally counts what [CustomerHistories] did with a transaction log; the fields match
// those of clv.RFMSummary.
type HistoryTally struct {
	// Customers is the number of customers with a calibration history.
	Customers int
	// NoHistory is the number of customers first seen in the last calibration period or later.
	NoHistory int
	// Transactions is the number of transactions summarised (calibration and holdout).
	Transactions int
	// AfterEnd is the number of transactions after the observation end, not summarised.
	AfterEnd int
}

// CustomerHistories builds each customer's history (x, t_x, T, mean repeat spend and the
// holdout fields) from txns, a PCollection<clv.Transaction>, with the semantics of
// clv.Summarize under opt: purchase periods of opt.Period in opt.Location's calendar, the
// first purchase's period defines the customer's birth, purchases in one period merge into
// one whose amount is their sum, times in opt.Unit. It keys the transactions by customer and
// combines each customer's transactions with the core's clv.RFMAccumulator (the [RFM]
// combiner), so the work and the memory spread over the workers by customer.
//
// opt.CalibrationEnd is required: clv.Summarize's default (the period of the last
// transaction) would need a pass over the whole log before any history can be finished. Set
// it to the end of the observation window. opt.Location must be a zone that
// time.LoadLocation knows by its name (a combiner carries the name, not the *time.Location).
// Bad options are an error wrapping clv.ErrInvalid; a bad transaction fails the pipeline with
// clv's error naming it.
func CustomerHistories(s beam.Scope, opt clv.RFMOptions, txns beam.PCollection) (Histories, error) {
	fn, err := rfmCombiner(opt)
	if err != nil {
		return Histories{}, err
	}
	s = s.Scope("cxbeam.CustomerHistories")
	keyed := beam.ParDo(s, keyByCustomer, txns)
	summaries := beam.CombinePerKey(s, fn, keyed)
	customers, noHistory, tallies := beam.ParDo3(s, splitSummary, summaries)
	tally := beam.Combine(s, sumTally{}, tallies)
	return Histories{Customers: customers, NoHistory: noHistory, Tally: tally}, nil
}

// rfmCombiner turns clv options into the RFM combiner, checking them as clv does. It is the
// one place where this file reads clv's time units.
func rfmCombiner(opt clv.RFMOptions) (RFM, error) {
	if !opt.Unit.Valid() {
		return RFM{}, fmt.Errorf("cxbeam: CustomerHistories: RFMOptions.Unit %v: %w", opt.Unit, opt.Unit.Check())
	}
	if opt.CalibrationEnd.IsZero() {
		return RFM{}, fmt.Errorf("cxbeam: CustomerHistories: RFMOptions.CalibrationEnd is required (the end of the observation window): %w", clv.ErrInvalid)
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	if l, err := time.LoadLocation(loc.String()); err != nil || l.String() != loc.String() {
		return RFM{}, fmt.Errorf("cxbeam: CustomerHistories: location %q is not a zone time.LoadLocation knows by name: %w", loc, clv.ErrInvalid)
	}
	fn := RFM{Unit: opt.Unit, Period: opt.Period, Location: loc.String(), CalibrationEnd: opt.CalibrationEnd, HoldoutEnd: opt.HoldoutEnd}
	// Let clv check the rest (unit, period, holdout end) on one probe transaction.
	probe := clv.RFMAccumulator{Options: clv.RFMOptions{Unit: opt.Unit, Period: opt.Period, Location: loc,
		CalibrationEnd: opt.CalibrationEnd, HoldoutEnd: opt.HoldoutEnd}}
	if err := probe.Add(clv.Transaction{Customer: "probe", Time: opt.CalibrationEnd}); err != nil {
		return RFM{}, fmt.Errorf("cxbeam: CustomerHistories: %w", err)
	}
	return fn, nil
}

func keyByCustomer(t clv.Transaction) (string, clv.Transaction) { return t.Customer, t }

// splitSummary sorts one customer's summary into its history, its no-history ID and its
// counts.
func splitSummary(id string, sum clv.RFMSummary, history func(string, clv.RFM), noHistory func(string), tally func(HistoryTally)) error {
	if len(sum.Customers)+len(sum.NoHistory) > 1 {
		return fmt.Errorf("cxbeam: CustomerHistories: customer %q: summary of %d customers: %w", id, len(sum.Customers)+len(sum.NoHistory), clv.ErrInvalid)
	}
	t := HistoryTally{Transactions: sum.Transactions, AfterEnd: sum.AfterEnd}
	for _, r := range sum.Customers {
		history(id, r)
		t.Customers++
	}
	for _, n := range sum.NoHistory {
		noHistory(n)
		t.NoHistory++
	}
	tally(t)
	return nil
}

// sumTally adds HistoryTally values; an empty log gives the zero tally.
type sumTally struct{}

// CreateAccumulator returns the zero tally.
func (sumTally) CreateAccumulator() HistoryTally { return HistoryTally{} }

// AddInput adds one customer's tally.
func (sumTally) AddInput(a, b HistoryTally) HistoryTally { return addTally(a, b) }

// MergeAccumulators adds two tallies.
func (sumTally) MergeAccumulators(a, b HistoryTally) HistoryTally { return addTally(a, b) }

// ExtractOutput returns the tally.
func (sumTally) ExtractOutput(a HistoryTally) HistoryTally { return a }

func addTally(a, b HistoryTally) HistoryTally {
	return HistoryTally{Customers: a.Customers + b.Customers, NoHistory: a.NoHistory + b.NoHistory,
		Transactions: a.Transactions + b.Transactions, AfterEnd: a.AfterEnd + b.AfterEnd}
}

// Triple is a count model's view of a customer: repeat purchases x, recency t_x and age T,
// in the summary's unit.
type Triple struct {
	Frequency int
	Recency   float64
	T         float64
}

// tripleCount is the per-triple state of [DistinctHistories]: how many customers share the
// triple, and the smallest of their IDs (which orders the histogram as clv.Compress does).
type tripleCount struct {
	Customers int64
	First     string
}

// Histogram is the compressed input of the count models: one weighted clv.Customer per
// distinct (x, t_x, T) triple. Its size grows with the number of distinct triples, not of
// customers.
type Histogram struct {
	// Histories holds one clv.Customer per distinct triple, with Weight the number of
	// customers sharing it (MonetaryValue is not carried: it is 0). They are in the order of
	// each triple's first customer by ID, the order of clv.Compress on a clv.Summarize result,
	// so fitting them gives the one-machine fit exactly.
	Histories []clv.Customer
	// First holds, for each row of Histories, the smallest ID of its customers.
	First []string
	// Customers is the total weight: the number of customers with a history.
	Customers int64
}

// DistinctHistories counts the distinct (x, t_x, T) triples of customers, a
// PCollection<KV<string, clv.RFM>> such as [Histories].Customers, with a CombinePerKey over
// the triple, then gathers the triples on one worker into a singleton PCollection<Histogram>.
// Only the distinct triples travel to that worker: with daily periods and weekly units over a
// year of data they number in the tens of thousands however many customers there are.
func DistinctHistories(s beam.Scope, customers beam.PCollection) beam.PCollection {
	s = s.Scope("cxbeam.DistinctHistories")
	triples := beam.ParDo(s, tripleOf, customers)
	counts := beam.CombinePerKey(s, mergeTripleCount, triples)
	return beam.Combine(s, gatherTriples{}, beam.ParDo(s, rowOf, counts))
}

func tripleOf(id string, r clv.RFM) (Triple, tripleCount) {
	return Triple{Frequency: r.Frequency, Recency: r.Recency, T: r.T}, tripleCount{Customers: 1, First: id}
}

func mergeTripleCount(a, b tripleCount) tripleCount {
	first := a.First
	if b.First < first {
		first = b.First
	}
	return tripleCount{Customers: a.Customers + b.Customers, First: first}
}

// tripleRow is a distinct triple with its count, as gatherTriples accumulates them.
type tripleRow struct {
	Triple Triple
	Count  tripleCount
}

func rowOf(t Triple, c tripleCount) tripleRow { return tripleRow{Triple: t, Count: c} }

// triplesAcc is the accumulator of gatherTriples: the rows seen so far.
type triplesAcc struct {
	Rows []tripleRow
}

// gatherTriples collects the distinct triples into a Histogram on one worker.
type gatherTriples struct{}

// CreateAccumulator returns no rows.
func (gatherTriples) CreateAccumulator() triplesAcc { return triplesAcc{} }

// AddInput adds one distinct triple.
func (gatherTriples) AddInput(a triplesAcc, r tripleRow) triplesAcc {
	a.Rows = append(a.Rows, r)
	return a
}

// MergeAccumulators concatenates the rows.
func (gatherTriples) MergeAccumulators(a, b triplesAcc) triplesAcc {
	a.Rows = append(a.Rows, b.Rows...)
	return a
}

// ExtractOutput orders the rows by first customer and builds the histogram.
func (gatherTriples) ExtractOutput(a triplesAcc) Histogram {
	rows := slices.Clone(a.Rows)
	slices.SortFunc(rows, func(x, y tripleRow) int { return cmp.Compare(x.Count.First, y.Count.First) })
	h := Histogram{Histories: make([]clv.Customer, len(rows)), First: make([]string, len(rows))}
	for i, r := range rows {
		h.Histories[i] = clv.Customer{Frequency: r.Triple.Frequency, Recency: r.Triple.Recency, T: r.Triple.T,
			Weight: float64(r.Count.Customers)}
		h.First[i] = r.Count.First
		h.Customers += r.Count.Customers
	}
	return h
}

// CountModels are the purchase models fitted by [FitCountModels].
type CountModels struct {
	BGNBD     clv.BGNBD
	ParetoNBD clv.ParetoNBD
}

// FitCountModels fits BG/NBD and Pareto/NBD (clv.FitBGNBD, clv.FitParetoNBD) by maximum
// likelihood on one worker to hist, a singleton PCollection<Histogram> from
// [DistinctHistories], and returns a singleton PCollection<CountModels>. opt is the one given
// to [CustomerHistories]: the models record its unit. A fit that fails (no repeat purchase,
// no convergence, parameters the data do not identify) fails the pipeline with clv's error;
// there is no silent estimate.
func FitCountModels(s beam.Scope, opt clv.RFMOptions, hist beam.PCollection) beam.PCollection {
	s = s.Scope("cxbeam.FitCountModels")
	return beam.ParDo(s, &fitCountFn{Unit: opt.Unit}, hist)
}

// fitCountFn fits the count models to a histogram.
type fitCountFn struct {
	Unit timeUnit
}

// ProcessElement fits both models.
func (f *fitCountFn) ProcessElement(h Histogram) (CountModels, error) {
	bg, err := clv.FitBGNBD(h.Histories)
	if err != nil {
		return CountModels{}, fmt.Errorf("cxbeam: FitCountModels: %w", err)
	}
	pn, err := clv.FitParetoNBD(h.Histories)
	if err != nil {
		return CountModels{}, fmt.Errorf("cxbeam: FitCountModels: %w", err)
	}
	bg.Unit, pn.Unit = f.Unit, f.Unit
	return CountModels{BGNBD: bg, ParetoNBD: pn}, nil
}

// Gamma-Gamma. The spend model's likelihood needs, per repeat buyer (x ≥ 1), x and the mean
// repeat spend z̄: its sufficient statistics. Unlike the count models' (x, t_x, T), z̄ is
// continuous, so customers do not collapse into a small histogram (identical (x, z̄) pairs are
// rare beyond x = 1), and rounding z̄ would change the fit. The pipeline therefore carries
// every repeat buyer's (x, z̄) to one worker and fits there, exactly: 40 bytes and an ID per
// repeat buyer, so tens of millions of repeat buyers fit in a worker's memory.

// SpendHistories splits customers, a PCollection<KV<string, clv.RFM>> such as
// [Histories].Customers, as clv.Spenders does: spenders (PCollection<clv.Customer>, with ID)
// are the repeat buyers with a positive mean repeat spend, the input of [FitSpend];
// zeroValue (PCollection<clv.Customer>) the repeat buyers whose repeat purchases are all worth
// 0, which the Gamma-Gamma model cannot take, to count and report. Customers without a repeat
// purchase are in neither.
func SpendHistories(s beam.Scope, customers beam.PCollection) (spenders, zeroValue beam.PCollection) {
	s = s.Scope("cxbeam.SpendHistories")
	return beam.ParDo2(s, splitSpender, customers)
}

func splitSpender(id string, r clv.RFM, spender, zeroValue func(clv.Customer)) {
	if r.Frequency == 0 {
		return
	}
	c := r.Customer
	c.ID = id
	if c.MonetaryValue > 0 {
		spender(c)
	} else {
		zeroValue(c)
	}
}

// FitSpend fits the Gamma-Gamma spend model (clv.FitGammaGamma) on one worker to spenders,
// a PCollection<clv.Customer> from [SpendHistories], and returns a singleton
// PCollection<clv.GammaGamma>. The spenders are gathered in the order of their IDs, the order
// clv.Summarize gives them, so the fit equals the one-machine fit exactly. A failed fit fails
// the pipeline with clv's error.
func FitSpend(s beam.Scope, spenders beam.PCollection) beam.PCollection {
	s = s.Scope("cxbeam.FitSpend")
	return beam.ParDo(s, fitSpend, beam.Combine(s, gatherSpenders{}, spenders))
}

// spendersAcc is the accumulator of gatherSpenders.
type spendersAcc struct {
	Customers []clv.Customer
}

// gatherSpenders collects customers on one worker, sorted by ID.
type gatherSpenders struct{}

// CreateAccumulator returns no customers.
func (gatherSpenders) CreateAccumulator() spendersAcc { return spendersAcc{} }

// AddInput adds one customer.
func (gatherSpenders) AddInput(a spendersAcc, c clv.Customer) spendersAcc {
	a.Customers = append(a.Customers, c)
	return a
}

// MergeAccumulators concatenates the customers.
func (gatherSpenders) MergeAccumulators(a, b spendersAcc) spendersAcc {
	a.Customers = append(a.Customers, b.Customers...)
	return a
}

// ExtractOutput sorts the customers by ID.
func (gatherSpenders) ExtractOutput(a spendersAcc) spendersAcc {
	cs := slices.Clone(a.Customers)
	slices.SortFunc(cs, func(x, y clv.Customer) int { return cmp.Compare(x.ID, y.ID) })
	return spendersAcc{Customers: cs}
}

func fitSpend(a spendersAcc) (clv.GammaGamma, error) {
	g, err := clv.FitGammaGamma(a.Customers)
	if err != nil {
		return clv.GammaGamma{}, fmt.Errorf("cxbeam: FitSpend: %w", err)
	}
	return g, nil
}

func init() {
	for _, t := range []reflect.Type{reflect.TypeFor[HistoryTally](), reflect.TypeFor[Triple](), reflect.TypeFor[tripleCount](),
		reflect.TypeFor[tripleRow](), reflect.TypeFor[triplesAcc](), reflect.TypeFor[Histogram](), reflect.TypeFor[CountModels](),
		reflect.TypeFor[spendersAcc](), reflect.TypeFor[clv.RFM](), reflect.TypeFor[clv.Customer](), reflect.TypeFor[clv.RFMSummary]()} {
		beam.RegisterType(t)
	}
	register.Function1x2(keyByCustomer)
	register.Function5x1(splitSummary)
	register.Emitter2[string, clv.RFM]()
	register.Emitter1[string]()
	register.Emitter1[HistoryTally]()
	register.Combiner3[HistoryTally, HistoryTally, HistoryTally](&sumTally{})
	register.Function2x2(tripleOf)
	register.Function2x1(mergeTripleCount)
	register.Function2x1(rowOf)
	register.Combiner3[triplesAcc, tripleRow, Histogram](&gatherTriples{})
	register.DoFn1x2[Histogram, CountModels, error](&fitCountFn{})
	register.Function4x0(splitSpender)
	register.Emitter1[clv.Customer]()
	register.Combiner3[spendersAcc, clv.Customer, spendersAcc](&gatherSpenders{})
	register.Function1x2(fitSpend)
}
