package cxbeam

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/journey"
	"github.com/cxkit/cxkit/responsetime"
)

// The generated inputs: shard s of kind k yields perShard values from the PCG stream (k, s),
// so the test computes the core package's one-pass result over exactly the inputs the
// pipeline sees. Each value carries a key (one of keys) for the per-key combine.
const (
	shards   = 20
	perShard = 10_000 // 200,000 inputs per combiner
	keys     = 7
)

var t0 = time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)

func rng(kind uint64, shard int) *rand.Rand { return rand.New(rand.NewPCG(kind, uint64(shard))) }

func key(r *rand.Rand) string { return fmt.Sprint("k", r.IntN(keys)) }

func ratingAt(kind uint64, lo, hi int) func(shard int, emit func(string, int)) {
	return func(shard int, emit func(string, int)) {
		r := rng(kind, shard)
		for range perShard {
			emit(key(r), lo+r.IntN(hi-lo+1))
		}
	}
}

func genNPS(shard int, emit func(string, int))  { ratingAt(1, 0, 10)(shard, emit) }
func genCSAT(shard int, emit func(string, int)) { ratingAt(2, 1, 5)(shard, emit) }
func genCES(shard int, emit func(string, int))  { ratingAt(3, 1, 7)(shard, emit) }

func genQueries(shard int, emit func(string, responsetime.Query)) {
	r := rng(4, shard)
	for i := range perShard {
		rec := t0.Add(time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
		q := responsetime.Query{ID: fmt.Sprint(shard, "-", i), Received: rec}
		if r.IntN(10) > 0 { // 10% unanswered
			q.FirstResponse = rec.Add(time.Duration(r.ExpFloat64() * float64(3*time.Hour)))
			if r.IntN(4) > 0 {
				q.Resolved = q.FirstResponse.Add(time.Duration(r.ExpFloat64() * float64(30*time.Hour)))
			}
		}
		emit(key(r), q)
	}
}

func genSubjects(shard int, emit func(string, churn.Subject)) {
	r := rng(5, shard)
	for range perShard {
		emit(key(r), churn.Subject{Duration: float64(1 + r.IntN(36)), Churned: r.IntN(3) > 0})
	}
}

var (
	cohortOrigin = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	cohortAsOf   = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
)

func genSubscriptions(shard int, emit func(string, churn.Subscription)) {
	r := rng(6, shard)
	span := cohortAsOf.Sub(cohortOrigin)
	for i := range perShard {
		s := churn.Subscription{Customer: fmt.Sprint(shard, "-", i), Start: cohortOrigin.Add(time.Duration(r.Int64N(int64(span))))}
		if r.IntN(3) > 0 {
			s.End = s.Start.Add(time.Duration(r.Int64N(int64(600 * 24 * time.Hour))))
		}
		emit(key(r), s)
	}
}

// testMap is a three-touchpoint journey.
func testMap() journey.Map {
	return journey.Map{
		Name: "shop",
		Touchpoints: []journey.Touchpoint{
			{ID: "ad", Name: "Social ad", Stage: journey.Awareness, Channel: journey.Social},
			{ID: "checkout", Name: "Checkout", Stage: journey.Purchase, Channel: journey.Web},
			{ID: "support", Name: "Support chat", Stage: journey.UseSupport, Channel: journey.Chat},
		},
		Personas: []journey.Persona{{ID: "young", Name: "Young"}, {ID: "senior", Name: "Senior"}},
	}
}

func genObservations(shard int, emit func(string, journey.Observation)) {
	r := rng(7, shard)
	tps := []string{"ad", "checkout", "support"}
	personas := []string{"", "young", "senior"}
	metrics := []journey.Metric{journey.NPS, journey.CSAT, journey.CES}
	for i := range perShard {
		m := metrics[r.IntN(3)]
		rating := r.IntN(11)
		if m != journey.NPS {
			rating = 1 + r.IntN(5)
		}
		emit(key(r), journey.Observation{Feedback: &journey.Feedback{
			Customer: fmt.Sprint("c", shard, "-", i%2000), Persona: personas[r.IntN(3)], Touchpoint: tps[r.IntN(3)],
			Time: t0.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour)))), Metric: m, Rating: rating}})
	}
}

// rfmEnd is the calibration end of the RFM test: transactions run over 2026's first half.
var rfmEnd = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// genTransactions emits purchases of 500 customers per shard (a customer's purchases all in
// one shard, as RFM needs whole histories per key only for its per-key results to be exact),
// amounts in cents so sums are exact in any order.
func genTransactions(shard int, emit func(string, clv.Transaction)) {
	r := rng(8, shard)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range perShard {
		c := fmt.Sprint("c", shard, "-", i%500)
		at := t0.Add(time.Duration(r.Int64N(int64(180 * 24 * time.Hour))))
		emit(fmt.Sprint("k", i%500%keys), clv.Transaction{Customer: c, Time: at, Amount: float64(r.IntN(20000)) / 100})
	}
}

func init() {
	register.Function2x0(genTransactions)
	register.Emitter2[string, clv.Transaction]()
	register.Function2x0(genNPS)
	register.Function2x0(genCSAT)
	register.Function2x0(genCES)
	register.Function2x0(genQueries)
	register.Function2x0(genSubjects)
	register.Function2x0(genSubscriptions)
	register.Function2x0(genObservations)
	register.Emitter2[string, int]()
	register.Emitter2[string, responsetime.Query]()
	register.Emitter2[string, churn.Subject]()
	register.Emitter2[string, churn.Subscription]()
	register.Emitter2[string, journey.Observation]()
}
