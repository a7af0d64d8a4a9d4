package churn_test

import (
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

// The lifelines / R survival test data: months as a customer, Churned false for the two who
// are still customers.
func testSubjects() []churn.Subject {
	return []churn.Subject{
		{Duration: 34, Churned: true}, {Duration: 32, Churned: true}, {Duration: 9, Churned: true},
		{Duration: 19, Churned: true}, {Duration: 50}, {Duration: 48},
	}
}

func ExampleMonthlyToAnnual() {
	annual, err := churn.MonthlyToAnnual(0.05)
	if err != nil {
		panic(err)
	}
	// 1 − (1 − 0.05)^12 = 1 − 0.5404 = 0.4596: 46% a year, not 12 × 5% = 60%.
	fmt.Printf("5%% a month is %.2f%% a year\n", 100*annual)
	// Output: 5% a month is 45.96% a year
}

func ExampleAnnualToMonthly() {
	monthly, err := churn.AnnualToMonthly(0.30)
	if err != nil {
		panic(err)
	}
	// 1 − 0.7^(1/12) = 1 − exp(ln 0.7 / 12) = 1 − exp(−0.029723) = 0.02929.
	fmt.Printf("30%% a year is %.3f%% a month (not 30/12 = 2.5%%)\n", 100*monthly)
	// Output: 30% a year is 2.929% a month (not 30/12 = 2.5%)
}

func ExampleCompoundRate() {
	// A weekly churn of 2% over a 13-week quarter: 1 − 0.98^13 = 0.2310.
	quarter, _ := churn.CompoundRate(0.02, 13)
	// Periods may be fractional: a 20% quarterly churn over one month (a third of a quarter)
	// is 1 − 0.8^(1/3) = 0.0717.
	month, _ := churn.CompoundRate(0.20, 1.0/3)
	fmt.Printf("quarterly %.4f, monthly %.4f\n", quarter, month)
	_, err := churn.CompoundRate(1.2, 12)
	fmt.Println(err != nil)
	// Output:
	// quarterly 0.2310, monthly 0.0717
	// true
}

func ExamplePeriods() {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	quarters, err := churn.Periods(start, cxkit.Quarter, 4)
	if err != nil {
		panic(err)
	}
	for i, p := range quarters {
		fmt.Printf("Q%d %s – %s\n", i+1, p.Start.Format("2006-01-02"), p.End.Format("2006-01-02"))
	}
	// Output:
	// Q1 2025-01-01 – 2025-04-01
	// Q2 2025-04-01 – 2025-07-01
	// Q3 2025-07-01 – 2025-10-01
	// Q4 2025-10-01 – 2026-01-01
}

func ExampleCurve_Bands() {
	c, _ := churn.KaplanMeier(testSubjects())
	lower, upper, err := c.Bands(0.95)
	if err != nil {
		panic(err)
	}
	// R survival 3.5-3, survfit(conf.type = "log-log"): S(9) = 0.8333 [0.2731, 0.9747],
	// S(19) = 0.6667 [0.1946, 0.9044], S(32) = 0.5 [0.1109, 0.8037], S(34) = 0.3333
	// [0.0461, 0.6756].
	for i, t := range c.Time {
		fmt.Printf("t=%2.0f S=%.4f 95%% CI [%.4f, %.4f]\n", t, c.Survival[i], lower[i], upper[i])
	}
	// Output:
	// t= 9 S=0.8333 95% CI [0.2731, 0.9747]
	// t=19 S=0.6667 95% CI [0.1946, 0.9044]
	// t=32 S=0.5000 95% CI [0.1109, 0.8037]
	// t=34 S=0.3333 95% CI [0.0461, 0.6756]
	// t=48 S=0.3333 95% CI [0.0461, 0.6756]
	// t=50 S=0.3333 95% CI [0.0461, 0.6756]
}

func ExampleCurve_Quantile() {
	c, _ := churn.KaplanMeier(testSubjects())
	// R survival 3.5-3, quantile(survfit(...), c(0.25, 0.5, 0.75)): 19, 33, NA.
	for _, p := range []float64{0.25, 0.5, 0.75} {
		q, err := c.Quantile(p)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%.0f%% of customers gone by month %v\n", 100*p, q)
	}
	// Output:
	// 25% of customers gone by month 19
	// 50% of customers gone by month 33
	// 75% of customers gone by month NaN
}

func ExampleCurve_NumberAtRisk() {
	c, _ := churn.KaplanMeier(testSubjects())
	// Those whose duration is ≥ t: all 6 at month 1; 34, 32, 50 and 48 at month 20; the same
	// four at month 32 (the one who churns at 32 is still at risk just before it); 3 at 33.
	for _, t := range []float64{1, 20, 32, 33, 60} {
		fmt.Printf("at risk just before month %2.0f: %.0f\n", t, c.NumberAtRisk(t))
	}
	// Output:
	// at risk just before month  1: 6
	// at risk just before month 20: 4
	// at risk just before month 32: 4
	// at risk just before month 33: 3
	// at risk just before month 60: 0
}

func ExampleCurve_MedianInterval() {
	// Months as a customer of 18 subscribers to a monthly plan: 13 cancelled, 5 still subscribe.
	var subjects []churn.Subject
	for _, m := range []float64{1, 2, 2, 3, 4, 5, 6, 7, 7, 9, 11, 14, 15} {
		subjects = append(subjects, churn.Subject{Duration: m, Churned: true})
	}
	for _, m := range []float64{4, 8, 12, 18, 20} {
		subjects = append(subjects, churn.Subject{Duration: m})
	}
	c, _ := churn.KaplanMeier(subjects)
	lo, hi, err := c.MedianInterval(0.95)
	if err != nil {
		panic(err)
	}
	// R survival 3.5-3, survfit(conf.type = "log-log"): median 7, 0.95LCL 4, 0.95UCL 14.
	fmt.Printf("median lifetime %v months, 95%% CI [%v, %v]\n", c.Median(), lo, hi)
	// Output: median lifetime 7 months, 95% CI [4, 14]
}

func ExampleSBG_RetentionRate() {
	// Fader & Hardie (2007), regular cohort: customers of 1000 still active after 0..7 years.
	alive := []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	m, err := churn.FitSBG(alive)
	if err != nil {
		panic(err)
	}
	// Published fit: α = 0.704, β = 1.182. Then r(1) = β/(α+β) = 1.182/1.886 = 0.627 and
	// r(7) = (β+6)/(α+β+6) = 7.182/7.886 = 0.911: retention rises as the churn-prone leave.
	fmt.Printf("alpha = %.3f, beta = %.3f\n", m.Alpha, m.Beta)
	for t := 1; t < len(alive); t++ {
		fmt.Printf("year %d: observed %.3f, model %.3f\n", t, alive[t]/alive[t-1], m.RetentionRate(t))
	}
	// Output:
	// alpha = 0.704, beta = 1.182
	// year 1: observed 0.631, model 0.627
	// year 2: observed 0.742, model 0.756
	// year 3: observed 0.816, model 0.819
	// year 4: observed 0.853, model 0.856
	// year 5: observed 0.887, model 0.880
	// year 6: observed 0.907, model 0.898
	// year 7: observed 0.920, model 0.911
}

func ExampleSBG_ChurnProbability() {
	m := churn.SBG{Alpha: 0.704, Beta: 1.182} // Fader & Hardie (2007), regular cohort
	// Expected cancellations each year in a new cohort of 1000, against the losses observed
	// in the paper's cohort (1000 → 631 → 468 → 382 → 326). By hand: P(T=1) = α/(α+β) =
	// 0.704/1.886 = 0.3733; P(T=2) = P(T=1)·β/(α+β+1) = 0.3733 × 1.182/2.886 = 0.1529.
	observed := []float64{369, 163, 86, 56}
	for t := 1; t <= 4; t++ {
		fmt.Printf("year %d: expected %.0f, observed %.0f\n", t, 1000*m.ChurnProbability(t), observed[t-1])
	}
	// Output:
	// year 1: expected 373, observed 369
	// year 2: expected 153, observed 163
	// year 3: expected 86, observed 86
	// year 4: expected 56, observed 56
}

func ExampleSBG_ExpectedLifetime() {
	// α = 3, β = 7: mean churn probability α/(α+β) = 0.3. E[T] = (α+β−1)/(α−1) = 9/2 = 4.5
	// periods, more than the 1/0.3 = 3.33 of a cohort that all churn at 30%: the loyal
	// customers stay longer than the average rate suggests.
	m := churn.SBG{Alpha: 3, Beta: 7}
	fmt.Printf("expected lifetime %.2f periods\n", m.ExpectedLifetime())
	// Fader & Hardie's regular cohort has α = 0.704 ≤ 1: the mean lifetime is infinite, so
	// report the median or a discounted value (DERL) instead.
	regular := churn.SBG{Alpha: 0.704, Beta: 1.182}
	fmt.Println("regular cohort:", regular.ExpectedLifetime(), math.IsInf(regular.ExpectedLifetime(), 1))
	// Output:
	// expected lifetime 4.50 periods
	// regular cohort: +Inf true
}

func ExampleSBG_Projection() {
	// Fader & Hardie (2007), regular cohort: fit on years 0–7, project to year 12. The
	// projection stays within 3 customers of the hold-out years; S(t) = B(α, β+t)/B(α, β)
	// from an independent fit in R 4.2.2 (optim) gives the same 220, 204, 191, 180, 170.
	alive := []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	m, err := churn.FitSBG(alive)
	if err != nil {
		panic(err)
	}
	holdout := []float64{223, 207, 194, 183, 173} // the paper's actual counts for years 8–12
	p := m.Projection(12)
	for year := 8; year <= 12; year++ {
		fmt.Printf("year %d: projected %.0f, actual %.0f\n", year, 1000*p[year], holdout[year-8])
	}
	// Output:
	// year 8: projected 220, actual 223
	// year 9: projected 204, actual 207
	// year 10: projected 191, actual 194
	// year 11: projected 180, actual 183
	// year 12: projected 170, actual 173
}

// Rows of a cohort retention matrix fed to FitSBGCohorts. The subscriptions are generated from
// the number of each monthly cohort who cancelled in each month since joining.
func ExampleCohortMatrix_Rows() {
	cohorts := []struct {
		start  time.Month
		lost   []int // cancelled in the month of joining, the month after, …
		active int   // still subscribed on 1 May
	}{
		{time.January, []int{30, 15, 8, 5}, 42},
		{time.February, []int{27, 14, 9}, 50},
		{time.March, []int{29, 16}, 55},
		{time.April, []int{31}, 69},
	}
	var subs []churn.Subscription
	for _, c := range cohorts {
		start := time.Date(2025, c.start, 3, 0, 0, 0, 0, time.UTC)
		for k, n := range c.lost {
			end := time.Date(2025, c.start+time.Month(k), 20, 0, 0, 0, 0, time.UTC)
			for range n {
				subs = append(subs, churn.Subscription{Start: start, End: end})
			}
		}
		for range c.active {
			subs = append(subs, churn.Subscription{Start: start})
		}
	}
	origin := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	matrix, err := churn.CohortRetention(subs, origin, cxkit.Month, time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	rows := matrix.Rows() // the May cohort is empty and left out
	for _, r := range rows {
		fmt.Println(r)
	}
	m, err := churn.FitSBGCohorts(rows)
	if err != nil {
		panic(err)
	}
	// An independent joint fit of these rows in R 4.2.2 (optim, BFGS) gives α = 0.636,
	// β = 1.526 and r(6) = (β+5)/(α+β+5) = 0.911.
	fmt.Printf("alpha %.3f, beta %.3f; month 6 retention %.3f\n", m.Alpha, m.Beta, m.RetentionRate(6))
	// Output:
	// [100 70 55 47 42]
	// [100 73 59 50]
	// [100 71 55]
	// [100 69]
	// alpha 0.636, beta 1.526; month 6 retention 0.911
}

// Reading a cohort triangle cell by cell: cells a cohort has not reached by AsOf are not
// observed ("·"), which is not the same as churned (0). April has only just begun and nobody
// has joined in it, so its row is empty.
func ExampleCohortMatrix_At() {
	d := func(m time.Month, day int) time.Time { return time.Date(2025, m, day, 0, 0, 0, 0, time.UTC) }
	subs := []churn.Subscription{
		{Customer: "a", Start: d(1, 5)}, {Customer: "b", Start: d(1, 9), End: d(2, 20)},
		{Customer: "c", Start: d(1, 30), End: d(3, 15)}, {Customer: "d", Start: d(1, 12), End: d(1, 28)},
		{Customer: "e", Start: d(2, 11)}, {Customer: "f", Start: d(2, 25), End: d(3, 2)},
		{Customer: "g", Start: d(3, 8)}, {Customer: "h", Start: d(3, 18)},
	}
	m, err := churn.CohortRetention(subs, d(1, 1), cxkit.Month, d(4, 1))
	if err != nil {
		panic(err)
	}
	for c, row := range m.Cohorts {
		fmt.Print(row.Start.Format("Jan"))
		for a := 0; a <= 3; a++ {
			if n, share, ok := m.At(c, a); ok {
				fmt.Printf("  %.0f (%3.0f%%)", n, 100*share)
			} else {
				fmt.Print("  ·")
			}
		}
		fmt.Println()
	}
	// Output:
	// Jan  4 (100%)  3 ( 75%)  2 ( 50%)  1 ( 25%)
	// Feb  2 (100%)  2 (100%)  1 ( 50%)  ·
	// Mar  2 (100%)  2 (100%)  ·  ·
	// Apr  ·  ·  ·  ·
}

// Merging the tallies of three regional shards gives exactly the curve of one pass.
func ExampleTally_Merge() {
	shards := [][]churn.Subject{
		{{Duration: 34, Churned: true}, {Duration: 50}},               // EMEA
		{{Duration: 32, Churned: true}, {Duration: 9, Churned: true}}, // Americas
		{{Duration: 19, Churned: true}, {Duration: 48}},               // APAC
	}
	var total churn.Tally
	for _, s := range shards {
		var t churn.Tally
		if err := t.AddAll(s); err != nil {
			panic(err)
		}
		if err := total.Merge(&t); err != nil {
			panic(err)
		}
	}
	merged, _ := total.Result()
	onePass, _ := churn.KaplanMeier(testSubjects())
	fmt.Printf("subjects %.0f, S = %.4f\n", total.Subjects(), merged.Survival)
	fmt.Println("same as one pass:", reflect.DeepEqual(merged, onePass))
	// Output:
	// subjects 6, S = [0.8333 0.6667 0.5000 0.3333 0.3333 0.3333]
	// same as one pass: true
}

func ExampleSBG_Estimates() {
	// Fader & Hardie (2007), regular cohort, years 0-7.
	alive := []float64{1000, 631, 468, 382, 326, 289, 262, 241}
	m, err := churn.FitSBG(alive)
	if err != nil {
		fmt.Println(err)
		return
	}
	est, err := m.Estimates(alive)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range est {
		fmt.Printf("%s = %.3f (SE %.3f), 95%% interval %v\n", e.Name, e.Value, e.StdErr, e.Interval(0.95))
	}
	// Output:
	// Alpha = 0.704 (SE 0.066), 95% interval [0.58, 0.83] (95%)
	// Beta = 1.182 (SE 0.152), 95% interval [0.88, 1.48] (95%)
}
