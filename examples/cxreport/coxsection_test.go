package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/csvload"
)

// sampleJoin joins the embedded sample by hand, independently of joinCox: one row per
// subscription that has a survey answer or ticket, its covariates as the report documents
// them (last NPS category with promoters as reference, contacted, log2(1 + median hours to
// the first reply)), entering at its last record, stratified by segment/plan.
func sampleJoin(t *testing.T) (subs []churn.Subject, x [][]float64, strata []int, noRecord int) {
	t.Helper()
	rs, _, err := csvload.LoadSurvey(bytes.NewReader(sampleSurvey), csvload.SurveyOptions{CSATScale: csatScale, CESScale: cesScale})
	require.NoError(t, err)
	ts, _, err := csvload.LoadTickets(bytes.NewReader(sampleTickets), csvload.Options{})
	require.NoError(t, err)
	ss, _, err := csvload.LoadSubscriptions(bytes.NewReader(sampleSubscriptions), csvload.Options{})
	require.NoError(t, err)
	type acc struct {
		last          time.Time
		npsAt         time.Time
		nps           int
		surveyed, tix bool
		hours         []float64
	}
	by := map[string]*acc{}
	for _, s := range ss {
		require.Nil(t, by[s.Customer], "one subscription per customer in the sample")
		by[s.Customer] = &acc{last: s.Start, nps: -1}
	}
	for _, r := range rs {
		a := by[r.Customer]
		require.NotNil(t, a, "every sample response has a subscribed customer: %s", r.ID)
		a.surveyed = true
		if r.Time.After(a.last) {
			a.last = r.Time
		}
		if r.NPS != noAnswer && !r.Time.Before(a.npsAt) {
			a.nps, a.npsAt = r.NPS, r.Time
		}
	}
	for _, tk := range ts {
		a := by[tk.Customer]
		require.NotNil(t, a, "every sample ticket has a subscribed customer: %s", tk.ID)
		a.tix = true
		known := tk.Received
		if !tk.FirstResponse.IsZero() {
			known = tk.FirstResponse
			a.hours = append(a.hours, tk.FirstResponse.Sub(tk.Received).Hours())
		}
		if known.After(a.last) {
			a.last = known
		}
	}
	labels := map[string]int{}
	for _, s := range ss {
		a := by[s.Customer]
		if !a.surveyed && !a.tix {
			noRecord++
			continue
		}
		if a.tix && len(a.hours) == 0 {
			continue
		}
		subj, err := s.Subject(sampleNow, month)
		require.NoError(t, err)
		subj.Entry = a.last.Sub(s.Start).Hours() / (30 * 24)
		require.Less(t, subj.Entry, subj.Duration, s.Customer)
		reply := 0.0
		if a.tix {
			h := slices.Sorted(slices.Values(a.hours))
			m := h[len(h)/2]
			if len(h)%2 == 0 {
				m = (h[len(h)/2-1] + h[len(h)/2]) / 2
			}
			reply = math.Log2(1 + m)
		}
		row := []float64{0, 0, 0, 0, reply}
		switch {
		case a.nps < 0:
			row[2] = 1
		case a.nps <= 6:
			row[0] = 1
		case a.nps <= 8:
			row[1] = 1
		}
		if a.tix {
			row[3] = 1
		}
		k, ok := labels[s.Segment+"/"+s.Plan]
		if !ok {
			k = len(labels)
			labels[s.Segment+"/"+s.Plan] = k
		}
		subs, x, strata = append(subs, subj), append(x, row), append(strata, k)
	}
	return subs, x, strata, noRecord
}

