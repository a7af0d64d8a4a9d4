package clv_test

import (
	"errors"
	"fmt"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv"
)

// fhlBGNBD is the BG/NBD model Fader, Hardie & Lee (2005, Table 2) fitted to CDNOW, in weeks.
var fhlBGNBD = clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}

func ExampleBGNBD_ProbabilityAlive() {
	// Three customers observed for 38.86 weeks. Two repeat purchases make a customer look
	// active if the last one was recent, and likely gone if it was long ago; a customer who
	// never came back is alive for sure under BG/NBD (they can only drop out after a purchase).
	for _, c := range []clv.Customer{
		{Frequency: 2, Recency: 30.43, T: 38.86},
		{Frequency: 2, Recency: 5, T: 38.86},
		{Frequency: 0, T: 38.86},
	} {
		p, err := fhlBGNBD.ProbabilityAlive(c)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("x=%d t_x=%5.2f: P(alive)=%.3f\n", c.Frequency, c.Recency, p)
	}
	// Output:
	// x=2 t_x=30.43: P(alive)=0.727
	// x=2 t_x= 5.00: P(alive)=0.124
	// x=0 t_x= 0.00: P(alive)=1.000
}

func ExampleBGNBD_ConditionalExpectedPurchases() {
	// CDNOW customer with 2 repeat purchases, the last in week 30.43 of 38.86: expected
	// purchases in the next 39 weeks. Hardie's BG/NBD spreadsheet gives 1.226 for this
	// customer (the value lifetimes' tests pin).
	c := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	e, err := fhlBGNBD.ConditionalExpectedPurchases(39, c)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f purchases expected in the next 39 weeks\n", e)
	// Output: 1.226 purchases expected in the next 39 weeks
}

func ExampleBGNBD_ExpectedPurchases() {
	// A new customer's expected repeat purchases after 1, 3 and 31.86 weeks at the maximum
	// likelihood estimates for CDNOW; Hardie's spreadsheet gives 0.0532, 0.1506 and 1.0405.
	m := clv.BGNBD{R: 0.24259, Alpha: 4.41353, A: 0.79289, B: 2.42575}
	for _, t := range []float64{1, 3, 31.8571} {
		e, err := m.ExpectedPurchases(t)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("E[X(%g)] = %.4f\n", t, e)
	}
	// Output:
	// E[X(1)] = 0.0532
	// E[X(3)] = 0.1506
	// E[X(31.8571)] = 1.0405
}

func ExampleBGNBD_LogLikelihood() {
	customers, err := loadCDNOWExampleCM()
	if err != nil {
		fmt.Println(err)
		return
	}
	// FHL (2005) report LL = −9582.4 at their rounded estimates.
	ll, err := fhlBGNBD.LogLikelihood(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("LL = %.1f\n", ll)
	// Output: LL = -9582.4
}

func ExampleMBGNBD_ProbabilityAlive() {
	// MBG/NBD lets a customer drop out right after the first purchase, so a customer who
	// never came back is no longer alive for sure. Parameters: BTYDplus's CDNOW estimates.
	m := clv.MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614}
	c := clv.Customer{Frequency: 0, T: 38.86}
	p, err := m.ProbabilityAlive(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	q, _ := fhlBGNBD.ProbabilityAlive(c)
	fmt.Printf("no repeat purchase in 38.86 weeks: P(alive) %.3f under MBG/NBD, %.3f under BG/NBD\n", p, q)
	// Output: no repeat purchase in 38.86 weeks: P(alive) 0.390 under MBG/NBD, 1.000 under BG/NBD
}

func ExampleParetoNBD_ProbabilityAlive() {
	// Pareto/NBD estimates for CDNOW (FHL 2005, Table 2), in weeks.
	m := clv.ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669}
	c := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	p, err := m.ProbabilityAlive(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := m.ConditionalExpectedPurchases(39, c)
	fmt.Printf("P(alive)=%.3f, E[purchases in the next 39 weeks]=%.3f\n", p, e)
	// Output: P(alive)=0.869, E[purchases in the next 39 weeks]=1.455
}

func ExampleGammaGamma_ExpectedSpend() {
	// FHL's CDNOW spend model: the population mean spend per purchase is
	// p·γ/(q−1) = 6.25 × 15.44 / 2.74 = 35.22.
	g := clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44}
	m, err := g.ExpectedSpend()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("$%.2f per purchase\n", m)
	// Output: $35.22 per purchase
}

