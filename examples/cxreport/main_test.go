package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/csvload"
)

func defaults() inputs {
	return inputs{minN: 30, cac: 40, progress: io.Discard,
		sched: schedule{tz: "America/New_York", holidays: "US", hours: "09:00-17:00"}}
}

func report(t *testing.T, in inputs) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(&out, in))
	return out.String()
}

func TestReportOnSample(t *testing.T) {
	s := report(t, defaults())
	assert.True(t, strings.HasPrefix(s, "CX REPORT — as of 2026-07-01 (the sample's export date)\nBad rows: none in "))
	for _, want := range []string{"733 survey responses", "== Net Promoter Score", "== Customer Satisfaction (CSAT)",
		"== Customer Effort Score (CES 2.0)", "== Response times (640 tickets)", "10 unanswered (counted, not averaged in)",
		"(America/New_York, Mon-Fri 09:00-17:00, US holidays)",
		"== Churn and retention (900 subscriptions, as of 2026-07-01)", "log-rank test across segments", "consumer vs enterprise: χ² = ", "holm-adjusted p",
		"== Customer lifetime value (4269 transactions, 1200 customers", "holdout check (13.0 weeks)"} {
		assert.Contains(t, s, want)
	}
	// The journey section on the sample: the generator makes the renewal invoice and the support
	// hotline painful; the ranking must find them first (by impact), with evidence.
	i := strings.Index(s, "Pain points, ranked by impact (tests corrected by holm):")
	require.Positive(t, i)
	assert.Regexp(t, `^Pain points[^\n]*\n  1\. (Renewal invoice|Support hotline) [^\n]*\n       - `, s[i:])
	assert.Regexp(t, `\n  2\. (Renewal invoice|Support hotline) `, s[i:])
	// Key drivers: the sample's customers rate every surveyed touchpoint (gen assigns the k-th
	// answer at each touchpoint to customer k), so the LMG table is shown for all nine.
	assert.Regexp(t, `Key drivers of likelihood to recommend \(R² 0\.\d\d; LMG shares of R², Johnson's relative weights\):\n(  \S[^\n]* LMG 0\.\d{3}  weight 0\.\d{3}\n){9}`, s)
	for _, want := range []string{"By touchpoint, in journey order", "By persona", "Emotion curve", "\njourney\n    section awareness",
		"Funnel (5902 events", "Attribution of 621 conversions"} {
		assert.Contains(t, s, want)
	}
	assert.NotContains(t, s, "p=0.000")
	assert.NotContains(t, s, "p = 0.000")
}

func TestSurveySectionsCountIndependently(t *testing.T) {
	s := report(t, defaults())
	// Recount the sample with encoding/csv directly: CSAT = share of 4-5 on 1-5; CES 2.0 = share
	// of 5-7 on 1-7, net effort = share of 5-7 minus share of 1-3.
	rs, _, err := csvload.LoadSurvey(bytes.NewReader(sampleSurvey), csvload.SurveyOptions{CSATScale: csatScale, CESScale: cesScale})
	require.NoError(t, err)
	var nCSAT, sat, nCES, easy, hard int
	for _, r := range rs {
		if r.CSAT != noAnswer {
			nCSAT++
			if r.CSAT >= 4 {
				sat++
			}
		}
		if r.CES != noAnswer {
			nCES++
			switch {
			case r.CES >= 5:
				easy++
			case r.CES <= 3:
				hard++
			}
		}
	}
	assert.Contains(t, s, fmt.Sprintf("CSAT %.1f (n=%d, 1-5, satisfied 4-5;", 100*float64(sat)/float64(nCSAT), nCSAT))
	assert.Contains(t, s, fmt.Sprintf("CES %.1f (n=%d, 1-7, easy 5-7; net effort %.1f;",
		100*float64(easy)/float64(nCES), nCES, 100*float64(easy-hard)/float64(nCES)))
	iCSAT, iCES, iRT := strings.Index(s, "== Customer Sat"), strings.Index(s, "== Customer Effort"), strings.Index(s, "== Response times")
	require.True(t, strings.Index(s, "== Net Promoter") < iCSAT && iCSAT < iCES && iCES < iRT, "section order")
	for _, sec := range []string{s[iCSAT:iCES], s[iCES:iRT]} {
		assert.Contains(t, sec, "95% interval (Wilson)")
		assert.Contains(t, sec, "(Student t)")
		assert.Equal(t, 6, strings.Count(sec, "\n  2026-"), "six months")
	}
}

