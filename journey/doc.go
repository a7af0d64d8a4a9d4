// Package journey models the customer journey — stages, touchpoints, channels and buyer
// personas — and analyses the experience along it with the metric packages of cxkit (nps, csat,
// ces, responsetime, churn), which it imports and never re-implements.
//
// # The map and the experience at every touchpoint
//
// A [Map] is the designed journey: its [Stage]s in order ([DefaultStages] is awareness →
// consideration → purchase → onboarding → use/support → renewal → advocacy; set Map.Stages to
// replace it), its [Touchpoint]s (each with a stage and a [Channel], an open string type) and
// its [Persona]s. [Map.Validate] names every unknown stage, duplicate ID and touchpoint without
// a stage.
//
// Observations carry a customer ID, so one customer's journey links across them: [Feedback]
// (an NPS, CSAT or CES answer at a touchpoint, CSAT and CES on the scales of [Options]),
// [Contact] (a support contact: a responsetime.Query at a touchpoint), [Visit] and [Outcome]
// (converted or churned, with its time). [Observation] holds any one of them, for a single
// stream.
//
// [Analyze], or an [Accumulator] and its Report method, gives a [Report]: per touchpoint, stage,
// persona and persona × touchpoint the NPS, CSAT and CES results of their packages (with
// intervals), the response-time summary of package responsetime, volume, reach (distinct
// customers) and conversions; groups reaching fewer than Options.MinGroup customers (default
// 30) are marked Small and never flagged, compared or ranked. Scores are read through
// [cxkit.Scored], so the three metrics are handled alike; no score is computed here.
//
// The emotion curve ([EmotionPoint]) puts every touchpoint on one 0..100 scale: a headline
// score h with bounds lo..hi maps to 100·(h − lo)/(hi − lo) (NPS −100..100 → 0..100, CSAT and
// CES keep their 0..100 value), several metrics at one touchpoint are averaged with their Kish
// effective sample sizes as weights, and Mermaid's 1-5 score is 1 + round(value/25).
//
// [PainPoint]s are touchpoint × metric cells flagged by an absolute threshold
// (Options.Thresholds) or by a significant gap below the rest of the journey, tested by the
// metric package's Compare and corrected across all touchpoint × metric tests with Holm's
// method (Benjamini–Hochberg with Options.FDR). Each carries its evidence: the gap, the
// impact (gap × the touchpoint's share of the metric's responses: the points the journey's
// score would gain if the touchpoint reached the rest's level), its importance–performance
// [Quadrant] (Martilla & James 1977) and its [ChurnLift] (Kaplan–Meier retention and the
// log-rank test of package churn, customers with a bad experience there against the others
// who rated it). Pain points are ranked by impact.
//
// [RelativeImportance] decomposes R² into LMG shares (the Shapley value of R², exact over all
// subsets, as R's relaimpo computes it) and Johnson's relative weights; the report's
// [KeyDrivers] use it to say which touchpoints' experience moves customers' likelihood to
// recommend. [PersonaDifference]s test each persona against the other respondents at every
// touchpoint, corrected like the pain points.
//
// Bad observations (unknown touchpoint or persona, a rating off its scale, a missing customer
// or time) are errors naming the observation; with Options.SkipInvalid they are counted in
// Report.Rejected by reason, with an example. Nothing is dropped silently.
//
// # Accumulating and merging
//
// [Accumulator] follows the cxkit accumulator contract ([cxkit.Accumulator]): its zero value is
// ready to use; Add takes one observation and rejects a bad one with an error; Merge adds
// another accumulator's content and refuses, with an error, one that cannot be merged (another
// scale, calendar or option set; counts that would overflow), leaving the receiver unchanged;
// Result reads the state out; MarshalBinary and UnmarshalBinary (versioned, with a CRC-32
// checksum) and MarshalJSON and UnmarshalJSON encode it, and decoding checks the decoded
// state's consistency. Merging any split of the data, in any order, gives the result of one
// pass.
//
// Its observation type is [Observation] (exactly one of Feedback, Contact, Visit, Outcome
// set), so one Add serves a distributed engine's combiner; AddFeedback, AddContact, AddVisit
// and AddOutcome take each kind directly. The zero Accumulator has no map: it refuses Add and
// takes its map and options from the first accumulator merged or decoded into it, which is
// what a combiner's empty accumulator does; build one with [NewAccumulator]. Merge refuses an
// accumulator of another map or other scales with [ErrIncompatible].
//
// Counting allocates nothing per observation: tallies live in a fixed touchpoint × persona
// grid, customers in a slice indexed by a map, and each customer's touchpoint records in fixed
// pages; a stream sorted by customer skips the map lookup. On a shared 2-core machine,
// accumulating 1,000,000 answers of 100,000 customers over 30 touchpoints and 5 personas and
// reporting takes about 0.25-0.33 s (BenchmarkAnalyze1M), of which the report is 0.05-0.07 s.
//
// # Rendering
//
// [Report.Mermaid] writes a Mermaid journey diagram (sections = stages, tasks = touchpoints
// scored 1-5 from the emotion curve, actors = personas) that GitHub renders; the SVG charts
// (gonum.org/v1/plot) draw the emotion curve with interval bars, the pain points by impact and
// the importance–performance grid.
//
// # Paths, funnels and attribution
//
// A journey map says what should happen; customers' event logs say what did. An [Event] is one
// customer at one touchpoint (an ID string) at one time. Events may arrive in any order: every
// function orders each customer's events by time, and events with equal times keep their
// input order. An empty customer or touchpoint or a zero time is an error naming the event's
// index (ErrInvalid).
//
// [Funnel] counts how many customers reach each of a list of steps. A customer reaches step k
// when there are events matching steps 1..k at times t1 ≤ … ≤ tk with tk − t1 ≤ Window (zero:
// no limit). [Sequential] lets other events come between the steps; [Strict] does not (any
// other event of the customer, or a repeat of the step just reached, ends the attempt);
// [AnyOrder] needs steps 1..k to have all happened, in any order, within the window, and times
// its steps by the moment each prefix of steps was complete. Funnels count unique customers
// from their first entry, as Mixpanel, Amplitude and PostHog do by default: the attempt starts
// at the customer's first step-1 event and takes, for each next step, the earliest matching
// event (for AnyOrder, the earliest moment the steps are complete); a later re-entry does not
// count again. Each step gives the customers, conversion from step 1 and from the previous step
// with Wilson intervals, drop-off, and the median and 90th percentile (R's type 7) of the time
// from the previous step. [CompareFunnels] tests two funnels (personas, periods, variants) step
// by step with the N−1 two-proportion test, Holm-adjusted across steps. [FunnelChart] draws a
// funnel as SVG with gonum/plot.
//
// [AnalyzePaths] summarises where customers go: the most frequent paths (capped at MaxLength
// steps, longer ones marked truncated), a step matrix (share of paths at each touchpoint at
// step k, plus a path-end row; each column sums to 1), transitions with counts and the median
// and 90th percentile of the time between them, and where paths end. Its Flows feed
// [MermaidSankey], whose nodes are keyed by step ("1 Email", "2 Web") so that the diagram has no
// cycles; labels are CSV-quoted. The golden diagrams in testdata/golden are parsed by the real
// Mermaid parser in CI (scripts/mermaidcheck).
//
// Streaming: [FunnelCounter] and [PathAnalyzer] take events one at a time, sorted by customer
// (a customer arriving after a greater one is an error), and hold one customer's events at a
// time, so memory grows with customers (funnel time quantiles are exact: one duration per
// customer and step) or with distinct paths and transitions (path analysis; transition times
// use a DDSketch with 1% relative accuracy), never with events. Funnel and AnalyzePaths run
// them after grouping a slice by customer (no sort when it is already grouped).
//
// # Attribution
//
// A [Path] is an aggregated path as R's ChannelAttribution takes it: touchpoints, conversions,
// nulls (customers who did not convert after it) and value. [Paths] builds them from events and
// [Conversion]s: each conversion's path is the customer's touchpoints since their previous
// conversion, within a lookback window; touchpoints after the last conversion form a null path;
// conversions with no touchpoint in their window are counted as unattributed, not dropped.
//
// [MarkovAttribution] is the removal-effect model of Anderl et al. (2016) as ChannelAttribution
// implements it, computed exactly: the chain start → states → conversion / null is estimated
// from the paths' transition counts, and the conversion probability with and without each
// touchpoint is an absorption probability s₀ᵀ(I − Q)⁻¹r, solved with gonum's LU for up to 600
// states and by Gauss–Seidel on the sparse matrix (to a residual of 1e-13) above that, instead
// of ChannelAttribution's simulation. Conventions, where the anchors differ:
//   - Consecutive repeats of a touchpoint collapse (A > A > B is A > B), as ChannelAttribution
//     does and Bryl (2016) explains: in a first-order chain a self-loop changes the transition
//     matrix but not the absorption probabilities.
//   - Nulls are used when given: a path's nulls flow from its last state to the null state.
//     Without nulls every path converts and the removal effects measure only which touchpoints
//     the conversions pass through (ChannelAttribution's behaviour without var_null).
//   - Removing a touchpoint turns every state that contains it into the null state. For order
//     k > 1 the states are k-grams of consecutive touchpoints, and a path shorter than k is one
//     state of its own: our choice, as the anchors' higher-order results come from simulation
//     and were not compared here.
//   - Credit is total conversions × removal effect / Σ removal effects, value likewise
//     (ChannelAttribution's normalisation).
//
// The tests check it against the worked examples of Bryl (analyzecore.com, 2016) and Puzyrov
// (2019), and a second-order chain solved by hand.
//
// [HeuristicAttribution] gives first touch, last touch, linear (per occurrence), position based
// (40/20/40 by default; one touch takes all, two split first:last) and, on the event form
// [HeuristicAttributionEvents], time decay with a configurable half-life (7 days by default).
package journey
