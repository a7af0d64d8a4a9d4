// Package clv computes customer lifetime value (CLV): what a customer relationship is worth,
// from the one-line formula to the probabilistic "buy till you die" models of Fader and Hardie
// that analysts use with Python's lifetimes, PyMC-Marketing and R's BTYD.
//
// # Three levels of CLV
//
// [Simple] is the seed formula: annual revenue per customer × relationship years − acquisition
// cost. It is a rough planning number: no discounting, no churn, one value for everybody.
//
// [MarginCLV] and [MarginCLVFinite] add retention and the time value of money (Gupta & Lehmann
// 2003): with a margin m per period, a retention rate r (the share of active customers still
// active a period later) and a discount rate d per period,
//
//	CLV = Σ_{t≥1} m·r^t/(1+d)^t = m·r/(1+d−r)            (infinite horizon)
//	CLV = m·q·(1−q^n)/(1−q),  q = r/(1+d)                 (n periods)
//
// This assumes a contractual setting where churn is observed, constant margins and retention,
// and margins received at the end of each period; m, r and d must refer to the same period.
//
// The probabilistic models work in the non-contractual setting, where customers buy when
// they like and leave without telling anyone: a quiet customer may be gone or merely between
// purchases. They are fitted to each customer's recency, frequency and monetary value (RFM)
// and predict each customer's future purchases, the probability that they are still
// "alive", and their spend; [Projection] turns those into a CLV per customer.
//
// # From transactions to RFM
//
// [Summarize] turns a transaction log ([Transaction]: customer, time, amount) into one
// [Customer] per customer: Frequency x (the number of repeat purchases, i.e. purchase periods
// after the first), Recency t_x (time from the first to the last purchase), T (time from the
// first purchase to the end of the calibration period) and MonetaryValue (the mean amount of
// the repeat purchases; the first purchase is excluded because it differs systematically and
// the spend model describes repeat purchases). Purchases by one customer within the same
// purchase period (a calendar day by default, in a chosen time zone) are merged into one,
// whose amount is their sum, as in lifetimes and BTYD: several orders on one day are usually
// one shopping trip. Times are expressed in an explicit unit (see Time units below); every
// model fitted to the summary then speaks that unit. An optional holdout period records what
// each customer did after the calibration end, for validating predictions.
//
// On the CDNOW 1/10 sample (2,357 customers, first purchase in Q1 1997) with daily periods,
// weeks as the unit and a calibration end of 1997-09-30, Summarize reproduces the published
// summary (Fader, Hardie & Lee 2005) row by row: 2,457 repeat purchases, t_x, T and z̄ to the
// cent and the hundredth of a week.
//
// [RFMAccumulator] builds the same summary in pieces, for logs too large for memory or
// processed by the workers of a distributed engine; its Options (those of Summarize, set
// before the first Add) are part of it, and merging any split of the log gives Summarize's
// result.
//
// # Time units
//
// Every time in the package is a real number in one unit, a [cxkit.Period] (cxkit.Week in the
// CDNOW studies): RFMOptions.Unit, recorded in RFMSummary.Unit and in each model fitted with
// the summary's methods (BGNBD.Unit, ...), and Projection.Unit. The count models measure time
// as a real number of units, so a unit stands for its nominal length ([cxkit.Period.Nominal]):
// a day is 24 hours and a week 7 days exactly, while a month is a twelfth of the mean
// Gregorian year, 365.2425/12 = 30.436875 days, a quarter a fourth of it and a year 365.2425
// days. A model fitted in months therefore predicts E[X(t)] for t such mean months, not for t
// calendar months of 28 to 31 days. A change of unit rescales time and nothing else: fitted in
// days instead of weeks, α (and Pareto/NBD's β) is 7 times larger and r, a, b and s are the
// same, and every prediction at the same span of time is the same (the tests check this on
// CDNOW, for days, weeks and months).
//
// The purchase period (RFMOptions.Period) is a calendar period on the wall clock of
// RFMOptions.Location, as [cxkit.Period.Truncate] places it: a day from midnight, an ISO 8601
// week from Monday, a month, quarter or year from its 1st. Summarize counts whole purchase
// periods between period starts and converts the count to the unit at nominal lengths: with
// daily periods and weekly units 3 days are 3/7 weeks (a day across a daylight-saving change
// counts as one day); with monthly periods and weekly units one month is 4.348 weeks whatever
// its length. With Period = Unit every time is a whole number, as the discrete BG/BB needs.
//
// A [Projection]'s Step and Horizon are in the unit too; [PeriodLength] gives the nominal
// length of another period in it (calendar months in a weekly model: PeriodLength(cxkit.Month,
// cxkit.Week) = 4.348125). The unit is encoded by name ("unit": "week") in the JSON of the
// models and the summary and in both encodings of RFMAccumulator; encodings from before units
// were periods (a unit in nanoseconds) are refused with an error that says so.
//
// # Accumulating and merging
//
// [RFMAccumulator] follows the cxkit accumulator contract ([cxkit.Accumulator]): its zero value is
// ready to use; Add takes one observation and rejects a bad one with an error; Merge adds
// another accumulator's content and refuses, with an error, one that cannot be merged (another
// scale, calendar or option set; counts that would overflow), leaving the receiver unchanged;
// Result reads the state out; MarshalBinary and UnmarshalBinary (versioned, with a CRC-32
// checksum) and MarshalJSON and UnmarshalJSON encode it, and decoding checks the decoded
// state's consistency. Merging any split of the data, in any order, gives the result of one
// pass.
//
// Decisions: customers whose first purchase lies in the last calibration period would have
// T = 0, which no model accepts, so they are listed in RFMSummary.NoHistory instead of being
// silently dropped or silently kept; transactions after the observation end are counted in
// RFMSummary.AfterEnd; amounts must be non-negative (refunds should be netted beforehand).
//
// # Count models
//
// BG/NBD, Pareto/NBD and MBG/NBD model the number of repeat purchases of customers in a
// non-contractual setting ("buy till you die"). Each customer is summarised by x (repeat
// purchases, Customer.Frequency), t_x (time of the last one, Customer.Recency) and T (age,
// Customer.T), in one time unit of the caller's choice; every time given to a fitted model (a
// horizon t) is in that same unit.
//
// While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α) across
// customers. The models differ in how customers die:
//
//   - BG/NBD (Fader, Hardie & Lee 2005): after each repeat purchase the customer drops out with
//     probability p ~ Beta(a, b). A customer with no repeat purchase is alive for sure.
//     FitBGNBD, fields R, Alpha, A, B.
//   - MBG/NBD (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but the customer may also drop
//     out right after the first purchase, so P(alive) < 1 even when x = 0. FitMBGNBD.
//   - Pareto/NBD (Schmittlein, Morrison & Colombo 1987): the lifetime is exponential with rate
//     μ ~ Gamma(s, β), independent of purchases. FitParetoNBD, fields R, Alpha, S, Beta.
//
// Every model gives its LogLikelihood, ExpectedPurchases(t) = E[X(t)] for a new customer,
// ProbabilityOfPurchases(n, t) = P(X(t) = n), ProbabilityAlive(c) at T and
// ConditionalExpectedPurchases(t, c), the expected purchases in (T, T+t] given the history, and
// Predict, which fills both for many customers in parallel.
//
// Formulas. BG/NBD log-likelihood of one customer (FHL 2005, eq. 6):
//
//	ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//	  + ln[ (α+T)^−(r+x) + 1{x>0} a/(b+x−1) (α+t_x)^−(r+x) ]
//
// evaluated with log-sum-exp, so that a customer with thousands of purchases neither overflows
// nor loses the second term. P(alive) = 1 / (1 + 1{x>0} a/(b+x−1) ((α+T)/(α+t_x))^(r+x)), in
// logs. The conditional expectation (FHL 2005, eq. 10) contains
// ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z), z = t/(α+T+t), whose hypergeometric factor
// grows like e^(xz) and overflows for heavy buyers; cxkit applies Euler's transformation,
// which turns the product into (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z): small numerator
// parameters, a series that converges fast and does not overflow. cxkit sums that series
// itself (terms from the coefficients of each purchase count, kept across a batch, until a
// proven geometric bound on the rest is below 1e-17 of the sum; F − 1 summed apart so that
// ln F keeps its digits when F is near 1) and leaves the rest to gonum's mathext.Hypergeo.
// The same rewriting serves E[X(t)] (eq. 9) and MBG/NBD. P(X(t) = n) is eq. 8, with the negative binomial tail given by
// the regularised incomplete beta function instead of a finite sum. MBG/NBD shifts b+x−1 to
// b+x, B(a, b+x) to B(a, b+x+1) and keeps the second likelihood term for x = 0 as well;
// E[X(t)] = b/(a−1) (1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))).
//
// The Pareto/NBD likelihood is the form of Fader & Hardie's note 008 ("A Note on Deriving the
// Pareto/NBD Model and Related Expressions", 2005), in logs:
//
//	ln Γ(r+x) − ln Γ(r) + r ln α + s ln β
//	  + ln[ (α+T)^−(r+x) (β+T)^−s + s/(r+s+x) A0 ]
//
// where A0 is a difference of Gauss hypergeometric functions
// 2F1(r+s+x, s+1; r+s+x+1; (α−β)/(α+τ)) at τ = t_x and τ = T when α ≥ β, and the symmetric
// form with α and β swapped and s+1 replaced by r+x when α < β, so that the argument of 2F1
// always lies in [0, 1) where gonum's mathext.Hypergeo (Cephes) is accurate. P(alive) =
// 1 / (1 + s/(r+s+x) (α+T)^(r+x) (β+T)^s A0), in logs, with the 2F1 summed as its power
// series (all terms positive, so exact to rounding) where it converges and by Hypergeo
// elsewhere. E[X(t)] = rβ/(α(s−1)) (1 − (β/(β+t))^(s−1))
// (rβ/α ln(1+t/β) at s = 1); the conditional expectation is
// P(alive) (r+x)(β+T)/((α+T)(s−1)) (1 − ((β+T)/(β+T+t))^(s−1)). P(X(t) = n) integrates the
// probability of n purchases before death over the time of death, with gonum's Gauss–Legendre
// quadrature.
//
// Numerics at the extremes. Where a hypergeometric series would need too many terms or
// overflows (A0 with huge x and α far from β; the BG/NBD expectation when a and x are both
// huge), the code integrates the defining expression instead: A0 as ∫ (α+τ)^−(r+x)
// (β+τ)^−(s+1) dτ in a logarithmic variable, the BG/NBD expectation as an expectation over
// the posterior Beta distribution of p, both with Gauss–Legendre quadrature around the peak.
// Tests check both routes against each other and against independent quadrature, so that
// heavy buyers (x in the thousands) get finite, correct values where lifetimes returns NaN or
// overflows (its issues #25, #332, #445).
//
// Fitting. Each model is fitted by maximum likelihood over the logs of its four parameters
// with gonum's BFGS (Nelder–Mead as fallback), with analytic gradients:
// digamma terms for BG/NBD and MBG/NBD; for Pareto/NBD the derivatives of its hypergeometric
// terms 2F1(a, b; a+1; z), summed in the same pass as the series itself (gonum gives the
// function, not its parameter derivatives), and derivatives under the integral sign where the
// likelihood is integrated. Customers are first
// compressed into distinct (x, t_x, T) histories with weights (see Compress), and terms that
// depend on x alone are computed once per distinct x, so the cost of an iteration grows with
// the number of distinct histories, not customers; large inputs are evaluated on all cores.
// With more than 20,000 distinct histories a fit first runs on a systematic subsample of
// about 5,000, then fits the full data from that optimum in coordinates where the
// subsample's Hessian is the identity, scaled so that BFGS's first step is the Newton step,
// so that it starts with nearly the right curvature and needs few full-data iterations (a
// million all-distinct histories: BG/NBD about 0.55 s, Pareto/NBD about 2.5 s on two cores);
// no full-data gradient is evaluated twice at the same point (BFGS's start is where the step
// length was measured; the identification check's gradient at the estimates is BFGS's last
// one whenever ln e^θ gives θ back).
// Data without any repeat
// purchase do not identify the models and are ErrInvalid. A fit that does not converge is an
// error wrapping [ErrNotConverged], never a silent estimate. A fit that converges is checked
// for identification, and is an error wrapping [ErrNotIdentified] that says why when a
// parameter ran off beyond e^±15 of its natural scale (1 for the shape parameters, the mean
// age T for α and β, the mean spend for the Gamma-Gamma γ, so the check does not depend on
// the units), when the observed information matrix (taken from differences of the analytic
// gradient) is singular or not positive definite, or when a log-parameter's standard error
// exceeds 10 (the data do not fix its order of magnitude): identical histories, three
// customers or a small sample that drives a and b of BG/NBD to 0 are errors, not "converged"
// fits. The model's Fit
// field records the method, iterations, evaluations and the maximised log-likelihood, and each
// model's Estimates method gives its parameters with asymptotic standard errors (the inverse
// of the observed information, as lifetimes' summary; BG/NBD on CDNOW matches it to six
// decimals), from which Estimate.Interval makes Wald intervals. The information matrix is
// computed on the compressed histories from central differences of the analytic gradient
// (eight gradients for four parameters, evaluated in parallel; four after a fit, see below),
// so Estimates costs a few likelihood evaluations, not the ~41 of a Hessian by differences of
// the likelihood.
//
// Reusing the compressed histories. Estimates usually follows the fit on the same customers,
// and grouping a million histories costs as much memory as the fit itself, so the count
// models remember the compressed histories of the last slice of 4,096 or more customers they
// compressed (in a fit, Estimates or LogLikelihood of BG/NBD, MBG/NBD or Pareto/NBD: the
// three read the same histories) and reuse them when called again on the same slice. The
// reuse is exact and safe: the slice's identity (the address of its first element and its
// length) only selects the candidate, and the customers are then checked, in one parallel
// pass of a few milliseconds per million, to hold bit for bit the Frequency, Recency, T and
// weight of the remembered histories (and a valid MonetaryValue, so that an invalid customer
// is still reported); a different slice, a shorter view, a slice changed in place since the
// fit or a new slice at a recycled address is compressed afresh. Reused histories are thus
// those a fresh compression would give, and every result is the same to the last bit. The
// fit also keeps, with them, the gradients its identification check evaluated at θ + h e_j
// (the forward half of the information matrix's differences, taken at θ = ln p exactly as
// Estimates takes it): Estimates at the fitted parameters then evaluates only the other half,
// four gradients instead of eight, and gets the same matrix to the last bit.
// Decisions: the models stay plain comparable values (a hidden link from a fitted model to its
// data would break ==, testify's Equal and JSON round trips), so the memory is a small
// package-level cache instead; it holds one entry, safe for concurrent use, whose size is
// about 40 bytes per distinct history (plus 4 bytes per customer when histories repeat), less
// than the customers themselves; it keeps the address as an integer, not the customers alive,
// and a cleanup attached to the customers' memory drops the entry when that memory is
// collected, so the entry never outlives the data it describes; repeated histories with
// weights other than 1 are not remembered (checking them would need the group sums).
//
// Predict fills P(alive) and the conditional expectation for a slice of customers on all
// cores, with a small per-worker cache of recent histories: repeated histories (CDNOW's
// 2,357 customers have 1,016 distinct ones) cost a table look-up. For BG/NBD and MBG/NBD
// the costly hypergeometric factor of the conditional expectation depends on x and T only,
// and is cached by (x, T) as well, so customers whose ages lie on a day grid (any summary of
// a daily log) share it even when their recencies differ. Where that factor's 2F1 converges
// slowly (z = t/(α+T+t) above 1/2), Predict evaluates it from Taylor polynomials at anchor
// points kept per purchase count (32 cells an octave of 1 − z), truncated by a proven bound
// at the same 1e-17 as the power series: a dozen multiply-adds instead of a few hundred
// series terms. Its expectations are therefore not the single calls' bit for bit, but agree
// with them to rounding: typically equal or a few ulps apart, at most 1e-13 relative times
// the condition number of 1 − (1−z)^(a−1)·2F1 (large only where that difference cancels, as
// for a near 1 or a huge b, where both paths lose the same digits). P(alive) is identical,
// and no value depends on the order of the customers or the size of the batch. Pareto/NBD's
// P(alive) sums the 2F1 of its A0 term as a power series where the series converges (exact
// to rounding: its terms are all positive; gonum's Hypergeo elsewhere), and Predict keeps that
// series' coefficients per purchase count in each worker, so that its values equal the single
// calls' bit for bit.
//
// Caveats. The models assume stationary purchase rates and no seasonality, and they need a
// calibration period long enough to see repeat purchases. In Pareto/NBD, β is weakly
// identified on typical data (the likelihood is flat along a ridge in s and β): compare fits
// by log-likelihood rather than by β. Results are in the time unit of the input: a model
// fitted in weeks predicts E[X(t)] for t weeks. BGNBD, MBGNBD and ParetoNBD satisfy
// PurchaseModel.
//
// # Spend: the Gamma-Gamma model
//
// [FitGammaGamma] fits the Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee
// 2005, JMR; Hardie's note 025). Each customer's transaction values are gamma(p, ν) with mean
// p/ν; ν varies across customers as gamma(q, γ) (field V). Given x repeat purchases with mean
// z̄, the expected spend per future transaction is a weighted average of the population mean
// and the customer's own mean:
//
//	E(Z | x, z̄) = (p·γ + p·x·z̄)/(p·x + q − 1)
//
// so a customer with one $10 purchase is pulled towards the population mean p·γ/(q−1), and
// one with 50 purchases keeps roughly their own mean ([GammaGamma.ConditionalExpectedSpend]).
// The model assumes that spend is independent of purchase frequency: check that the
// correlation between x and z̄ among repeat buyers ([SpendFrequencyCorrelation]) is small
// (0.11 on CDNOW) before using it.
// It needs q > 1 for the mean to exist (an error otherwise), it is fitted on repeat buyers
// only ([RepeatBuyers]; a customer with x = 0 passed to the fit is an error, not a silent
// drop), and spends must be positive. On the 946 repeat buyers of CDNOW it gives p = 6.2488,
// q = 3.7446, γ = 15.4478, the published estimates.
//
// # Discrete time: the BG/BB model
//
// When transactions can only happen at discrete opportunities (an annual fundraising drive, a
// yearly conference, a monthly box), [FitBGBB] fits the beta-geometric/beta-Bernoulli model
// of Fader, Hardie & Shang (2010) to [Discrete] histories: x transactions in n opportunities,
// the last at t_x. While alive a customer transacts at each opportunity with probability
// p ~ beta(α, β); after each opportunity they die with probability θ ~ beta(γ, δ). The model
// gives [BGBB.ProbabilityAlive] (alive at opportunity n+1), the expected transactions in the
// next k opportunities [BGBB.ConditionalExpectedTransactions], and, for a new customer,
// [BGBB.ExpectedTransactions] and the distribution [BGBB.ProbabilityOfTransactions].
// [RFMSummary.Discrete] turns a transaction log summarised with Period = Unit (one period per
// opportunity) into BG/BB histories. On the
// donations data of the paper (11,104 donors, 6 years) it reproduces α = 1.204, β = 0.750,
// γ = 0.657, δ = 2.783, LL = −33,225.6, the P(alive) of its Table 6 and the expectations of
// Hardie's spreadsheet.
//
// # CLV projection
//
// [Projection] combines a fitted purchase model (any [PurchaseModel]: BG/NBD, Pareto/NBD,
// MBG/NBD) with a Gamma-Gamma spend model:
//
//	CLV = Σ_{k=1}^{K} E(Z | x, z̄) · ΔE[purchases in step k] / (1+d)^k
//
// over K cash-flow steps of a given length, discounting each step's revenue at its end. Every
// time is in the unit the model was fitted in, named by Unit: the step (Step) and the horizon
// (Horizon) are numbers of that unit, and the discount rate is per step. This closes the
// units trap of lifetimes, whose customer_lifetime_value assumes by default that the data are
// in days and a month is 30 of them: applied to CDNOW's weekly summary, its documented
// 12-month values are really 360-week values (lifetimes issues #27, #194, #215). The tests
// reproduce those documented numbers (to 1e-7) by declaring the unit as a day, and show the
// correct 12-month values of the first ten CDNOW customers to be 3.6 to 4.6 times smaller.
//
// Units are recorded: a model fitted with the RFMSummary methods (s.FitBGNBD(), ...) keeps
// the summary's unit in its Unit field, and a Projection in another unit is an error wrapping
// [ErrIncompatible] rather than a value off by a factor of seven. Projection.Unit is required
// (Step and Horizon are numbers of it), so swapping a weekly model for a monthly one cannot
// silently turn 52 weeks into 52 months.
//
// Zero-value repeat buyers. Real logs have repeat buyers whose repeat purchases are all worth
// 0 (free samples, full refunds); the Gamma-Gamma model cannot take a zero mean spend.
// [Spenders] splits a summary's histories into the repeat buyers to fit the spend model on
// and the zero-value ones, to count and report; [Projection.ZeroSpend] chooses how the
// projection values the latter: an error naming the customer (the default), the population
// mean spend, or zero. Errors about a customer name it by its ID (Customer.ID, which
// Summarize fills) and its index.
//
// The result is expected revenue; multiply by a margin for profit and subtract acquisition
// cost as needed. The projection treats spend and purchases as independent (the Gamma-Gamma
// assumption) and takes the models' point estimates, without parameter uncertainty.
//
// # Fitting, numerics and errors
//
// Every model is fitted by maximum likelihood over the logarithms of its positive parameters
// with gonum's BFGS (falling back to Nelder–Mead), with analytic
// gradients for Gamma-Gamma and BG/BB. The objective is the log-likelihood per unit weight, so
// that convergence tolerances do not depend on the number of customers, and identical histories
// are merged first: the cost of a fit grows with the number of distinct histories, not of
// customers. The Gamma-Gamma fit groups its log-gamma terms by frequency (one logarithm per
// customer and iteration: a million distinct customers fit in about a third of a second on two
// cores), and Gamma-Gamma fits over 32,768 distinct customers and projections of over 4,096
// customers use every core, with results that do not depend on the number of cores;
// projections also remember recent identical customers, so repeated histories are computed
// once per worker (CDNOW repeated to a million customers projects in about 0.2 s).
// Likelihoods are computed in log space (log-beta and log-gamma from gonum and the
// standard library, log-sum-exp for the BG/BB sums), so customers with thousands of purchases
// or opportunities neither overflow nor produce NaN. Each fitted model carries a cxkit.Fit
// with the log-likelihood, iterations, evaluations, the method and the convergence status; a
// fit that does not converge is an error, never a silent result.
//
// Bad input is an error that names the offending value and the customer's index and wraps
// [ErrOutOfRange], [ErrEmpty] or [ErrInvalid]: negative or non-finite values, recency greater
// than T, repeat purchases with zero recency, zero or negative spend for Gamma-Gamma, an empty
// customer ID or a zero time in a transaction log.
//
// # References
//
//   - Fader, Hardie & Lee (2005), "Counting your customers the easy way: an alternative to the
//     Pareto/NBD model", Marketing Science 24(2).
//   - Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves for customer base
//     analysis", Journal of Marketing Research 42(4); Fader & Hardie (2013), "The Gamma-Gamma
//     model of monetary value" (note 025).
//   - Fader, Hardie & Shang (2010), "Customer-base analysis in a discrete-time noncontractual
//     setting", Marketing Science 29(6).
//   - Gupta & Lehmann (2003), "Customers as assets", Journal of Interactive Marketing 17(1).
package clv