func TestCoxSectionMatchesFitCox(t *testing.T) {
	s := report(t, defaults())
	subs, x, strata, noRecord := sampleJoin(t)
	names := []string{covDetractor, covPassive, covNoNPS, covContacted, covReply}
	m, err := churn.FitCox(subs, x, names, churn.CoxOptions{Strata: strata})
	require.NoError(t, err)
	hrs, err := m.HazardRatios(0.95)
	require.NoError(t, err)
	// The same joined data (sampleJoin written to CSV) fitted by R 4.2.2, survival 3.5.3:
	//   f <- coxph(Surv(entry, dur, status) ~ det + pas + nonps + cont + reply + strata(stratum), data = d)
	//   coef(f); f$concordance["concordance"]; cox.zph(f)$table["GLOBAL", "chisq"]
	for j, want := range []float64{0.8772991263, 0.0646131310, -0.2920693509, 0.4718550773, 0.3013112124} {
		assert.InDelta(t, want, m.Coef[j], 1e-8, names[j])
	}
	assert.InDelta(t, 0.6742527174, m.Concordance, 1e-8)
	assert.InDelta(t, 3.5142780608, m.PH.Global.ChiSquare, 1e-6)

	i := strings.Index(s, "Why customers leave: Cox proportional hazards")
	require.Positive(t, i)
	require.Less(t, strings.Index(s, "== Churn and retention"), i, "inside the churn section")
	sec := s[i:strings.Index(s, "== Customer lifetime value")]
	assert.Contains(t, sec, fmt.Sprintf("  linked: %d of 900 subscriptions have a survey answer or a ticket; %d have neither and are left out", 900-noRecord, noRecord))
	assert.Contains(t, sec, fmt.Sprintf("  n = %d subscriptions, %.0f churned; concordance %.3f; likelihood-ratio χ² = %.2f on 5 df, p < 0.001\n",
		len(subs), m.Events, m.Concordance, m.LikelihoodRatio.ChiSquare))
	for _, h := range hrs {
		assert.Contains(t, sec, fmt.Sprintf("  %-20s %6.2f  [%5.2f, %5.2f]  %s\n", h.Name, h.Ratio, h.Interval.Lower, h.Interval.Upper, pValue(h.P)))
		assert.Contains(t, sec, fmt.Sprintf("(95%% %.2f-%.2f, %s)", h.Interval.Lower, h.Interval.Upper, pValue(h.P)), "plain-language line of %s", h.Name)
	}
	assert.Contains(t, sec, fmt.Sprintf("global χ² = %.2f on 5 df, %s", m.PH.Global.ChiSquare, pValue(m.PH.Global.P)))
	assert.Contains(t, sec, "stratified by segment/plan (consumer/basic, consumer/premium, enterprise/basic, enterprise/premium, smb/basic, smb/premium)")
	assert.Contains(t, sec, "tickets not linked: 0 without a customer ID, 0 of customers without a subscription, 0 dated outside")
	assert.Equal(t, 6, strings.Count(sec, "\n  - "), "one plain line per covariate, and contacting at the median reply")

	// The planted model (gen/link.go: detractor HR 3, 1.3 per step of the reply scale, both
	// with intervals that exclude 1 on these 148 events) is found.
	assert.Greater(t, hrs[0].Interval.Lower, 1.0, "detractors leave sooner")
	assert.Greater(t, hrs[4].Interval.Lower, 1.0, "slow replies go with leaving")
}

func TestCoxSectionOnUserFilesCountsWhatIsNotLinked(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, exportSample(dir, 0, 1))
	appendRows := func(name, rows string) {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString(rows)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	// response_id,date,channel,segment,nps,csat,ces,persona,touchpoint,customer; C0001 started
	// on 2026-04-22, so its January answer is outside its subscription.
	appendRows("survey.csv", "X1,2026-03-01,web,smb,3,2,2,senior,billing,NOPE\nX2,2026-03-02,web,smb,4,2,2,senior,billing,NOPE\n"+
		"X3,2026-03-03,web,smb,5,2,2,senior,billing,\nX4,2026-01-05,web,smb,10,5,7,senior,billing,C0001\n")
	// id,channel,priority,team,received,first_response,resolved,customer
	appendRows("tickets.csv", "X5,email,low,billing,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,,NOPE\n"+
		"X6,email,low,billing,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,,\n")
	in := defaults()
	in.dir, in.asOf = dir, "2026-07-01"
	s := report(t, in)
	assert.Contains(t, s, "survey responses not linked: 1 without a customer ID, 2 of customers without a subscription, 1 dated outside the customer's subscriptions")
	assert.Contains(t, s, "tickets not linked: 1 without a customer ID, 1 of customers without a subscription, 0 dated outside the customer's subscriptions")
	assert.Contains(t, s, "covariate                HR  95% interval")

	// A survey without the customer column: the model keeps the support terms only.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "survey.csv"), []byte("response_id,date,nps\nR1,2026-01-01,9\nR2,2026-01-02,3\n"), 0o644))
	s = report(t, in)
	assert.Contains(t, s, "NPS: not in the model (no survey responses with a customer ID)")
	// Only customers with tickets are linked then: all contacted, so that term goes too.
	assert.Contains(t, s, "left out of the model, the same for every fitted subscription: contacted support\n")
	assert.Contains(t, s, "  reply log2(1+h) ")
	assert.NotContains(t, s, "  detractor (0-6) ")

	// Neither file linked: the section says so instead of fitting.
	require.NoError(t, os.Remove(filepath.Join(dir, "tickets.csv")))
	s = report(t, in)
	assert.Contains(t, s, "(no Cox fit: neither the survey nor the tickets carry customer IDs")
}

func TestCoxFitFailureIsReportedNotFatal(t *testing.T) {
	// Two linked subscriptions, one event: the fit cannot identify the coefficients; the report
	// says why and goes on.
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	subs := []subscription{
		{Subscription: churn.Subscription{Customer: "A", Start: start, End: start.AddDate(0, 3, 0)}},
		{Subscription: churn.Subscription{Customer: "B", Start: start}},
	}
	rs := []response{{ID: "1", Customer: "A", Time: start.AddDate(0, 1, 0), NPS: 2, CSAT: noAnswer, CES: noAnswer},
		{ID: "2", Customer: "B", Time: start.AddDate(0, 1, 0), NPS: 10, CSAT: noAnswer, CES: noAnswer}}
	var b bytes.Buffer
	res := fitCox(joinCox(subs, rs, nil, start.AddDate(0, 6, 0), true, false))
	require.NoError(t, coxSection(&b, res))
	assert.Contains(t, b.String(), "(no Cox fit on these data: ")
	assert.Contains(t, b.String(), "support: not in the model")
}
