// Package nps computes the Net Promoter Score (NPS) and its uncertainty.
//
// # The metric
//
// NPS comes from one survey question, "How likely are you to recommend us to a friend or
// colleague?", answered on an 11-point scale from 0 (not at all likely) to 10 (extremely likely).
// Each answer puts the respondent in one of three groups:
//
//	0-6   detractor
//	7-8   passive
//	9-10  promoter
//
// and the score is the share of promoters minus the share of detractors, in percentage points:
//
//	NPS = 100 × (promoters − detractors) / responses        (−100 .. 100)
//
// Passives count in the denominator only. cxkit computes the score in floating point from the
// counts, never from rounded percentages and never by integer division.
//
// # Uncertainty
//
// NPS is a difference of two proportions from the same multinomial sample, so its variance is
// not that of a single proportion. With p and d the promoter and detractor shares and n the
// number of responses, the variance of p − d is
//
//	Var = (p + d − (p − d)²) / n
//
// [Result.StdErr] is its square root in NPS points. [Result.WaldInterval] is the plain Wald
// interval score ± z·SE. [Result.Interval] is the adjusted-Wald interval recommended by
// Rocks (2016) and MeasuringU (Sauro & Lewis): add ¾ of a promoter and ¾ of a detractor (so
// n + 3 responses) before computing the Wald interval. It keeps its nominal coverage far better
// for small samples and scores near ±100; both intervals are clamped to [−100, 100]. For 50
// promoters, 30 passives and 20 detractors the 95% intervals are Wald 30.0 [14.69, 45.31] and
// adjusted-Wald 29.13 [14.05, 44.20]: note that the adjusted interval is centred on the adjusted
// estimate, while Result.Score stays the plain NPS.
//
// # Weights
//
// Survey weights (post-stratification, for example) are added with [Tally.AddWeighted]. Counts
// become sums of weights and the score uses them; the uncertainty uses the Kish effective
// sample size n_eff = (Σw)²/Σw² instead of n, the usual design-effect approximation. With unit
// weights n_eff equals the number of responses, so weighted and unweighted results agree.
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
// [ErrTooSmall]) samples below the size where it holds: every expected count of promoters and
// detractors at least 1 (Campbell 2007), never a p-value from a zero standard error. [Groups]
// pools answers by any comparable key (a segment name, a month as a time.Time) and reports
// each group that holds a response with its change from the previous group (naming that
// group's key) and its difference from the rest. A report over many groups makes many
// comparisons: [Groups.ReportWith] adjusts each family's p-values for multiple comparisons
// with [cxkit.Adjust] (Holm by default in [Groups.Report], or Benjamini–Hochberg).
//
// # One call, planning
//
// [Score] computes a [Result] from a slice in one call; a []uint8 slice takes a fast path that
// classifies eight ratings per step, on every core from [ParallelThreshold] ratings.
// [SampleSize], [SampleSizeExpected] and [SampleSizeDifference] plan surveys; a size that does
// not fit in an int is an error.
//
// # Caveats
//
//   - Compare pooled counts, never averages of scores: the NPS of two months together is not the
//     mean of the two monthly scores unless both months have the same number of responses.
//     [Groups] pools counts for that reason.
//   - A difference of a few points between two small samples is usually noise: at 100
//     responses the standard error of NPS is typically 6-9 points. Use [Compare] before
//     reporting a change, and [SampleSize] before running the survey.
//   - The 0-6 / 7-8 / 9-10 cut-offs are part of the NPS definition (Reichheld 2003); other
//     scales are not NPS. Ratings outside 0..10 are errors, never clamped.
//
// # Errors
//
// A rating outside 0..10 is an error naming the rating and its position that wraps
// [ErrOutOfRange]; so is a negative, NaN or infinite weight. No responses is [ErrEmpty]. Corrupt
// encodings wrap [ErrInvalid]. Nothing panics on data.
//
// References: Reichheld (2003), "The One Number You Need to Grow", Harvard Business Review;
// Rocks (2016), R package NPS; Sauro & Lewis (2016), Quantifying the User Experience, 2nd ed.;
// Kish (1965), Survey Sampling.
package nps
