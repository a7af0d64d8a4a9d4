package churn_test

import (
	"fmt"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

func ExampleKaplanMeier() {
	// Months as a customer; Churned false means still a customer (censored).
	subjects := []churn.Subject{
		{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true},
		{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48},
	}
	c, err := churn.KaplanMeier(subjects)
	if err != nil {
		panic(err)
	}
	for i, t := range c.Time {
		fmt.Printf("t=%2.0f at risk %.0f churned %.0f S=%.4f\n", t, c.AtRisk[i], c.Churned[i], c.Survival[i])
	}
	// Output:
	// t= 9 at risk 6 churned 1 S=0.8333
	// t=19 at risk 5 churned 1 S=0.6667
	// t=32 at risk 4 churned 1 S=0.5000
	// t=34 at risk 3 churned 1 S=0.3333
	// t=48 at risk 2 churned 0 S=0.3333
	// t=50 at risk 1 churned 0 S=0.3333
}

func ExampleCurve_At() {
	c, _ := churn.KaplanMeier([]churn.Subject{
		{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true},
		{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48},
	})
	iv, _ := c.Interval(12, 0.95) // log-log band, as R's survfit(conf.type = "log-log")
	fmt.Printf("S(12) = %.4f, 95%% CI [%.4f, %.4f], at risk at 12: %.0f\n", c.At(12), iv.Lower, iv.Upper, c.NumberAtRisk(12))
	// Output: S(12) = 0.8333, 95% CI [0.2731, 0.9747], at risk at 12: 5
}

func ExampleCurve_Median() {
	c, _ := churn.KaplanMeier([]churn.Subject{
		{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true},
		{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48},
	})
	fmt.Println("median:", c.Median()) // S is exactly 0.5 on [32, 34): midpoint, as R
	lo, hi, _ := c.MedianInterval(0.95)
	fmt.Println("95% limits:", lo, hi) // the upper band never falls to 0.5: NaN, R's NA
	low, _ := churn.KaplanMeier([]churn.Subject{{Duration: 5, Churned: true}, {Duration: 12}, {Duration: 12}})
	fmt.Println("median when S never reaches 0.5:", low.Median())
	// Output:
	// median: 33
	// 95% limits: 9 NaN
	// median when S never reaches 0.5: NaN
}

func ExampleNewSubject() {
	start := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	s, _ := churn.NewSubject(start, time.Date(2025, 4, 20, 0, 0, 0, 0, time.UTC), true, 24*time.Hour)
	fmt.Printf("%+v\n", s)
	// Output: {Duration:100 Churned:true Entry:0 Weight:0}
}

func ExampleLogRankTest() {
	basic := []churn.Subject{
		{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true},
		{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48},
	}
	premium := []churn.Subject{{Duration: 53, Churned: true}, {Duration: 25, Churned: true}}
	for _, d := range []float64{28, 69, 58, 54, 51, 61, 57, 57, 50} {
		premium = append(premium, churn.Subject{Duration: d})
	}
	r, _ := churn.LogRankTest(basic, premium)
	fmt.Printf("chi2 = %.2f on %d df, p = %.4f; observed %v, expected [%.2f %.2f]\n",
		r.ChiSquare, r.DF, r.P, r.Observed, r.Expected[0], r.Expected[1])
	// Output: chi2 = 6.06 on 1 df, p = 0.0138; observed [4 2], expected [1.49 4.51]
}

func ExampleTally() {
	// Two workers tally their shards; the merged tally gives the one-pass curve.
	var a, b churn.Tally
	_ = a.AddAll([]churn.Subject{{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true}})
	_ = b.AddAll([]churn.Subject{{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48}})
	wire, _ := b.MarshalBinary() // ship b to a's machine
	var b2 churn.Tally
	_ = b2.UnmarshalBinary(wire)
	if err := a.Merge(&b2); err != nil {
		panic(err)
	}
	c, _ := a.Result()
	fmt.Printf("%.4f %v\n", c.Survival, c.Median())
	// Output: [0.8333 0.6667 0.5000 0.3333 0.3333 0.3333] 33
}

func ExampleFitSBG() {
	// Fader & Hardie (2007), "high end" cohort: customers of 1000 still active after 0..7 years.
	alive := []float64{1000, 869, 743, 653, 593, 551, 517, 491}
	m, err := churn.FitSBG(alive)
	if err != nil {
		panic(err)
	}
	fmt.Printf("alpha = %.3f, beta = %.3f, LL = %.1f\n", m.Alpha, m.Beta, m.Fit.LogLikelihood)
	for _, year := range []int{8, 10, 12} {
		fmt.Printf("year %d: %.1f%% still customers\n", year, 100*m.Survival(year))
	}
	// Output:
	// alpha = 0.668, beta = 3.806, LL = -1611.2
	// year 8: 46.0% still customers
	// year 10: 41.4% still customers
	// year 12: 37.8% still customers
}

func ExampleFitSBGCohorts() {
	// Three yearly cohorts of different ages, fitted with shared parameters.
	cohorts := [][]float64{
		{1000, 631, 468, 382, 326},
		{800, 510, 380},
		{900, 560},
	}
	m, _ := churn.FitSBGCohorts(cohorts)
	fmt.Printf("mean churn probability %.3f, retention in year 1 %.3f and year 5 %.3f\n",
		m.Alpha/(m.Alpha+m.Beta), m.RetentionRate(1), m.RetentionRate(5))
	// Output: mean churn probability 0.371, retention in year 1 0.629 and year 5 0.873
}

func ExampleSBG_Survival() {
	m := churn.SBG{Alpha: 0.704, Beta: 1.182} // Fader & Hardie (2007), regular cohort
	for t := 0; t <= 3; t++ {
		fmt.Printf("t=%d S=%.3f P(churn in t)=%.3f\n", t, m.Survival(t), m.ChurnProbability(t))
	}
	// Output:
	// t=0 S=1.000 P(churn in t)=0.000
	// t=1 S=0.627 P(churn in t)=0.373
	// t=2 S=0.474 P(churn in t)=0.153
	// t=3 S=0.388 P(churn in t)=0.086
}

func ExampleSBG_DERL() {
	m := churn.SBG{Alpha: 0.668, Beta: 3.806}
	// A customer who has renewed 7 times, 10% discount rate per period, $100 margin per period.
	derl, _ := m.DERL(0.10, 7)
	fmt.Printf("DERL %.3f periods, residual CLV $%.0f\n", derl, 100*derl)
	// Output: DERL 7.530 periods, residual CLV $753
}

func ExampleRates() {
	r, _ := churn.Rates(1000, 200, 1050) // at start, acquired during, at end
	annual, _ := churn.MonthlyToAnnual(r.Churn)
	fmt.Printf("monthly churn %.1f%%, retention %.1f%%, annualised churn %.1f%%\n", 100*r.Churn, 100*r.Retention, 100*annual)
	// Output: monthly churn 15.0%, retention 85.0%, annualised churn 85.8%
}

func ExampleRatesFromLog() {
	d := func(m time.Month, day int) time.Time { return time.Date(2025, m, day, 0, 0, 0, 0, time.UTC) }
	log := []churn.Subscription{
		{Customer: "ana", Start: d(1, 3)},
		{Customer: "ben", Start: d(1, 9), End: d(2, 14)},
		{Customer: "cho", Start: d(2, 2), End: d(2, 20)},
		{Customer: "dev", Start: d(2, 5)},
	}
	periods, _ := churn.Periods(d(2, 1), cxkit.Month, 1)
	rs, _ := churn.RatesFromLog(log, periods)
	r := rs[0]
	fmt.Printf("Feb: base %.0f, acquired %.0f, lost %.0f (+%.0f new), end %.0f, churn %.0f%%\n",
		r.Start, r.Acquired, r.Lost, r.LostAcquired, r.End, 100*r.Churn)
	// Output: Feb: base 2, acquired 2, lost 1 (+1 new), end 2, churn 50%
}

func ExampleCohortRetention() {
	d := func(m time.Month, day int) time.Time { return time.Date(2025, m, day, 0, 0, 0, 0, time.UTC) }
	subs := []churn.Subscription{
		{Customer: "a", Start: d(1, 5)}, {Customer: "b", Start: d(1, 9), End: d(2, 20)},
		{Customer: "c", Start: d(1, 30), End: d(3, 15)}, {Customer: "d", Start: d(2, 11)},
		{Customer: "e", Start: d(2, 25), End: d(3, 2)}, {Customer: "f", Start: d(3, 8)},
	}
	m, _ := churn.CohortRetention(subs, d(1, 1), cxkit.Month, d(3, 31))
	for _, c := range m.Cohorts {
		fmt.Printf("%s size %.0f shares %.2f\n", c.Start.Format("Jan"), c.Size, c.Share)
	}
	_, _, ok := m.At(2, 1)
	fmt.Println("March cohort after 1 month observed:", ok)
	// Output:
	// Jan size 3 shares [1.00 1.00 0.67]
	// Feb size 2 shares [1.00 1.00]
	// Mar size 1 shares [1.00]
	// March cohort after 1 month observed: false
}

func ExampleActivityRetention() {
	d := func(m time.Month, day int) time.Time { return time.Date(2025, m, day, 0, 0, 0, 0, time.UTC) }
	events := []churn.Activity{
		{Customer: "a", At: d(1, 3)}, {Customer: "a", At: d(3, 2)},
		{Customer: "b", At: d(1, 9)}, {Customer: "b", At: d(2, 14)},
		{Customer: "c", At: d(2, 2)}, {Customer: "c", At: d(3, 30)},
	}
	m, _ := churn.ActivityRetention(events, d(1, 1), cxkit.Month, d(4, 1))
	for _, c := range m.Cohorts {
		fmt.Printf("%s active %v\n", c.Start.Format("Jan"), c.Count)
	}
	// Output:
	// Jan active [2 1 1]
	// Feb active [1 1]
	// Mar active [0]
	// Apr active [0]
}

func ExampleCompareAt() {
	basic, _ := churn.KaplanMeier([]churn.Subject{
		{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true},
		{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48},
	})
	premium, _ := churn.KaplanMeier([]churn.Subject{
		{Duration: 53, Churned: true}, {Duration: 25, Churned: true}, {Duration: 28}, {Duration: 69},
		{Duration: 58}, {Duration: 54}, {Duration: 51}, {Duration: 61}, {Duration: 57}, {Duration: 57}, {Duration: 50},
	})
	c, _ := churn.CompareAt(basic, premium, 30)
	fmt.Printf("retained at 30: basic − premium = %.3f ± %.3f, z = %.2f, p = %.3f\n", c.Difference, c.StdErr, c.Z, c.P)
	// Output: retained at 30: basic − premium = -0.242 ± 0.211, z = -1.15, p = 0.251
}
