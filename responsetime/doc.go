// Package responsetime measures how fast a support team answers and resolves customer queries:
// first-response, next-reply and resolution times, in calendar time or in business hours, with
// SLA targets, per-group breakdowns and a mergeable streaming tracker.
//
// # The metric
//
// The headline figure is the average response time of the cxkit seed:
//
//	average response time = total time to first response / number of answered queries
//
// Support teams report much more, and [Summarize] gives them the figures a Zendesk or Intercom
// report shows:
//
//   - counts: queries, excluded (and why), answered, unanswered, resolved, unresolved;
//   - first-response time (Received → FirstResponse): mean, median, p90, p95, max, and the
//     share answered within a target;
//   - resolution time (Received → Resolved, the last solve: Zendesk's "full resolution time"),
//     less any paused time; first resolution time (to the first solve of a reopened query);
//   - next-reply time: each wait from a customer message to the next agent reply, and every
//     reply together (first and next: Intercom's "response time");
//   - Zendesk's agent wait time (time pending) and on-hold time, when the queries carry their
//     status periods (Query.Pending, Query.OnHold; Conversation.Query fills them);
//   - SLA results per [Policy]: achieved, breached and pending per metric, the breach rate with
//     a Wilson interval, and the list of breaches;
//   - [GroupBy] channel, priority, team, agent or period ([ByPeriod]: any [cxkit.Period], day to year).
//
// An unanswered query is counted in Unanswered, never dropped and never averaged in as zero
// (which would flatter the mean). Means are exact: durations are summed as 128-bit nanosecond
// counts, so a million queries of several days each do not overflow, and the quotient is
// truncated to the nanosecond. Percentiles interpolate linearly between order statistics
// (Hyndman & Fan's type 7, the default of Excel's PERCENTILE.INC, NumPy and R), so the median
// of an even count is the mean of the middle two, as a spreadsheet export would show.
// When a Stats has Count 0 its durations are zero and mean nothing: check the count.
//
// # Inputs
//
// A [Query] holds time.Time instants (zero = not yet) and grouping fields. Teams that export
// the message log can build a [Conversation] instead — messages by customer, agent or bot,
// public or internal, and status changes — and call [Conversation.Query], which follows
// Zendesk's definitions: bot and automated messages and internal notes do not stop a reply
// clock; on an agent-created ticket whose first comment is public the first reply is the
// second public agent comment; the next-reply clock starts at the oldest unanswered customer
// message; time pending (waiting on the customer) or on hold may be excluded from the
// resolution clock ([ConversationOptions]).
//
// # Calendars
//
// Elapsed time is measured by a [Calendar]: nil (the zero Options) is calendar time.
// [BusinessHours] wraps a rickar/cal *cal.BusinessCalendar, with its work days, hours and the
// holidays of its country packages; [Schedule] is Zendesk's model, any number of shifts per
// weekday, with holidays from a rickar/cal calendar. Both convert every instant into their
// Location first, so instants stored in UTC are counted on the team's wall clock, and both
// build each day's working intervals with time.Date on that wall clock, so they are right
// across DST changes: a 09:00–17:00 day is 8 hours on the day the clocks change, and a
// 00:00–06:00 night shift is 5 hours on the spring-forward night and 7 on the fall-back one.
//
// Decisions worth knowing:
//
//   - This package does not use cal.BusinessCalendar.WorkHoursInRange: in rickar/cal v2.1.13
//     it starts a working day at local midnight plus the start offset in absolute time, which
//     moves the day by an hour when a workday has a DST change. Only the calendar's work days,
//     holidays and start and end clock times are used.
//   - A nil Location is an error, not UTC: say time.UTC if you mean it.
//   - A calendar with no working time in a week, a zero-length working day or shift, or
//     overlapping shifts is an error (Validate, called by Summarize). Shifts cannot cross
//     midnight: a night shift is two shifts.
//   - Walking the days of an interval is bounded at about a century (36,525 days); longer
//     intervals are an error wrapping ErrOutOfRange rather than a very slow answer.
//   - Summarize caches each day's working intervals for the duration of the call, so a million
//     queries in business hours cost little more than in calendar time. rickar/cal's own
//     holiday cache (Cacheable) is not safe for concurrent use.
//
// # SLAs
//
// A [Policy] maps priorities to [Targets] (first reply, next reply, resolution), each with its
// own calendar, as Zendesk lets a target count calendar or business hours. A measurement is
// achieved if done within target, breached if done late or still open at Options.Now and
// already over target, and pending otherwise (open clocks are all pending when Now is zero).
// Resolution targets exclude Query.Paused. Queries whose priority has no targets (and no
// Default) are counted as Uncovered. The breach rate is Breached / (Achieved + Breached).
//
// # Streaming
//
// A [Tracker] summarises the first-response and resolution times of a stream too large to
// hold (next replies, wait times and SLAs need Summarize): exact counts, sums, means, minima and
// maxima, and median, p90 and p95 (any quantile on demand with [Tracker.Quantile], p99
// included) from a DDSketch (github.com/DataDog/sketches-go's cubically interpolated index
// mapping, which avoids computing a logarithm on each Add; Masson,
// Rim & Lee, "DDSketch: a fast and fully-mergeable quantile sketch with relative-error
// guarantees", VLDB 2019) with relative accuracy [RelativeAccuracy] = 1%: each reported
// percentile is within ±1% of a true order statistic of its rank, for any data. Trackers merge
// (Merge) and encode (MarshalBinary, JSON) so they can run in the combiner of a distributed
// engine; merging any split of the data gives exactly the counts, means and extremes of one
// pass and the same sketch, hence the same percentiles. Decoding checks the version, the
// counts against the sketch, and the sum against count × [min, max]; corrupt bytes give an
// error wrapping ErrInvalid.
//
// # Accumulating and merging
//
// [Tracker] follows the cxkit accumulator contract ([cxkit.Accumulator]): its zero value is
// ready to use; Add takes one observation and rejects a bad one with an error; Merge adds
// another accumulator's content and refuses, with an error, one that cannot be merged (another
// scale, calendar or option set; counts that would overflow), leaving the receiver unchanged;
// Result reads the state out; MarshalBinary and UnmarshalBinary (versioned, with a CRC-32
// checksum) and MarshalJSON and UnmarshalJSON encode it, and decoding checks the decoded
// state's consistency. Merging any split of the data, in any order, gives the result of one
// pass.
//
// For a Tracker, "another calendar" is any Calendar that differs from the one the tracker
// measured with (fixed at its first Add; changing Tracker.Calendar afterwards makes Add fail
// with ErrIncompatible), and "counts that would overflow" is more than 2^53 queries. The
// encodings carry the figures, not the Calendar: set Calendar on the decoding tracker.
//
// # Errors
//
// Bad input is an error naming the query (ID and index) and the field, wrapping a sentinel:
// a missing Received time is ErrInvalid; a response, resolution or pause before its query, or
// an interval that ends before it starts, is ErrOutOfRange; an empty slice is ErrEmpty. Nothing
// is silently dropped or clamped. Queries that Options.Exclude leaves out are counted by reason
// and not validated, so that known-bad records (spam, merged tickets) can be set aside.
package responsetime