func TestDirtyDataSkippedAndCounted(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, exportSample(dir, 0.01, 1))
	in := defaults()
	in.dir = dir
	s := report(t, in)
	// The generator's corruptions are all bad rows: the report counts them first.
	lines := strings.Split(s, "\n")
	assert.Contains(t, lines[0], "(the latest timestamp in the data; set -asof to the export date)")
	assert.Regexp(t, `^Bad rows: \d+ of 12444 rows read \((0\.9|1\.\d)%\) skipped and counted`, lines[1])
	assert.Contains(t, s, "== Customer journey (12 touchpoints over 7 stages, 4 personas)")
	assert.Regexp(t, `journey_events\.csv:\d+: column time`, s)
	assert.Regexp(t, `survey\.csv:\d+: column nps: "(11|n/a|7\.5|-1)"`, s)
	assert.Contains(t, s, "transactions.csv: ")
	assert.Contains(t, s, "== Customer lifetime value")

	in.asOf = "2026-07-01"
	s = report(t, in)
	assert.True(t, strings.HasPrefix(s, "CX REPORT — as of 2026-07-01 (-asof)\n"))
	assert.Contains(t, s, "as of 2026-07-01)")

	in.strict = true
	var out bytes.Buffer
	err := run(&out, in)
	var re *csvload.RowError
	require.ErrorAs(t, err, &re)
	require.ErrorIs(t, err, csvload.ErrBadRow)
	assert.Contains(t, err.Error(), dir)
	assert.Zero(t, out.Len(), "nothing printed before all inputs are read")
}

func TestDataDirErrors(t *testing.T) {
	dir := t.TempDir()
	in := defaults()
	in.dir = dir
	require.ErrorContains(t, run(io.Discard, in), "none of survey.csv")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "survey.csv"), []byte("response_id,nps\nR1,9\n"), 0o644))
	err := run(io.Discard, in)
	require.ErrorIs(t, err, csvload.ErrHeader)
	assert.Contains(t, err.Error(), "lacks required column(s) date")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "survey.csv"), []byte("response_id,date,nps\nR1,2026-01-01,9\nR2,2026-01-02,3\n"), 0o644))
	s := report(t, in)
	assert.Contains(t, s, "tickets.csv not found: its section is left out")
	assert.Contains(t, s, "as of 2026-01-02")

	in.sched.holidays = "XX"
	assert.ErrorContains(t, run(io.Discard, in), `-holidays "XX"`)
	in.sched.holidays, in.sched.hours = "GB", "17-9"
	assert.ErrorContains(t, run(io.Discard, in), `-hours "17-9"`)
	in.sched.hours, in.asOf = "08:30-18:00", "July"
	assert.ErrorContains(t, run(io.Discard, in), `-asof "July"`)
	in.asOf, in.sched.tz = "", "Europe/London"
	in.tickets = "data/tickets.csv"
	assert.Contains(t, report(t, in), "(Europe/London, Mon-Fri 08:30-18:00, GB holidays)")
}

func TestPValue(t *testing.T) {
	assert.Equal(t, "p < 0.001", pValue(0.0004))
	assert.Equal(t, "p = 0.001", pValue(0.001))
	assert.Equal(t, "p = 0.250", pValue(0.25))
}

func TestSectionErrorsNameTheRow(t *testing.T) {
	// A ticket answered before it arrived is a bad row of the loader, naming file and line.
	_, _, err := csvload.LoadTickets(strings.NewReader("id,received,first_response\nT9,2026-01-01T10:00:00Z,2026-01-01T09:00:00Z\n"), csvload.Options{File: "tickets.csv"})
	require.ErrorIs(t, err, cxkit.ErrOutOfRange)
	assert.Contains(t, err.Error(), "tickets.csv:2: column first_response")
	assert.False(t, errors.Is(err, csvload.ErrHeader))
}

func TestHTMLReport(t *testing.T) {
	in := defaults()
	in.html = filepath.Join(t.TempDir(), "report.html")
	s := report(t, in)
	b, err := os.ReadFile(in.html)
	require.NoError(t, err)
	h := string(b)
	assert.Equal(t, 7, strings.Count(h, "<svg"), "NPS trend, survival, cohorts, hazard ratios, emotion curve, pain points, revenue")
	assert.Contains(t, h, "<h2>Why customers leave (Cox proportional hazards)</h2>")
	assert.Equal(t, 5, strings.Count(h, "</td></tr>"), "one table row per covariate")
	assert.Contains(t, h, "<td>detractor (0-6)</td>")
	assert.Contains(t, h, "<pre class=\"mermaid-source\">journey\n")
	assert.NotContains(t, h, "<script")
	assert.NotContains(t, h, "<?xml")
	assert.Contains(t, h, "<pre>CX REPORT")
	assert.Contains(t, s, "CX REPORT")
}
