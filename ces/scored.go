package ces

import "github.com/cxkit/cxkit"

var _ cxkit.Scored = Result{}

// Metric names the metric: "CES" (the [cxkit.Scored] view).
func (r Result) Metric() string { return "CES" }

// Headline is r.Score (the [cxkit.Scored] view).
func (r Result) Headline() float64 { return r.Score }

// Bounds are the range of the score, 0..100 (the [cxkit.Scored] view).
func (r Result) Bounds() (lo, hi float64) { return 0, 100 }

// Count is r.Responses (the [cxkit.Scored] view).
func (r Result) Count() int { return r.Responses }

// Effective is r.EffectiveN, the Kish effective sample size (the [cxkit.Scored] view).
func (r Result) Effective() float64 { return r.EffectiveN }

// StandardError is r.StdErr, in score points (the [cxkit.Scored] view).
func (r Result) StandardError() float64 { return r.StdErr }
