package cxbeam

import (
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/journey"
	"github.com/cxkit/cxkit/responsetime"
	"testing"

	"github.com/cxkit/cxkit/nps"
	"github.com/stretchr/testify/require"
)

func TestNPS(t *testing.T) {
	global, perKey := runCombine(t, genNPS, NPS{})
	all, per := onePass(t, genNPS, func() *nps.Tally { return &nps.Tally{} })
	want, err := all.Result()
	require.NoError(t, err)
	require.Equal(t, perShard*shards, want.Responses)
	wantPer := map[string]nps.Result{}
	for k, a := range per {
		wantPer[k], err = a.Result()
		require.NoError(t, err)
	}
	equalResults(t, global, perKey, want, wantPer)
}

func resultsOf[A interface{ Result() (Out, error) }, Out any](t *testing.T, all A, per map[string]A) (Out, map[string]Out) {
	t.Helper()
	want, err := all.Result()
	require.NoError(t, err)
	wantPer := map[string]Out{}
	for k, a := range per {
		wantPer[k], err = a.Result()
		require.NoError(t, err)
	}
	return want, wantPer
}

func TestCSAT(t *testing.T) {
	global, perKey := runCombine(t, genCSAT, CSAT{Scale: csat.FivePoint})
	all, per := onePass(t, genCSAT, func() *csat.Tally { return &csat.Tally{} })
	want, wantPer := resultsOf[*csat.Tally, csat.Result](t, all, per)
	require.Equal(t, perShard*shards, want.Responses)
	equalResults(t, global, perKey, want, wantPer)
}

func TestCES(t *testing.T) {
	global, perKey := runCombine(t, genCES, CES{Scale: ces.SevenPoint})
	all, per := onePass(t, genCES, func() *ces.Tally { c, _ := ces.NewTally(ces.SevenPoint); return &c })
	want, wantPer := resultsOf[*ces.Tally, ces.Result](t, all, per)
	require.Equal(t, perShard*shards, want.Responses)
	equalResults(t, global, perKey, want, wantPer)
}

func TestResponseTimes(t *testing.T) {
	global, perKey := runCombine(t, genQueries, ResponseTimes{})
	all, per := onePass(t, genQueries, func() *responsetime.Tracker { return &responsetime.Tracker{} })
	want, wantPer := resultsOf[*responsetime.Tracker, responsetime.Summary](t, all, per)
	require.Equal(t, perShard*shards, want.Queries)
	// Counts, sums and means are exact; the quantiles come from merged DDSketches with the
	// same mapping, whose bins add exactly, so they equal the one-pass sketch's. Each is
	// within RelativeAccuracy of a true order statistic (checked against exact Summarize).
	equalResults(t, global, perKey, want, wantPer)
	var qs []responsetime.Query
	for shard := range shards {
		genQueries(shard, func(_ string, q responsetime.Query) { qs = append(qs, q) })
	}
	exact, err := responsetime.Summarize(qs, responsetime.Options{})
	require.NoError(t, err)
	got := global.(responsetime.Summary)
	require.Equal(t, exact.Answered, got.Answered)
	require.Equal(t, exact.Mean, got.Mean)
	for _, q := range [][2]time.Duration{{exact.Median, got.Median}, {exact.P90, got.P90}, {exact.P95, got.P95}} {
		require.InEpsilon(t, float64(q[0]), float64(q[1]), got.RelativeAccuracy*1.0001+1e-9, "quantile")
	}
}

func TestChurn(t *testing.T) {
	global, perKey := runCombine(t, genSubjects, Churn{})
	all, per := onePass(t, genSubjects, func() *churn.Tally { return &churn.Tally{} })
	want, wantPer := resultsOf[*churn.Tally, churn.Curve](t, all, per)
	equalResults(t, global, perKey, want, wantPer)
}

func TestCohorts(t *testing.T) {
	fn := Cohorts{Origin: cohortOrigin, Step: cxkit.Month, AsOf: cohortAsOf}
	global, perKey := runCombine(t, genSubscriptions, fn)
	var subs []churn.Subscription
	for shard := range shards {
		genSubscriptions(shard, func(_ string, s churn.Subscription) { subs = append(subs, s) })
	}
	want, err := churn.CohortRetention(subs, cohortOrigin, cxkit.Month, cohortAsOf)
	require.NoError(t, err)
	got := global.(churn.CohortMatrix)
	require.Equal(t, len(want.Cohorts), len(got.Cohorts))
	for c := range want.Cohorts {
		require.Equal(t, want.Cohorts[c].Count, got.Cohorts[c].Count, "cohort %d", c)
		require.True(t, want.Cohorts[c].Start.Equal(got.Cohorts[c].Start))
	}
	all, per := onePass(t, genSubscriptions, func() *churn.CohortTally {
		return &churn.CohortTally{Origin: cohortOrigin, Step: cxkit.Month, AsOf: cohortAsOf}
	})
	_, wantPer := resultsOf[*churn.CohortTally, churn.CohortMatrix](t, all, per)
	for k, w := range wantPer {
		g := perKey[k].(churn.CohortMatrix)
		for c := range w.Cohorts {
			require.Equal(t, w.Cohorts[c].Count, g.Cohorts[c].Count, "key %s cohort %d", k, c)
		}
	}
}

func TestJourney(t *testing.T) {
	fn, err := NewJourney(testMap(), journey.Options{})
	require.NoError(t, err)
	global, perKey := runCombine(t, genObservations, fn)
	all, per := onePass(t, genObservations, func() *journey.Accumulator {
		a, err := journey.NewAccumulator(testMap(), journey.Options{})
		require.NoError(t, err)
		return a
	})
	want, wantPer := resultsOf[*journey.Accumulator, journey.Report](t, all, per)
	equalResults(t, global, perKey, want, wantPer)
}

func TestRFM(t *testing.T) {
	fn := RFM{Unit: cxkit.Week, Period: cxkit.Week, CalibrationEnd: rfmEnd}
	global, perKey := runCombine(t, genTransactions, fn)
	all, per := onePass(t, genTransactions, func() *clv.RFMAccumulator {
		return &clv.RFMAccumulator{Options: clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Week, Location: time.UTC, CalibrationEnd: rfmEnd}}
	})
	want, wantPer := resultsOf[*clv.RFMAccumulator, clv.RFMSummary](t, all, per)
	require.Len(t, global.(clv.RFMSummary).Customers, len(want.Customers))
	equalResults(t, global, perKey, want, wantPer)
}
