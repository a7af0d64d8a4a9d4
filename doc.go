// Package cxkit is a toolkit for customer-experience (CX) metrics.
//
// CX teams measure how customers feel at every touchpoint. cxkit gives them, as small
// independent packages with typed inputs and score functions:
//
//   - [github.com/cxkit/cxkit/nps]: Net Promoter Score. Ratings 0..10; detractors 0-6,
//     passives 7-8, promoters 9-10; NPS = % promoters − % detractors (−100..100).
//   - [github.com/cxkit/cxkit/csat]: Customer Satisfaction Score, the share of satisfied
//     (top-box) answers on a 1-3, 1-5, 1-7 or 1-10 scale, × 100.
//   - [github.com/cxkit/cxkit/ces]: Customer Effort Score, the share of "easy" answers
//     (4-5 on 1-5; 5-7 on the 1-7 CES 2.0 scale), × 100.
//   - [github.com/cxkit/cxkit/responsetime]: first-response and resolution times in calendar
//     or business hours: mean, median, percentiles, SLA breaches, streaming trackers.
//   - [github.com/cxkit/cxkit/clv]: customer lifetime value, from the simple formula to the
//     probabilistic BG/NBD, Pareto/NBD, BG/BB and Gamma-Gamma models.
//   - [github.com/cxkit/cxkit/churn]: churn and retention rates, cohort tables, Kaplan-Meier
//     survival curves and shifted-beta-geometric retention projection.
//
// # The common shape
//
// Every survey metric package (nps, csat, ces) has the same shape, so a user who learned one
// knows the others:
//
//   - Score(...) is the one-call function for a slice of ratings, generic over integer types.
//   - Tally is a mergeable accumulator: its zero value is ready to use; Add, AddWeighted,
//     Merge and Result; binary and JSON encodings, so that partial tallies can be combined in
//     a distributed engine. Merging any split of the data gives the result of one pass.
//   - Result holds the counts, the score as CX practice defines it, its standard error and an
//     Interval(confidence) computed by the method the package documents.
//   - Compare(a, b) tests the difference of two results; SampleSize plans a survey.
//
// # One accumulator contract
//
// Every accumulator in cxkit (nps.Tally, csat.Tally, ces.Tally, churn.Tally,
// responsetime.Tracker, clv.RFMAccumulator, journey's accumulator) follows one contract,
// [Accumulator], checked at compile time in its package: its zero value is ready to use; Add
// takes one observation and rejects a bad one with an error; Merge adds another accumulator's
// content and refuses, with an error, one that cannot be merged (another scale, calendar or
// option set, wrapping [ErrIncompatible]; counts that would overflow), leaving the receiver
// unchanged; Result reads the state out; MarshalBinary and UnmarshalBinary (versioned, with a
// CRC-32 checksum over the whole encoding, so that any single changed byte is an error) and
// MarshalJSON and UnmarshalJSON encode it, and decoding checks the decoded state's
// consistency. Merging any split of the data, in any order, gives the result of one pass. That
// is what lets the same accumulator run as the combiner of a distributed engine (the nested
// module github.com/cxkit/cxkit/beam). Each package doc repeats the contract under
// "Accumulating and merging".
//
// The survey results (nps.Result, csat.Result, ces.Result) share the read-only [Scored] view;
// their grouped reports adjust the p-values of many comparisons with [Adjust] ([Holm],
// [BenjaminiHochberg]), and their comparisons refuse, with [ErrTooSmall], samples too small
// for the normal approximation.
//
// Bad input is never dropped or clamped silently: it is an error that names the offending value
// and its position and wraps a sentinel ([ErrOutOfRange], [ErrEmpty], [ErrInvalid]) that each
// package re-exports, so errors.Is works with either name.
//
// The model packages (clv, churn) fit their models by maximum likelihood: each fitted model
// carries a [Fit] (log-likelihood, iterations, convergence; a fit that does not converge is an
// error wrapping [ErrNotConverged]) and an Estimates method that returns its parameters as
// [Estimate] values with asymptotic standard errors and Wald intervals. [Interval] and
// [Comparison] are the shared forms of an interval estimate and of a test between two results.
//
// # Numbers
//
// Results are float64, and counts of weighted data are float64 too. An empty input is
// ErrEmpty, never NaN. Where a value is mathematically undefined (the interval of a single
// response), the package documentation says so and returns NaN there alone.
package cxkit
