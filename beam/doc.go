// Package cxbeam runs cxkit's metrics inside Apache Beam pipelines, so the same computation
// runs on one machine or on Dataflow, Flink and Spark.
//
// # Combiners
//
// Each metric package's mergeable accumulator becomes a Beam combiner through one generic
// adapter over the cxkit accumulator contract: [NPS], [CSAT], [CES], [ResponseTimes], [Churn],
// [Cohorts], [RFM] and [NewJourney], usable as beam.Combine(s, cxbeam.NPS{}, ratings) and
// beam.CombinePerKey(s, cxbeam.CSAT{Scale: csat.FivePoint}, keyed). Accumulators cross stages
// in their own versioned, checksummed binary encoding (a registered coder), never Beam's
// schema coder, which would drop their unexported fields.
//
// # Customer lifetime value at scale
//
// [CustomerHistories] builds every customer's (x, t_x, T, mean repeat spend) from a
// PCollection of clv.Transaction with a per-customer combine over clv.RFMAccumulator, with
// clv.Summarize's semantics. [DistinctHistories] counts the distinct (x, t_x, T) triples with a
// per-key combine and gathers only those on one worker, where [FitCountModels] fits BG/NBD and
// Pareto/NBD: the fit costs O(distinct triples), not O(customers). The Gamma-Gamma spend model
// needs each repeat buyer's x and mean repeat spend, a continuous value that does not
// compress: [SpendHistories] emits them and [FitSpend] fits clv.FitGammaGamma on one worker.
// Histories, histogram and fits equal the one-machine results exactly (see the package's
// tests on CDNOW and on 300,000 generated transactions).
package cxbeam
