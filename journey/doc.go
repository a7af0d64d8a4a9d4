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
// # Rendering
//
// [Report.Mermaid] writes a Mermaid journey diagram (sections = stages, tasks = touchpoints
// scored 1-5 from the emotion curve, actors = personas) that GitHub renders; the SVG charts
// (gonum.org/v1/plot) draw the emotion curve with interval bars, the pain points by impact and
// the importance–performance grid.
//
// # Paths, funnels and attribution
//
// (Event; Funnel; path analysis; Path and Paths; MarkovAttribution; HeuristicAttribution;
// Mermaid sankey diagrams.)
package journey
