// Package ces computes the Customer Effort Score (CES), the mean ease rating, net effort and
// their uncertainty.
//
// # The metric
//
// CES asks how easy it was to get an issue handled. The score is the share of answers in the
// easy boxes of the scale, in percent:
//
//	CES = 100 × easy responses / responses        (0 .. 100)
//
// computed in floating point from the counts. Two questions are in use, and a [Scale] knows
// which one it is:
//
//	FivePoint        1-5 ease/agreement, higher = easier   easy 4-5, hard 1-2 (the seed formula; default)
//	SevenPoint       CES 2.0, 1-7 agreement with "The company made it easy for me to handle my
//	                 issue"                                 easy 5-7, hard 1-3, 4 neutral
//	FivePointEffort  CES 1.0, 1-5 "How much effort did you personally have to put forth to
//	                 handle your request?", lower = easier  easy 1-2, hard 4-5
//
// # Direction
//
// CES 1.0 runs the other way: 1 is "very low effort". A scale with LowerIsEasier maps every
// raw answer r to Min + Max − r before anything is computed (on 1-5: 1 → 5, 2 → 4, 3 → 3,
// 4 → 2, 5 → 1), so that [Result.Score], [Result.Mean] and every interval and comparison read
// "higher = easier" on every scale, and a CES 1.0 survey and a 1-5 ease survey with mirrored
// answers give identical results. [Result.RawMean] converts the mean back to the raw effort
// reading (lower = easier) for teams that report CES 1.0 that way, and [Scale.Ease] maps a
// single answer. Tallies store raw answers, so [Tally.Weight] takes raw ratings.
//
// # The mean and net effort
//
// Many teams report the mean of the CES 2.0 answers (a number from 1 to 7) rather than the
// top-box share. [Result.Mean] is that mean (on the higher = easier reading) and
// [Result.MeanInterval] its Student t interval with n − 1 degrees of freedom (t quantiles
// from gonum), clamped to the scale. Some vendors report "net effort", the share of easy
// answers minus the share of hard ones, like NPS: [Result.NetEffort], −100..100; a scale with
// no hard boxes has net effort equal to the score.
//
// # Uncertainty
//
// [Result.StdErr] is the standard error of the score in points, 100·sqrt(p(1 − p)/n);
// [Result.Interval] is the Wilson score interval (Wilson 1927), which keeps its coverage for
// small samples and for scores near 0 or 100. [Compare] tests two independent scores with the
// N−1 two-proportion test (Campbell 2007), and [CompareMeans] two means with Welch's t test.
//
// # Weights
//
// Survey weights are added with [Tally.AddWeighted]. Counts become sums of weights; every
// interval and test uses the Kish effective sample size n_eff = (Σw)²/Σw² in place of n, the
// same n_eff for the share and for the mean. With unit weights n_eff is the number of
// responses.
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
//     Add (FivePoint, the scale of the seed formula) or on the first tally merged into it;
//     [NewTally] and [NewGroups] take any other scale, such as SevenPoint for CES 2.0. The zero
//     Scale stands for FivePoint everywhere.
//   - Scales have at most 11 answers between 0 and 100.
//   - Weights are 0 or between 1e-100 and 1e100, so sums of weights and squared weights can
//     neither underflow nor overflow; anything else is an error, never clamped.
//
// # Caveats
//
//   - Scores from different scales are different metrics: cxkit refuses to merge or compare
//     them. A CES 1.0 survey moved to CES 2.0 starts a new series.
//   - Pool counts, never average scores; [Groups] pools counts.
//   - The mean treats answers as equally spaced numbers; the top-box share does not.
//
// # Errors
//
// A rating off the scale is an error naming the rating and its position that wraps
// [ErrOutOfRange] (e.g. "ces: rating 8 at index 3 is outside 1..7"); so is a negative, NaN or
// infinite weight. Ratings are integers by type, so a fractional answer cannot be passed by
// mistake; ratings that arrive as float64 go through [ScoreFloats], which rejects a fraction
// or NaN ([ErrInvalid]) instead of rounding it. No responses is [ErrEmpty]. Bad scales,
// corrupt encodings and mixing scales wrap [ErrInvalid]. Nothing panics on data.
//
// References: Dixon, Freeman & Toman (2010), "Stop Trying to Delight Your Customers", Harvard
// Business Review (CES 1.0); Dixon, Toman & DeLisi (2013), The Effortless Experience (CES 2.0);
// Wilson (1927); Campbell
// (2007), Statistics in Medicine 26:3661-3675; Sauro & Lewis (2016), Quantifying the User
// Experience, 2nd ed.; Kish (1965), Survey Sampling.
package ces
