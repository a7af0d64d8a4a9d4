// Package csat computes the Customer Satisfaction Score (CSAT), the mean satisfaction rating
// and their uncertainty.
//
// # The metric
//
// CSAT comes from a question such as "How satisfied were you with …?" answered on a short
// rating scale. The score is the share of satisfied answers, in percent:
//
//	CSAT = 100 × satisfied responses / responses        (0 .. 100)
//
// where "satisfied" means the top boxes of the scale. cxkit computes it in floating point from
// the counts, never by integer division or from rounded percentages. A [Scale] says which
// answers count: its presets are
//
//	ThreePoint      1-3   satisfied 3      the only answer above neutral
//	FivePoint       1-5   satisfied 4-5    top two boxes: the common definition (default)
//	SevenPoint      1-7   satisfied 6-7    top two boxes
//	SevenPointTop3  1-7   satisfied 5-7    everything above the midpoint
//	TenPoint        1-10  satisfied 9-10   top two boxes
//	TenPointTop3    1-10  satisfied 8-10
//
// Practice differs on 7- and 10-point scales, so the cut-off is a field (TopBoxes) rather
// than a rule: pick the preset your organisation reports and keep it, because scores with
// different cut-offs are not comparable (cxkit refuses to merge or compare them). The presets
// use the top two boxes by default because that keeps the meaning "satisfied or very
// satisfied" of 4-5 on five points.
//
// # The mean rating
//
// Many teams report the mean rating beside, or instead of, the top-box share. [Result.Mean]
// is the (weighted) mean; [Result.MeanInterval] is its Student t interval with n − 1 degrees
// of freedom (t quantiles from gonum), which is the right small-sample interval for a mean and
// is clamped to the scale. The mean uses every answer, so it moves when a 1 becomes a 3 while
// the top-box share does not; the share is easier to explain. Report both.
//
// # Uncertainty
//
// The score is a proportion. [Result.StdErr] is its standard error in points,
// 100·sqrt(p(1 − p)/n), and [Result.Interval] is the Wilson score interval (Wilson 1927),
// which keeps its coverage for small samples and for scores near 0 or 100, where the Wald
// interval p ± z·SE collapses: 45 satisfied of 50 is 90% [78.6, 95.7], and 10 of 10 is
// 100% [72.2, 100] at 95% (Sauro & Lewis 2016, ch. 3). [Compare] tests two independent scores
// with the N−1 two-proportion test that Campbell (2007) found the most accurate for small and
// large samples alike (the pooled z times sqrt((N−1)/N)); [CompareMeans] tests two means with
// Welch's t test.
//
// # Weights
//
// Survey weights are added with [Tally.AddWeighted]. Counts become sums of weights and the
// score and mean use them; every interval and test uses the Kish effective sample size
// n_eff = (Σw)²/Σw² in place of n, and the share's interval and the mean's interval use the
// same weights and the same n_eff. With unit weights n_eff is the number of responses.
//
// # Accumulating and merging
//
// [Tally] follows the cxkit accumulator contract ([cxkit.Accumulator]): its zero value is
// ready to use; Add takes one observation and rejects a bad one with an error; Merge adds
// another accumulator's content and refuses, with an error, one that cannot be merged (another
// scale, calendar or option set; counts that would overflow), leaving the receiver unchanged;
// Result reads the state out; MarshalBinary and UnmarshalBinary (versioned, with a CRC-32
// checksum) and MarshalJSON and UnmarshalJSON encode it, and decoding checks the decoded
// state's consistency. Merging any split of the data, in any order, gives the result of one
// pass.
//
// # Comparing groups
//
// [Compare] tests two results with a normal approximation, and refuses (an error wrapping
// [ErrTooSmall]) samples below the size where it holds: every expected count of the 2×2
// table at least 1 (Campbell 2007), never a p-value from a zero standard error. [Groups]
// pools answers by any comparable key (a segment name, a month as a time.Time) and reports
// each group that holds a response with its change from the previous group (naming that
// group's key) and its difference from the rest. A report over many groups makes many
// comparisons: [Groups.ReportWith] adjusts each family's p-values for multiple comparisons
// with [cxkit.Adjust] (Holm by default in [Groups.Report], or Benjamini–Hochberg).
//
// # One call, planning
//
// [Score] computes a [Result] from a slice in one call, [ScoreFloats] from float64 ratings; a
// []uint8 slice takes a fast path (over a billion ratings per second per core, no
// allocation), on every core from [ParallelThreshold] ratings. [SampleSize],
// [SampleSizeExpected] and [SampleSizeDifference] plan surveys; a size that does not fit in an
// int is an error.
//
// # Decisions
//
//   - A Tally needs a scale. The zero Tally is ready to use and fixes its scale on its first
//     Add (FivePoint, the scale of the seed formula) or on the first tally merged into it
//     (that tally's scale); [NewTally] and [NewGroups] take any other scale. The zero Scale
//     stands for FivePoint everywhere.
//   - Scales have at most 11 answers between 0 and 100; that covers every box scale in use.
//   - Weights are 0 or between 1e-100 and 1e100, so sums of weights and squared weights can
//     neither underflow nor overflow; anything else is an error, never clamped.
//
// # Caveats
//
//   - Pool counts, never average scores: the CSAT of two months is not the mean of the two
//     monthly scores unless both have the same number of responses. [Groups] pools counts.
//   - At 100 responses and a score near 80 the 95% interval is about ±8 points; check a change
//     with [Compare] before reporting it.
//   - Treating ratings as numbers (the mean) assumes equal spacing between answers; the
//     top-box share does not.
//
// # Errors
//
// A rating off the scale is an error naming the rating and its position that wraps
// [ErrOutOfRange] (e.g. "csat: rating 6 at index 4 is outside 1..5"); so is a negative, NaN
// or infinite weight. Ratings are integers by type, so a fractional answer cannot be passed by
// mistake; ratings that arrive as float64 go through [ScoreFloats], which rejects a fraction
// or NaN ("csat: rating 4.5 at index 2 is not a whole number", [ErrInvalid]) instead of
// rounding it. No responses is [ErrEmpty]. Bad scales, corrupt encodings and mixing scales
// wrap [ErrInvalid]. Nothing panics on data.
//
// References: Wilson (1927), JASA 22:209-212; Campbell (2007), Statistics in Medicine
// 26:3661-3675; Sauro & Lewis (2016), Quantifying the User Experience, 2nd ed.; Kish (1965),
// Survey Sampling.
package csat
