package responsetime

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The cases of issue 10 ("No silent wrong value") for responsetime: each gave a wrong value
// with a nil error, or panicked, before the fix.

func TestCalendarsThatNeverOpenAreErrors(t *testing.T) {
	// A holiday on every date of the year: passes Validate (which ignores holidays), and
	// measured a 90-year wait as 0 s.
	everyDay := &cal.Calendar{}
	for m := time.January; m <= time.December; m++ {
		for d := 1; d <= 31; d++ {
			everyDay.AddHoliday(&cal.Holiday{Name: "closed", Type: cal.ObservancePublic, Month: m, Day: d, Func: cal.CalcDayOfMonth})
		}
	}
	bc := cal.NewBusinessCalendar()
	bc.Calendar = *everyDay
	closed := BusinessHours{Calendar: bc, Location: time.UTC}
	require.NoError(t, closed.Validate())
	sched := Schedule{Location: time.UTC, Week: [7][]Shift{time.Monday: {{9 * time.Hour, 17 * time.Hour}}}, Holidays: everyDay}
	require.NoError(t, sched.Validate())
	// A workday function true in the one week Validate checks.
	oneWeek := cal.NewBusinessCalendar()
	oneWeek.WorkdayFunc = func(d time.Time) bool { y, w := d.ISOWeek(); return y == 2006 && w == 1 }
	brief := BusinessHours{Calendar: oneWeek, Location: time.UTC}
	require.NoError(t, brief.Validate())

	q := Query{ID: "long", Received: time.Date(1930, 1, 1, 9, 0, 0, 0, time.UTC), FirstResponse: time.Date(2020, 1, 1, 9, 0, 0, 0, time.UTC)}
	for _, c := range []Calendar{closed, sched, brief} {
		_, err := Summarize([]Query{q}, Options{Calendar: c})
		require.ErrorIs(t, err, ErrInvalid, "%T", c)
		assert.Contains(t, err.Error(), "no working time in the 367 days")
		assert.Contains(t, err.Error(), `"long"`)
		tr := Tracker{Calendar: c}
		assert.ErrorIs(t, tr.Add(q), ErrInvalid)
	}
	// A schedule open one day a week is still measured.
	gap := Schedule{Location: time.UTC, Week: [7][]Shift{time.Monday: {{9 * time.Hour, 17 * time.Hour}}}}
	d, err := gap.WorkingTime(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, 9*time.Hour, d) // Monday 23: 8 h; Monday 30: 09:00–10:00
}

func TestSpansBeyondDurationAreErrors(t *testing.T) {
	// Before: 300 years saturated to time.Duration's maximum (about 292 years) silently.
	q := Query{Received: time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), FirstResponse: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}
	_, err := Summarize([]Query{q}, Options{})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "longest time.Duration")
	var tr Tracker
	assert.ErrorIs(t, tr.Add(q), ErrOutOfRange)
	// 290 years fit.
	q.FirstResponse = time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := Summarize([]Query{q}, Options{})
	require.NoError(t, err)
	assert.Less(t, s.Mean, time.Duration(math.MaxInt64))
}

func TestResolvedBeforeFirstResponse(t *testing.T) {
	// Before: accepted.
	qs := []Query{{Received: t0, FirstResponse: t0.Add(2 * time.Hour), Resolved: t0.Add(time.Hour)}}
	_, err := Summarize(qs, Options{})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.True(t, strings.Contains(err.Error(), "index 0"), "%v", err)
	// A first solve before the first reply is real (solved without a reply, reopened by the
	// customer, then answered and solved again): accepted, as long as the final Resolved
	// follows the reply.
	qs[0].FirstResolved, qs[0].Resolved = t0.Add(time.Hour), t0.Add(3*time.Hour)
	_, err = Summarize(qs, Options{})
	require.NoError(t, err)
	// Resolved without any response stays allowed.
	_, err = Summarize([]Query{{Received: t0, Resolved: t0.Add(time.Hour)}}, Options{})
	require.NoError(t, err)
}

// TestConversationReplyAfterFinalSolve: found by FuzzConversation (seed 8966e4c102e61222): a
// conversation solved first and answered afterwards cannot become a valid Query, so Query is an
// error naming the conversation rather than a query that Summarize then rejects.
func TestConversationReplyAfterFinalSolve(t *testing.T) {
	c := Conversation{ID: "late", Created: t0,
		Messages: []Message{{At: t0, Author: Customer, Public: true}, {At: t0.Add(17 * time.Minute), Author: Agent, Public: true}},
		Statuses: []StatusChange{{At: t0.Add(5 * time.Minute), Status: Solved}}}
	_, err := c.Query(0, ConversationOptions{})
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), `"late"`)
}
