package clv_test

import (
	"fmt"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv"
)

func ExampleSummarize() {
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, time.UTC) }
	log := []clv.Transaction{
		{Customer: "ann", Time: day(1, 1), Amount: 20},
		{Customer: "ann", Time: day(1, 1), Amount: 5}, // same day: one purchase of 25
		{Customer: "ann", Time: day(1, 15), Amount: 30},
		{Customer: "ann", Time: day(2, 12), Amount: 40},
		{Customer: "bob", Time: day(1, 8), Amount: 15},
		{Customer: "bob", Time: day(3, 4), Amount: 10}, // in the holdout period
	}
	s, err := clv.Summarize(log, clv.RFMOptions{
		Unit:           cxkit.Week,
		Period:         cxkit.Day,
		CalibrationEnd: day(2, 26),
		HoldoutEnd:     day(3, 25),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range s.Customers {
		fmt.Printf("%s: x=%d t_x=%.0f T=%.0f m=%.0f | holdout %d purchases in %.0f weeks\n",
			r.ID, r.Frequency, r.Recency, r.T, r.MonetaryValue, r.HoldoutFrequency, r.HoldoutDuration)
	}
	// Output:
	// ann: x=2 t_x=6 T=8 m=35 | holdout 0 purchases in 4 weeks
	// bob: x=0 t_x=0 T=7 m=0 | holdout 1 purchases in 4 weeks
}

func ExampleFitGammaGamma() {
	// Repeat buyers: number of repeat purchases and their mean value.
	customers := []clv.Customer{
		{Frequency: 2, MonetaryValue: 22.35}, {Frequency: 1, MonetaryValue: 11.77},
		{Frequency: 7, MonetaryValue: 73.74}, {Frequency: 1, MonetaryValue: 11.77},
		{Frequency: 2, MonetaryValue: 25.55}, {Frequency: 5, MonetaryValue: 17.60},
		{Frequency: 3, MonetaryValue: 40.11}, {Frequency: 1, MonetaryValue: 60.00},
		{Frequency: 4, MonetaryValue: 28.90}, {Frequency: 2, MonetaryValue: 14.50},
	}
	g, err := clv.FitGammaGamma(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	mean, _ := g.ExpectedSpend()
	fmt.Printf("population mean spend %.2f, log-likelihood %.2f\n", mean, g.Fit.LogLikelihood)
	// Output: population mean spend 31.48, log-likelihood -41.17
}

func ExampleGammaGamma_ConditionalExpectedSpend() {
	// The CDNOW estimates of Fader, Hardie & Lee (2005).
	g := clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	for _, c := range []clv.Customer{
		{Frequency: 0},                       // no repeat purchase: the population mean
		{Frequency: 1, MonetaryValue: 11.77}, // one small purchase: pulled up to the mean
		{Frequency: 7, MonetaryValue: 73.74}, // many large ones: close to the own mean
		{Frequency: 2, MonetaryValue: 22.35},
	} {
		s, err := g.ConditionalExpectedSpend(c)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("x=%d z̄=%.2f → %.2f\n", c.Frequency, c.MonetaryValue, s)
	}
	// Output:
	// x=0 z̄=0.00 → 35.22
	// x=1 z̄=11.77 → 18.92
	// x=7 z̄=73.74 → 71.47
	// x=2 z̄=22.35 → 24.66
}

// donations is the repeat-donation data of Fader, Hardie & Shang (2010): 11,104 first-time
// donors of 1995, 6 annual opportunities (1996-2001), one row per (x, t_x) pattern.
var donations = []clv.Discrete{
	{0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78}, {1, 5, 6, 119},
	{1, 6, 6, 129}, {2, 2, 6, 613}, {2, 3, 6, 255}, {2, 4, 6, 155}, {2, 5, 6, 173}, {2, 6, 6, 234},
	{3, 3, 6, 322}, {3, 4, 6, 181}, {3, 5, 6, 225}, {3, 6, 6, 357}, {4, 4, 6, 240}, {4, 5, 6, 284},
	{4, 6, 6, 512}, {5, 5, 6, 335}, {5, 6, 6, 728}, {6, 6, 6, 1203},
}

func ExampleFitBGBB() {
	m, err := clv.FitBGBB(donations)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("α=%.3f β=%.3f γ=%.3f δ=%.3f LL=%.1f\n", m.Alpha, m.Beta, m.Gamma, m.Delta, m.Fit.LogLikelihood)
	// Output: α=1.204 β=0.750 γ=0.657 δ=2.783 LL=-33225.6
}

func ExampleBGBB_ProbabilityAlive() {
	m := clv.BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	// Donors with 2 repeat donations in 6 years, the last in year 4 or in year 6.
	for _, d := range []clv.Discrete{{Frequency: 2, Recency: 4, Periods: 6}, {Frequency: 2, Recency: 6, Periods: 6}} {
		p, err := m.ProbabilityAlive(d)
		if err != nil {
			fmt.Println(err)
			return
		}
		e, _ := m.ConditionalExpectedTransactions(5, d)
		fmt.Printf("t_x=%d: P(alive)=%.2f, expected donations in the next 5 years %.2f\n", d.Recency, p, e)
	}
	// Output:
	// t_x=4: P(alive)=0.59, expected donations in the next 5 years 1.06
	// t_x=6: P(alive)=0.93, expected donations in the next 5 years 1.67
}

func ExampleBGBB_ProbabilityOfTransactions() {
	m := clv.BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
	for x := 0; x <= 6; x++ {
		p, err := m.ProbabilityOfTransactions(6, x)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("P(X(6)=%d) = %.3f\n", x, p)
	}
	// Output:
	// P(X(6)=0) = 0.311
	// P(X(6)=1) = 0.170
	// P(X(6)=2) = 0.121
	// P(X(6)=3) = 0.100
	// P(X(6)=4) = 0.092
	// P(X(6)=5) = 0.092
	// P(X(6)=6) = 0.113
}
func ExampleProjection() {
	// A BG/NBD model in weeks (FHL 2005's CDNOW estimates) and the Gamma-Gamma spend model of
	// the same customers (FHL 2005, JMR).
	purchases := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
	spend := clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	p := clv.Projection{
		Purchases:    purchases,
		Spend:        spend,
		Unit:         cxkit.Week, // the unit the models were fitted in
		Step:         4,          // discount every four weeks...
		Horizon:      52,         // ...for a year
		DiscountRate: 0.01,       // 1% per four weeks
	}
	// CDNOW customer 1: 2 repeat purchases, the last in week 30.43 of 38.86, $22.35 each.
	v, err := p.Value(clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("expected revenue over the next year: $%.2f\n", v)
	// Output: expected revenue over the next year: $36.05
}

func ExampleSpendFrequencyCorrelation() {
	repeat := clv.RepeatBuyers([]clv.Customer{
		{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35},
		{Frequency: 1, Recency: 1.71, T: 38.86, MonetaryValue: 11.77},
		{Frequency: 0, T: 38.86}, // no repeat purchase: left out of the spend model
		{Frequency: 7, Recency: 29.43, T: 38.86, MonetaryValue: 73.74},
		{Frequency: 1, Recency: 5, T: 38.86, MonetaryValue: 11.77},
		{Frequency: 2, Recency: 35.71, T: 38.86, MonetaryValue: 25.55},
		{Frequency: 5, Recency: 24.29, T: 38.86, MonetaryValue: 17.60},
	})
	r, err := clv.SpendFrequencyCorrelation(repeat)
	if err != nil {
		fmt.Println(err)
		return
	}
	// In this tiny sample the heaviest buyer also spends the most: a strong correlation warns
	// that the Gamma-Gamma independence assumption does not hold (CDNOW as a whole: 0.11).
	fmt.Printf("%d repeat buyers, correlation of frequency and spend %.2f\n", len(repeat), r)
	// Output: 6 repeat buyers, correlation of frequency and spend 0.82
}

func ExampleRFMAccumulator() {
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, time.UTC) }
	// Two workers each see part of the log, summarised in weeks up to the end of February...
	opt := clv.RFMOptions{Unit: cxkit.Week, CalibrationEnd: day(2, 26)}
	east, west := clv.RFMAccumulator{Options: opt}, clv.RFMAccumulator{Options: opt}
	_ = east.AddAll([]clv.Transaction{
		{Customer: "ann", Time: day(1, 1), Amount: 25},
		{Customer: "ann", Time: day(2, 12), Amount: 40},
	})
	_ = west.AddAll([]clv.Transaction{
		{Customer: "ann", Time: day(1, 15), Amount: 30},
		{Customer: "bob", Time: day(1, 8), Amount: 15},
	})
	// ...one ships its partial result as bytes, and the other merges it.
	b, _ := west.MarshalBinary()
	var received clv.RFMAccumulator // the options travel with the bytes
	if err := received.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
		return
	}
	if err := east.Merge(&received); err != nil {
		fmt.Println(err)
		return
	}
	s, err := east.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range s.Customers {
		fmt.Printf("%s: x=%d t_x=%.0f T=%.0f m=%.0f\n", r.ID, r.Frequency, r.Recency, r.T, r.MonetaryValue)
	}
	// Output:
	// ann: x=2 t_x=6 T=8 m=35
	// bob: x=0 t_x=0 T=7 m=0
}

func ExamplePeriodLength() {
	// A model fitted in weeks, valued over twelve calendar months discounted at 1% a month: a
	// month is 365.2425/12 days at its mean length, 4.348 weeks.
	purchases := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: cxkit.Week}
	p := clv.Projection{
		Purchases:    purchases,
		Spend:        clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44},
		Unit:         cxkit.Week,
		Step:         clv.PeriodLength(cxkit.Month, cxkit.Week),
		Horizon:      clv.PeriodLength(cxkit.Year, cxkit.Week),
		DiscountRate: 0.01,
	}
	customer := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35}
	v, err := p.Value(customer)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("step %.4f weeks, 12-month value $%.2f\n", p.Step, v)
	// The same numbers read as days are refused: the model records its unit.
	p.Unit = cxkit.Day
	_, err = p.Value(customer)
	fmt.Println(err)
	// Output:
	// step 4.3481 weeks, 12-month value $36.31
	// clv: projection unit day differs from the unit week the purchase model was fitted in: incompatible values
}
