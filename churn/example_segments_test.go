package churn_test

import (
	"fmt"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

// BySegment compares the survival of plans in one call: a curve per plan, the log-rank test
// across all plans, and the Holm-adjusted pairwise tests.
func ExampleBySegment() {
	months := []float64{1, 2, 2, 3, 4, 5, 6, 8, 9, 12, 3, 5, 7, 9, 11, 12, 12, 12, 12, 12, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7}
	churned := []bool{true, true, true, true, true, false, true, true, false, false, true, false, true, false, true, false, false, false, false, false, true, true, true, true, true, false, true, true, true, false}
	plan := []string{"basic", "basic", "basic", "basic", "basic", "basic", "basic", "basic", "basic", "basic",
		"pro", "pro", "pro", "pro", "pro", "pro", "pro", "pro", "pro", "pro",
		"trial", "trial", "trial", "trial", "trial", "trial", "trial", "trial", "trial", "trial"}
	subjects := make([]churn.Subject, len(months))
	for i := range months {
		subjects[i] = churn.Subject{Duration: months[i], Churned: churned[i]}
	}
	rep, err := churn.BySegment(subjects, func(i int) string { return plan[i] },
		churn.SegmentOptions{MinSubjects: 10, MinEvents: 5, Pairwise: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Segments {
		fmt.Printf("%-5s n=%.0f churned=%.0f S(6)=%.2f median=%v O/E=%.1f/%.1f small=%v\n",
			s.Key, s.Curve.Subjects, s.Curve.Events, s.Curve.At(6), s.Curve.Median(), s.Observed, s.Expected, s.Small)
	}
	fmt.Printf("log-rank χ²=%.2f df=%d p=%.4f\n", rep.LogRank.ChiSquare, rep.LogRank.DF, rep.LogRank.P)
	for _, p := range rep.Pairs {
		fmt.Printf("%s vs %s: p=%.4f %v-adjusted p=%.4f\n", p.A, p.B, p.LogRank.P, rep.Correction, *p.AdjustedP)
	}
	// Output:
	// basic n=10 churned=7 S(6)=0.38 median=5 O/E=7.0/5.4 small=false
	// pro   n=10 churned=3 S(6)=0.90 median=NaN O/E=3.0/8.6 small=true
	// trial n=10 churned=8 S(6)=0.13 median=3.5 O/E=8.0/3.9 small=false
	// log-rank χ²=9.95 df=2 p=0.0069
	// basic vs pro: p=0.0259 holm-adjusted p=0.0518
	// basic vs trial: p=0.2809 holm-adjusted p=0.2809
	// pro vs trial: p=0.0016 holm-adjusted p=0.0049
}

// SegmentTally builds the same report from tallies filled on different workers and merged.
func ExampleSegmentTally() {
	var east, west churn.SegmentTally[string]
	for _, s := range []churn.Subject{{Duration: 3, Churned: true}, {Duration: 8}, {Duration: 5, Churned: true}} {
		_ = east.Add("pro", s)
	}
	for _, s := range []churn.Subject{{Duration: 1, Churned: true}, {Duration: 2, Churned: true}, {Duration: 9}} {
		_ = west.Add("basic", s)
	}
	_ = west.Add("pro", churn.Subject{Duration: 4, Churned: true})
	if err := east.Merge(&west); err != nil {
		fmt.Println(err)
		return
	}
	rep, err := east.Report(churn.SegmentOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Segments {
		fmt.Printf("%s: %.0f customers, S(4)=%.2f, small=%v\n", s.Key, s.Curve.Subjects, s.Curve.At(4), s.Small)
	}
	fmt.Printf("log-rank p=%.2f\n", rep.LogRank.P)
	// Output:
	// basic: 3 customers, S(4)=0.33, small=true
	// pro: 4 customers, S(4)=0.50, small=true
	// log-rank p=0.66
}

// BySubscriptionSegment turns an event log into churn rates, cohort tables and curves per
// segment.
func ExampleBySubscriptionSegment() {
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	subs := []churn.Subscription{
		{Customer: "a", Start: day(1, 5), End: day(2, 20)},
		{Customer: "b", Start: day(1, 9)},
		{Customer: "c", Start: day(2, 3), End: day(3, 15)},
		{Customer: "d", Start: day(1, 12)},
		{Customer: "e", Start: day(2, 14)},
		{Customer: "f", Start: day(1, 20), End: day(3, 2)},
	}
	region := []string{"EU", "EU", "EU", "US", "US", "US"}
	periods, _ := churn.Periods(day(2, 1), cxkit.Month, 2)
	rep, err := churn.BySubscriptionSegment(subs, func(i int) string { return region[i] }, churn.SubscriptionSegmentOptions{
		AsOf: day(4, 1), Periods: periods, Origin: day(1, 1), Step: cxkit.Month,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rep.Segments {
		fmt.Printf("%s: February churn %.2f, March churn %.2f; January cohort %v; S(60 days)=%.2f\n",
			s.Key, s.Rates[0].Churn, s.Rates[1].Churn, s.Cohorts.Cohorts[0].Count, s.Curve.At(60))
	}
	// Output:
	// EU: February churn 0.50, March churn 0.50; January cohort [2 2 1 1]; S(60 days)=0.33
	// US: February churn 0.00, March churn 0.33; January cohort [2 2 2 1]; S(60 days)=0.67
}

// Residuals exposes the scaled Schoenfeld residuals behind the proportional-hazards test: a
// trend in them over time says the hazard ratio drifts.
func ExampleCox_Residuals() {
	subjects := []churn.Subject{
		{Duration: 2, Churned: true}, {Duration: 3, Churned: true}, {Duration: 4, Churned: false},
		{Duration: 5, Churned: true}, {Duration: 6, Churned: true}, {Duration: 8, Churned: false},
		{Duration: 9, Churned: true}, {Duration: 11, Churned: false}, {Duration: 12, Churned: true},
		{Duration: 14, Churned: false},
	}
	x := [][]float64{{1}, {1}, {0}, {1}, {0}, {1}, {0}, {0}, {1}, {0}}
	m, err := churn.FitCox(subjects, x, []string{"detractor"}, churn.CoxOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := m.Residuals(subjects, x, churn.CoxOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := r.Schoenfeld
	for i := range s.Time {
		fmt.Printf("t=%2.0f g(t)=%.2f raw=%+.3f scaled β(t)=%+.2f\n", s.Time[i], s.Transformed[i], s.Raw[i][0], s.Scaled[i][0])
	}
	fmt.Printf("β=%.2f, PH test p=%.2f\n", m.Coef[0], m.PH.Covariates[0].P)
	fmt.Printf("martingale of the customer still there at 14: %.2f\n", r.Martingale[9])
	// Output:
	// t= 2 g(t)=0.00 raw=+0.250 scaled β(t)=+2.27
	// t= 3 g(t)=0.10 raw=+0.294 scaled β(t)=+2.47
	// t= 5 g(t)=0.20 raw=+0.307 scaled β(t)=+2.54
	// t= 6 g(t)=0.31 raw=-0.600 scaled β(t)=-1.70
	// t= 9 g(t)=0.43 raw=-0.500 scaled β(t)=-1.24
	// t=12 g(t)=0.57 raw=+0.250 scaled β(t)=+2.27
	// β=1.10, PH test p=0.42
	// martingale of the customer still there at 14: -0.70
}
