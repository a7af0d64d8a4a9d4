package cxkit

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sentinel errors shared by every package. Each metric package re-exports them under the same
// names (nps.ErrOutOfRange == cxkit.ErrOutOfRange), so errors.Is works with either.
var (
	// ErrOutOfRange reports a value outside its allowed range: a rating off its scale, a
	// negative or non-finite weight, a confidence level outside (0, 1).
	ErrOutOfRange = errors.New("value out of range")
	// ErrEmpty reports that there is no data to compute a result from.
	ErrEmpty = errors.New("no data")
	// ErrInvalid reports input that is malformed in a way other than a range: corrupt
	// encodings, inconsistent fields, an unknown version.
	ErrInvalid = errors.New("invalid input")
	// ErrNotConverged reports that a model fit (maximum likelihood) stopped before its
	// optimiser met the convergence criterion: the parameters it reached are not an estimate.
	ErrNotConverged = errors.New("fit did not converge")
	// ErrNotIdentified reports that a model fit reached a point the data cannot pin down: the
	// parameters ran off towards a boundary, the information matrix is singular, or the
	// standard errors are not finite (identical histories, too few periods, a run-off).
	ErrNotIdentified = errors.New("model not identified by the data")
	// ErrIncompatible reports two values that cannot be combined: accumulators on different
	// scales, calendars, schedules or options; a model fitted in one time unit used in another.
	ErrIncompatible = errors.New("incompatible values")
	// ErrTooSmall reports a sample too small for the method asked for: a comparison whose
	// normal approximation does not hold (an expected count below 1, a zero standard error).
	ErrTooSmall = errors.New("sample too small for the method")
)

// Interval is a confidence interval for an estimate, in the estimate's units.
type Interval struct {
	Lower      float64 `json:"lower"`
	Upper      float64 `json:"upper"`
	Confidence float64 `json:"confidence"` // e.g. 0.95
}

// Width is Upper − Lower.
func (i Interval) Width() float64 { return i.Upper - i.Lower }

// Contains reports whether x lies in the closed interval [Lower, Upper].
func (i Interval) Contains(x float64) bool { return x >= i.Lower && x <= i.Upper }

// String formats the interval as "[lower, upper] (95%)" with two decimals.
func (i Interval) String() string {
	return fmt.Sprintf("[%.2f, %.2f] (%g%%)", i.Lower, i.Upper, math.Round(i.Confidence*1000)/10)
}

// Comparison is the outcome of testing the difference between two estimates (A − B).
type Comparison struct {
	Difference float64 `json:"difference"` // A − B, in the estimates' units
	StdErr     float64 `json:"std_err"`    // standard error of the difference
	Z          float64 `json:"z"`          // Difference / StdErr (a t statistic where the package says so)
	P          float64 `json:"p"`          // two-sided p-value
}

// Significant reports whether the difference is significant at level alpha (P < alpha).
func (c Comparison) Significant(alpha float64) bool { return c.P < alpha }

// Fit describes how a maximum-likelihood fit ended, for the models of clv and churn.
type Fit struct {
	LogLikelihood float64 `json:"log_likelihood"` // maximised log-likelihood
	Iterations    int     `json:"iterations"`     // optimiser iterations
	Evaluations   int     `json:"evaluations"`    // objective evaluations
	Converged     bool    `json:"converged"`      // the optimiser met its convergence criterion
	Method        string  `json:"method"`         // optimiser used, e.g. "BFGS"
}

// Estimate is one parameter of a fitted model with its asymptotic standard error: the square
// root of the matching diagonal element of the inverse observed information matrix (the
// Hessian of the negative log-likelihood at the maximum), as R's optim(hessian = TRUE) and
// Python's lifetimes report it. The standard error is NaN where the information matrix is
// singular (a parameter the data do not identify).
type Estimate struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	StdErr float64 `json:"std_err"`
}

// Interval returns the Wald interval Value ± z·StdErr at the given confidence (0.95 for 95%).
// Both bounds are NaN for a confidence outside (0, 1) or a NaN standard error. For a positive
// parameter the lower bound can fall below zero: the interval is symmetric by construction.
func (e Estimate) Interval(confidence float64) Interval {
	if !(confidence > 0 && confidence < 1) {
		return Interval{Lower: math.NaN(), Upper: math.NaN(), Confidence: confidence}
	}
	z := distuv.UnitNormal.Quantile(0.5 + confidence/2)
	return Interval{Lower: e.Value - z*e.StdErr, Upper: e.Value + z*e.StdErr, Confidence: confidence}
}

// String formats the estimate as "name = value (SE se)".
func (e Estimate) String() string {
	return fmt.Sprintf("%s = %.4g (SE %.2g)", e.Name, e.Value, e.StdErr)
}
