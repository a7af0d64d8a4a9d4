package clv

import (
	"fmt"
	"math"
)

// checkMargin validates the inputs shared by MarginCLV and MarginCLVFinite.
func checkMargin(margin, retention, discount float64) error {
	switch {
	case !finite(margin):
		return fmt.Errorf("clv: margin %v must be finite: %w", margin, ErrOutOfRange)
	case !finite(retention) || retention < 0 || retention > 1:
		return fmt.Errorf("clv: retention rate %v is outside [0, 1]: %w", retention, ErrOutOfRange)
	case !finite(discount) || discount <= -1:
		return fmt.Errorf("clv: discount rate %v must be finite and greater than -1: %w", discount, ErrOutOfRange)
	}
	return nil
}

// MarginCLV is the margin-based lifetime value of a customer with a constant margin per
// period, a constant retention rate and a discount rate, summed over an infinite horizon
// (Gupta & Lehmann 2003, "Customers as assets", J. Interactive Marketing 17(1)):
//
//	CLV = Σ_{t≥1} m·r^t/(1+d)^t = m·r/(1+d−r)
//
// margin m is the contribution one active customer brings per period, retention r ∈ [0, 1] the
// probability that an active customer is still active one period later, and discount d the
// discount rate per period (0.1 for 10%). All three refer to the same period (a year, a month):
// convert annual rates before mixing them with monthly margins. The first margin is received at
// the end of the first period, and only if the customer was retained; add m for a margin
// collected at acquisition. Acquisition cost is not subtracted.
//
// The sum converges only when r < 1+d; r = 1 with d = 0 is an error wrapping [ErrOutOfRange],
// as are a non-finite margin, r outside [0, 1] and d ≤ −1.
func MarginCLV(margin, retention, discount float64) (float64, error) {
	if err := checkMargin(margin, retention, discount); err != nil {
		return 0, err
	}
	den := 1 + discount - retention
	if den <= 0 {
		return 0, fmt.Errorf("clv: retention %v and discount %v give a divergent sum (need retention < 1 + discount): %w",
			retention, discount, ErrOutOfRange)
	}
	return finiteCLV(margin*retention/den, "margin %v, retention %v, discount %v", margin, retention, discount)
}

// MarginCLVFinite is [MarginCLV] over a finite number of periods:
//
//	CLV = Σ_{t=1}^{periods} m·r^t/(1+d)^t = m·q·(1−q^n)/(1−q),  q = r/(1+d)
//
// It takes the same inputs, with the same meaning and checks, and periods ≥ 0 (0 gives 0).
// It converges to MarginCLV as periods grows, and is defined for any r and d that pass the
// checks (r = 1 and d = 0 give m·periods).
func MarginCLVFinite(margin, retention, discount float64, periods int) (float64, error) {
	if err := checkMargin(margin, retention, discount); err != nil {
		return 0, err
	}
	if periods < 0 {
		return 0, fmt.Errorf("clv: number of periods %d is negative: %w", periods, ErrOutOfRange)
	}
	q := retention / (1 + discount)
	n := float64(periods)
	switch q {
	case 0:
		return 0, nil
	case 1:
		return finiteCLV(margin*n, "margin %v over %d periods", margin, periods)
	}
	// q(1−q^n)/(1−q), with 1−q^n = −expm1(n·log q), accurate when q is near 1.
	return finiteCLV(margin*q*-math.Expm1(n*math.Log(q))/(1-q), "margin %v, retention %v, discount %v over %d periods", margin, retention, discount, periods)
}

// finiteCLV passes on a finite CLV and turns an overflow (±Inf) into an error wrapping
// ErrOutOfRange naming the inputs (described by format and args).
func finiteCLV(v float64, format string, args ...any) (float64, error) {
	if !finite(v) {
		return 0, fmt.Errorf("clv: CLV of %s is %v: it does not fit a float64: %w", fmt.Sprintf(format, args...), v, ErrOutOfRange)
	}
	return v, nil
}
