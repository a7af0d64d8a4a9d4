package clv

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
)

// Sentinel errors, shared with the root package so errors.Is works with either name.
var (
	// ErrOutOfRange reports a negative, non-finite or inconsistent value.
	ErrOutOfRange = cxkit.ErrOutOfRange
	// ErrEmpty reports that there are no customers to fit.
	ErrEmpty = cxkit.ErrEmpty
	// ErrInvalid reports malformed input (corrupt encodings, bad options).
	ErrInvalid = cxkit.ErrInvalid
	// ErrNotConverged reports a maximum-likelihood fit whose optimiser stopped before meeting
	// its convergence criterion.
	ErrNotConverged = cxkit.ErrNotConverged
	// ErrNotIdentified reports a fit that the data cannot pin down: parameters running off
	// towards 0 or ∞ (identical histories, too few customers), a singular information matrix
	// or standard errors that are not finite.
	ErrNotIdentified = cxkit.ErrNotIdentified
	// ErrIncompatible reports values that cannot be combined: accumulators with other options,
	// a model fitted in one time unit used in another.
	ErrIncompatible = cxkit.ErrIncompatible
)

// Customer is one customer's purchase history summarised as recency, frequency and monetary
// value (RFM), the input of the probabilistic models. Times are in the model's time unit (the
// unit chosen when summarising, e.g. weeks), measured from the customer's first purchase.
type Customer struct {
	// ID names the customer in error messages (Summarize fills it from the transactions); it
	// is optional and no model reads it.
	ID string `json:"id,omitempty"`
	// Frequency is the number of repeat purchases (x): purchases after the first one.
	Frequency int `json:"frequency"`
	// Recency is the time of the last repeat purchase (t_x), measured from the first purchase;
	// 0 when Frequency is 0.
	Recency float64 `json:"recency"`
	// T is the customer's age: the time from the first purchase to the end of observation.
	T float64 `json:"t"`
	// MonetaryValue is the mean value of the repeat purchases (0 when Frequency is 0).
	MonetaryValue float64 `json:"monetary_value"`
	// Weight is how many customers share this history; 0 means 1. It lets compressed data
	// (one row per distinct history, with a count) be fitted directly.
	Weight float64 `json:"weight,omitempty"`
}

// weight returns the customer's weight, 1 when unset.
func (c Customer) weight() float64 {
	if c.Weight == 0 {
		return 1
	}
	return c.Weight
}

// Validate checks the fields a purchase model needs: Frequency ≥ 0, 0 ≤ Recency ≤ T, T > 0,
// Recency > 0 when Frequency > 0, Recency = 0 when Frequency = 0, finite values, a weight ≥ 0.
func (c Customer) Validate() error {
	switch {
	case c.Frequency < 0:
		return fmt.Errorf("frequency %d is negative: %w", c.Frequency, ErrOutOfRange)
	case !finite(c.Recency) || c.Recency < 0:
		return fmt.Errorf("recency %v must be finite and non-negative: %w", c.Recency, ErrOutOfRange)
	case !finite(c.T) || c.T <= 0:
		return fmt.Errorf("age T %v must be finite and positive: %w", c.T, ErrOutOfRange)
	case c.Recency > c.T:
		return fmt.Errorf("recency %v is greater than T %v: %w", c.Recency, c.T, ErrOutOfRange)
	case c.Frequency > 0 && c.Recency == 0:
		return fmt.Errorf("frequency %d with zero recency: %w", c.Frequency, ErrOutOfRange)
	case c.Frequency == 0 && c.Recency != 0:
		return fmt.Errorf("recency %v with zero frequency: %w", c.Recency, ErrOutOfRange)
	case !finite(c.Weight) || c.Weight < 0:
		return fmt.Errorf("weight %v must be finite and non-negative: %w", c.Weight, ErrOutOfRange)
	case !finite(c.MonetaryValue) || c.MonetaryValue < 0:
		return fmt.Errorf("monetary value %v must be finite and non-negative: %w", c.MonetaryValue, ErrOutOfRange)
	}
	return nil
}

// describeCustomer names customer c at index i of a slice in messages: by ID when it has one.
func describeCustomer(i int, c Customer) string {
	if c.ID != "" {
		return fmt.Sprintf("customer %q (index %d)", c.ID, i)
	}
	return fmt.Sprintf("customer at index %d", i)
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// PurchaseModel is a fitted model of repeat purchases (BG/NBD, Pareto/NBD, MBG/NBD) as the CLV
// projection uses it. Times are in the unit the model was fitted in.
type PurchaseModel interface {
	// ConditionalExpectedPurchases is the expected number of purchases in (T, T+t] of a
	// customer with the given history.
	ConditionalExpectedPurchases(t float64, c Customer) (float64, error)
	// ProbabilityAlive is the probability that the customer is still active at T.
	ProbabilityAlive(c Customer) (float64, error)
}