func ExampleRepeatBuyers() {
	cs := []clv.Customer{
		{Frequency: 0, T: 30},
		{Frequency: 3, Recency: 20, T: 30, MonetaryValue: 41.5},
		{Frequency: 1, Recency: 4, T: 12, MonetaryValue: 18},
	}
	// Gamma-Gamma is fitted on repeat buyers only.
	for _, c := range clv.RepeatBuyers(cs) {
		fmt.Printf("x=%d z̄=%.2f\n", c.Frequency, c.MonetaryValue)
	}
	// Output:
	// x=3 z̄=41.50
	// x=1 z̄=18.00
}

func ExampleProjection_Values() {
	p := clv.Projection{
		Purchases:    fhlBGNBD,
		Spend:        clv.GammaGamma{P: 6.25, Q: 3.74, V: 15.44},
		Unit:         cxkit.Week,
		Step:         4,
		Horizon:      52,
		DiscountRate: 0.01,
	}
	vs, err := p.Values([]clv.Customer{
		{Frequency: 0, T: 38.86},
		{Frequency: 2, Recency: 30.43, T: 38.86, MonetaryValue: 22.35},
		{Frequency: 7, Recency: 37.5, T: 38.86, MonetaryValue: 73.74},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range vs {
		fmt.Printf("$%.2f\n", v)
	}
	// Output:
	// $8.31
	// $36.05
	// $392.39
}

func ExampleCustomer_Validate() {
	c := clv.Customer{Frequency: 3, Recency: 40, T: 38}
	err := c.Validate()
	fmt.Println(err)
	fmt.Println(errors.Is(err, clv.ErrOutOfRange))
	// Output:
	// recency 40 is greater than T 38: value out of range
	// true
}

func ExampleBGNBD_Estimates() {
	customers, err := loadCDNOWExampleCM()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := clv.FitBGNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Standard errors from the observed information, as lifetimes' summary reports them
	// (r: 0.242593, SE 0.012557).
	est, err := m.Estimates(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range est {
		iv := e.Interval(0.95)
		fmt.Printf("%-5s %8.6f  SE %8.6f  95%% [%.4f, %.4f]\n", e.Name, e.Value, e.StdErr, iv.Lower, iv.Upper)
	}
	// Output:
	// R     0.242593  SE 0.012557  95% [0.2180, 0.2672]
	// Alpha 4.413532  SE 0.378221  95% [3.6722, 5.1548]
	// A     0.792886  SE 0.185719  95% [0.4289, 1.1569]
	// B     2.425753  SE 0.705346  95% [1.0433, 3.8082]
}

func ExampleParetoNBD_Estimates() {
	customers, err := loadCDNOWExampleCM()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := clv.FitParetoNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	est, err := m.Estimates(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	// β is weakly identified on CDNOW (FHL 2005): its standard error is half its value.
	for _, e := range est {
		fmt.Printf("%-5s %7.3f  SE %.2f\n", e.Name, e.Value, e.StdErr)
	}
	// Output:
	// R       0.553  SE 0.05
	// Alpha  10.578  SE 0.84
	// S       0.606  SE 0.19
	// Beta   11.668  SE 6.21
}

func ExampleBGBB_Estimates() {
	m, err := clv.FitBGBB(donations)
	if err != nil {
		fmt.Println(err)
		return
	}
	est, err := m.Estimates(donations)
	if err != nil {
		fmt.Println(err)
		return
	}
	// An independent fit in R (optim + optimHess) gives the same standard errors to 1e-3.
	for _, e := range est {
		fmt.Printf("%-5s %.3f  SE %.3f\n", e.Name, e.Value, e.StdErr)
	}
	// Output:
	// Alpha 1.204  SE 0.069
	// Beta  0.750  SE 0.029
	// Gamma 0.657  SE 0.051
	// Delta 2.783  SE 0.321
}
