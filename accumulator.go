package cxkit

import (
	"encoding"
	"encoding/json"
)

// Accumulator is the one contract every cxkit accumulator satisfies (nps.Tally, csat.Tally,
// ces.Tally, churn.Tally, responsetime.Tracker, clv.RFMAccumulator, journey.Accumulator):
//
//   - its zero value is ready to use (options, where it has any, are fields set before the
//     first Add, and become part of what it is);
//   - Add takes one observation and rejects a bad one with an error naming the value, wrapping
//     a sentinel; nothing is dropped silently;
//   - Merge adds another accumulator's content, and refuses with an error (wrapping
//     [ErrIncompatible] or [ErrOutOfRange]) what cannot be merged: another scale, calendar,
//     schedule or option set, or counts that would overflow. On error the receiver is unchanged;
//   - Result reads the accumulated state out without changing it; an empty accumulator gives
//     an error wrapping [ErrEmpty];
//   - MarshalBinary / UnmarshalBinary encode the state in a versioned, checksummed binary form,
//     and MarshalJSON / UnmarshalJSON in JSON; decoding checks the checksum and the decoded
//     state's consistency, so corrupt bytes are an error, never a different accumulator.
//
// Merging any split of the data, in any order, gives the same Result as one pass over it
// (exactly for counts and sums; within the documented bound for sketched quantiles). That is
// what lets an accumulator run unchanged as a distributed engine's combiner (the nested module
// github.com/cxkit/cxkit/beam adapts any Accumulator to an Apache Beam CombineFn).
//
// In is the observation type, Out the result type, and Self the accumulator's own pointer
// type, so that Merge is typed: a package checks its accumulator at compile time with
//
//	var _ cxkit.Accumulator[int, Result, *Tally] = (*Tally)(nil)
type Accumulator[In, Out, Self any] interface {
	Add(In) error
	Merge(Self) error
	Result() (Out, error)
	encoding.BinaryMarshaler
	encoding.BinaryUnmarshaler
	json.Marshaler
	json.Unmarshaler
}

// Scored is the read-only view that the survey results share (nps.Result, csat.Result,
// ces.Result), so that reports and the journey package treat the three metrics alike.
type Scored interface {
	// Metric names the metric: "NPS", "CSAT" or "CES".
	Metric() string
	// Headline is the score as CX practice defines it (NPS −100..100; CSAT, CES 0..100).
	Headline() float64
	// Bounds are the lowest and highest values Headline can take.
	Bounds() (lo, hi float64)
	// Count is the number of responses behind the score.
	Count() int
	// Effective is the Kish effective sample size (Σw)²/Σw²; equal to Count for unweighted data.
	Effective() float64
	// StandardError is the standard error of Headline, in its units.
	StandardError() float64
	// Interval is the confidence interval of Headline by the method the package documents.
	Interval(confidence float64) Interval
}
