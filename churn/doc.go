// Package churn measures how many customers leave, when, and how many a cohort will keep:
// churn and retention rates, cohort retention tables, Kaplan–Meier survival curves with the
// log-rank test, and the shifted-beta-geometric (sBG) model for projecting contractual
// retention and valuing the customers who remain.
//
// # Rates
//
// For one period with S customers at the start, A acquired during it and E at the end,
//
//	lost = S + A − E,   churn = lost / S,   retention = 1 − churn.
//
// Customers acquired during the period are not part of the base the rate is measured on:
// they enter the next period's base. From counts alone ([Rates]) that rule assumes every new
// customer is still there at the end — counts cannot tell a new customer who left from an old
// one, so E < A is an error rather than a guess. From an event log ([RatesFromLog], a list of
// [Subscription] with start and end times) the new customers who left are counted separately
// (LostAcquired) and the rate stays exact. A constant per-period rate compounds:
// annual = 1 − (1 − monthly)¹² ([MonthlyToAnnual], [AnnualToMonthly], [CompoundRate]); 5% a
// month is 46% a year, not 60%.
//
// # Cohorts
//
// [CohortRetention] groups subscriptions by acquisition period and counts, for each cohort,
// those still subscribed 1, 2, … periods later; [ActivityRetention] does the same for activity
// records (active at least once in the period). Young cohorts have not yet reached their later
// columns: those cells are absent from the ragged rows (and [CohortMatrix.At] reports them as
// not observed) instead of being zero, which would read as churn. Periods are calendar
// periods ([cxkit.Period]: cxkit.Day, Week, Month, Quarter, Year) stepped from an origin.
//
// # Kaplan–Meier
//
// A [Subject] is one customer: Duration since they started, and Churned (false means still a
// customer: right-censored). [KaplanMeier] estimates the survival curve
//
//	S(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ)
//
// over the distinct churn times tᵢ, with dᵢ churners among nᵢ at risk. The [Curve] is a
// right-continuous step function ([Curve.At]); its variance is Greenwood's,
// Var(log S) = Σ dᵢ/(nᵢ(nᵢ−dᵢ)); confidence bands use the log-log transform
// S^exp(±z·σ/log S) ([Curve.Interval], [Curve.Bands]), R survfit's conf.type = "log-log" and
// lifelines' default, which keeps them inside [0, 1]. The number at risk is reported at every
// row. Weights (Subject.Weight) act as case counts, and late entry (Subject.Entry, left
// truncation: customers already some months old when tracking began) removes a subject from
// the risk sets before it entered. Results match R survival 3.5.3 to 1e-9 (see the tests).
//
// The median lifetime ([Curve.Median], [Curve.Quantile]) follows R: the first time S ≤ 0.5,
// except that when S is exactly 0.5 over an interval it is the midpoint to the next churn
// time. When the curve never reaches 0.5 — low churn, or mostly censored subjects — the
// median is undefined and returned as NaN: the data only say it lies beyond the last time
// observed. [Curve.MedianInterval] gives the Brookmeyer–Crowley limits R prints (the times at
// which the lower and upper bands reach 0.5), NaN where a band never does. Subjects who are
// all still customers give a valid curve that stays at 1.
// Reading the curve beyond the last observed time returns its last value, which is not an
// extrapolation; use the sBG model to project.
//
// [CompareAt] compares two curves at one time (the difference in the share retained, with
// Greenwood standard errors and a z test); [LogRankTest] compares two or more groups (plans, personas, channels): the log-rank χ²
// (R survdiff with rho = 0), using a generalised inverse of the covariance so that the degrees
// of freedom are its rank.
//
// [KaplanMeier] sorts durations with a linear-time radix sort: on 1 M subjects with distinct
// durations it runs in about 0.16–0.2 s on the 2-core CI machine, about 20× faster than R's
// survfit on the same data (bench/churn has the script and figures). [LogRankTest] reuses the
// sorted order of each group's table and merges the groups' event times, so it costs about
// what Kaplan–Meier on the same subjects costs. [Tally] is the mergeable
// form: it keeps the weight of churn and censoring per distinct duration (the sufficient
// statistic), merges across workers, encodes with MarshalBinary/JSON, and gives exactly the
// curve of a single pass. Round durations (to whole days, say) before tallying millions of
// customers, since its size grows with the number of distinct durations.
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
// For a Tally, "cannot be merged" means a total weight above [MaxTotalWeight]; decoding checks
// that times ascend, weights are finite, and late entries are accounted for by later
// durations (so no number at risk is negative). Subject weights lie in [MinWeight, MaxWeight],
// the bounds of the survey packages.
//
// # Shifted-beta-geometric model
//
// In a contractual business (subscriptions renewed each period) Fader & Hardie (2007, "How to
// project customer retention", Journal of Interactive Marketing 21(1)) model each customer as
// renewing with a constant probability 1 − θ, with θ distributed Beta(α, β) across customers.
// Then
//
//	P(T = t) = B(α+1, β+t−1)/B(α, β),   S(t) = B(α, β+t)/B(α, β),
//	r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1),
//
// so aggregate retention rises over time as the customers most prone to leave go first —
// the pattern a constant-rate (geometric) projection misses, which is why it under-projects.
// [FitSBG] takes alive[t], the number of a cohort still active after t renewals (alive[0] is
// the cohort size), and maximises the likelihood Σₜ (alive[t−1] − alive[t]) ln P(T=t) +
// alive[last] ln S(last) over (ln α, ln β) with gonum's BFGS and an
// analytic gradient. Likelihood and survival use the exact product forms S(t) = Π r(j) and
// P(T=t) = S(t−1)·α/(α+β+t−1) instead of log-beta differences, which cancel catastrophically
// when α and β are very large. When retention does not rise over time the maximum lies at
// α, β → ∞ (a homogeneous, constant-rate cohort): the fit is then an error wrapping
// [ErrNotIdentified] that names the constant churn rate the data support, as are a single
// observed period and any other run-off or singular information matrix. [FitSBGCohorts] fits several cohorts of different ages
// jointly with shared parameters — the rows of a cohort matrix ([CohortMatrix.Rows]).
// The fitted [SBG] gives [SBG.Survival], [SBG.ChurnProbability], [SBG.RetentionRate],
// [SBG.Projection] and [SBG.ExpectedLifetime] ((α+β−1)/(α−1), infinite when α ≤ 1 — then use
// the median or a discounted value). [SBG.Estimates] adds the standard errors of α and β
// (inverse observed information) for Wald intervals; they shrink as 1/√(cohort size), so a
// small cohort's projection deserves wide error bars.
//
// [SBG.DERL] is the discounted expected residual lifetime of Fader & Hardie (2010, "Customer-
// base valuation in a contractual setting: the perils of ignoring heterogeneity", Marketing
// Science 29(1), eq. 6) for a customer who has made n−1 renewals:
//
//	DERL(d | α, β, n−1) = (β+n−1)/(α+β+n−1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)),
//
// the expected number of future payments discounted at rate d per period, the next one
// undiscounted; multiplied by the margin per period it is the residual contractual CLV. The
// series is summed directly (gonum's Hypergeo agrees for moderate parameters but stalls for
// large ones). The tests reproduce the published fits of the "regular" (α = 0.704,
// β = 1.182, LL = −1680.3) and "high end" (α = 0.668, β = 3.806, LL = −1611.2) cohorts.
//
// # Why customers leave: Cox regression
//
// [FitCox] fits the Cox proportional-hazards model to subjects and covariates (a detractor
// score, a slow first reply, a plan): the partial likelihood with Efron ties by default or
// Breslow, by Newton–Raphson with step halving as R's coxph, with case weights
// ([Subject.Weight]), strata and late entry. [Cox.Estimates] and [Cox.HazardRatios] give the
// coefficients, their standard errors and hazard ratios with intervals; the fit carries the
// likelihood-ratio, Wald and score tests, Harrell's concordance, the baseline cumulative hazard
// ([Cox.Survival] for a covariate vector) and the proportional-hazards test of cox.zph (km
// transform). A constant, collinear or separating covariate is an error naming it
// (ErrNotIdentified), never a silently huge coefficient. The tests check every figure against
// R survival's coxph and cox.zph on its standard data sets, to 1e-6.
//
// [Cox.Residuals] gives, on the data of the fit, the residuals behind those summaries: the
// martingale residual of each customer (churned or not, minus the churn the model expected over
// their time at risk; R's residuals(fit, type = "martingale")), the deviance residuals, and the
// Schoenfeld residuals, raw and scaled (cox.zph(fit)$y, with its km-transformed times $x). A
// smoothed plot of a covariate's scaled residuals against time estimates its coefficient β(t):
// a trend is the drift PHTest measures. The score residuals (R's type = "score") feed the
// robust (sandwich) variance of Lin & Wei: [CoxOptions] Robust, or Cluster for several rows per
// customer or account (coxph(... + cluster(id))), replaces Var, StdErr and the Wald test by
// their robust versions and keeps the model-based ones in Cox.NaiveVar and NaiveStdErr. All of
// them match R survival 3.5.3 to 1e-6 on lung, veteran (strata, case weights) and heart (late
// entry).
//
// # Segments
//
// [BySegment] breaks a survival analysis down by plan, persona or region in one call: the
// subjects are grouped by a key function of any comparable type, and each segment gets its
// Kaplan–Meier curve (identical to KaplanMeier on its subjects), the share of the k-group
// log-rank test (observed against expected churn), and a flag when it is too small to trust
// (SegmentOptions.MinSubjects, MinEvents: 30 subjects and 10 events by default). The report
// carries the log-rank test across all segments, χ² with k − 1 degrees of freedom (R's
// survdiff), and with SegmentOptions.Pairwise the test of every pair with p-values adjusted for
// the k(k−1)/2 comparisons by cxkit.Adjust (Holm by default, or Benjamini–Hochberg): with
// five plans, ten independent pairwise tests at α = 0.05 give a 40% chance of a false alarm
// unadjusted.
// [BySubscriptionSegment] does the same from an event log (Subscription), adding each segment's
// churn rates per period (RatesFromLog) and cohort table (CohortRetention). [SegmentTally] is
// the mergeable form (one Tally per segment), whose Report equals BySegment on all the
// subjects added. Segments are ordered by key (ascending, chronological for time.Time, by the
// printed form for other key types). The tests reproduce R's survdiff and survfit on veteran by
// cell type and lung by ECOG score, including the pairwise tests and their p.adjust values.
//
// # Revenue retention
//
// [RevenueRetention] turns recurring-revenue records (customer, period, MRR) into the monthly
// revenue bridge — the base, expansion, contraction, churned and new revenue — with gross
// revenue retention (base − contraction − churn) / base and net revenue retention
// (base + expansion − contraction − churn) / base, the standard SaaS definitions.
//
// # Decisions
//
// Durations in Subject are float64 in a unit the caller chooses (the entry-point contract of
// the design); [NewSubject] converts time.Time values. Cohorts and event logs use time.Time.
// Empty input is ErrEmpty. Invalid input is an error naming the value and its position and
// wrapping ErrOutOfRange (bad values) or ErrInvalid (malformed input). NaN appears only where
// documented: an undefined median, the rates of a period with no customers at its start, an
// undefined retention rate r(t) for t < 1, and a log-rank test with zero variance. JSON writes
// those NaN values (and the infinite Greenwood variance once a curve reaches 0) as null.
package churn
