package clv

import "fmt"

// Simple is the back-of-the-envelope customer lifetime value:
//
//	CLV = annualRevenue × years − acquisitionCost
//
// annualRevenue is the revenue (or, better, the gross margin) one customer brings per year,
// years the expected length of the relationship in years and acquisitionCost what it cost to
// win the customer. The formula ignores the time value of money, churn within the period and
// differences between customers; see [MarginCLV] for retention and discounting and the
// probabilistic models of this package for customer-level predictions.
//
// All three inputs must be finite and non-negative; otherwise the error names the offending
// argument and wraps [ErrOutOfRange].
func Simple(annualRevenue, years, acquisitionCost float64) (float64, error) {
	for _, a := range []struct {
		name string
		v    float64
	}{{"annual revenue", annualRevenue}, {"years", years}, {"acquisition cost", acquisitionCost}} {
		if !finite(a.v) || a.v < 0 {
			return 0, fmt.Errorf("clv: %s %v must be finite and non-negative: %w", a.name, a.v, ErrOutOfRange)
		}
	}
	return finiteCLV(annualRevenue*years-acquisitionCost, "annual revenue %v over %v years less %v", annualRevenue, years, acquisitionCost)
}
