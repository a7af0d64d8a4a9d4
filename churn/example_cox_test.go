package churn_test

import (
	"fmt"

	"github.com/cxkit/cxkit/churn"
)

// FitCox estimates how much a detractor score multiplies the hazard of leaving, holding the
// support contact fixed.
func ExampleFitCox() {
	subjects := []churn.Subject{
		{Duration: 2, Churned: true}, {Duration: 3, Churned: true}, {Duration: 4, Churned: false},
		{Duration: 5, Churned: true}, {Duration: 6, Churned: true}, {Duration: 8, Churned: false},
		{Duration: 9, Churned: true}, {Duration: 11, Churned: false}, {Duration: 12, Churned: true},
		{Duration: 14, Churned: false},
	}
	// detractor (0/1), contacted support (0/1)
	x := [][]float64{{1, 1}, {1, 0}, {0, 1}, {1, 1}, {0, 0}, {1, 0}, {0, 1}, {0, 0}, {1, 1}, {0, 0}}
	m, err := churn.FitCox(subjects, x, []string{"detractor", "support"}, churn.CoxOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	hr, _ := m.HazardRatios(0.95)
	for _, h := range hr {
		fmt.Printf("%s: HR %.2f %v p=%.2f\n", h.Name, h.Ratio, h.Interval, h.P)
	}
	fmt.Printf("concordance %.2f, PH global p=%.2f\n", m.Concordance, m.PH.Global.P)
	s, _ := m.Survival(6, []float64{1, 0})
	fmt.Printf("S(6 | detractor, no contact) = %.2f\n", s)
	// Output:
	// detractor: HR 2.39 [0.36, 15.65] (95%) p=0.36
	// support: HR 1.74 [0.27, 11.40] (95%) p=0.56
	// concordance 0.72, PH global p=0.30
	// S(6 | detractor, no contact) = 0.55
}

// With several rows per customer (renewals of one account, users of one company) the rows are
// not independent: Cluster gives the robust (sandwich) variance, as coxph(... + cluster(id))
// (R 4.2.2, survival 3.5.3 prints the same β, robust and naive SE on these data).
func ExampleFitCox_robust() {
	subjects := []churn.Subject{
		{Duration: 2, Churned: true}, {Duration: 3, Churned: true}, {Duration: 4, Churned: false},
		{Duration: 5, Churned: true}, {Duration: 6, Churned: true}, {Duration: 8, Churned: false},
		{Duration: 9, Churned: true}, {Duration: 11, Churned: false}, {Duration: 12, Churned: true},
		{Duration: 14, Churned: false},
	}
	x := [][]float64{{1}, {1}, {0}, {1}, {0}, {1}, {0}, {0}, {1}, {0}}
	account := []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5}
	m, err := churn.FitCox(subjects, x, []string{"detractor"}, churn.CoxOptions{Cluster: account})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("β=%.3f robust SE %.3f (model-based %.3f), Wald p=%.2f\n", m.Coef[0], m.StdErr[0], m.NaiveStdErr[0], m.Wald.P)
	// Output:
	// β=1.100 robust SE 0.652 (model-based 0.882), Wald p=0.09
}
