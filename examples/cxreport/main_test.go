package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportOnSample(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, inputs{now: sampleNow, minN: 30, cac: 40}))
	s := out.String()
	assert.Contains(t, s, "733 survey responses")
	assert.Contains(t, s, "== Net Promoter Score")
	assert.Contains(t, s, "2026-06")
}

func TestReadSurveyErrors(t *testing.T) {
	for _, tc := range []struct{ csv, want string }{
		{"a,b\n", "wrong number of fields"},
		{"response_id,date,channel,segment,nps,csat,x\n", `header column 7 is "x"`},
		{"response_id,date,channel,segment,nps,csat,ces\n", "no responses"},
		{"response_id,date,channel,segment,nps,csat,ces\nR1,2026-13-01,web,smb,9,4,5\n", "line 2: date"},
		{"response_id,date,channel,segment,nps,csat,ces\nR1,2026-01-01,web,smb,9.5,4,5\n", `line 2: nps rating "9.5"`},
		{"response_id,date,channel,segment,nps,csat,ces\nR1,2026-01-01,web,smb,9,-4,5\n", "line 2: csat rating -4"},
	} {
		_, err := readSurvey(strings.NewReader(tc.csv))
		require.Error(t, err, tc.csv)
		assert.Contains(t, err.Error(), tc.want)
	}
	// A rating off the NPS scale is caught by the nps package, naming the response.
	var out bytes.Buffer
	rs, err := readSurvey(strings.NewReader("response_id,date,channel,segment,nps,csat,ces\nR7,2026-01-01,web,smb,12,4,5\n"))
	require.NoError(t, err)
	err = npsSection(&out, rs, 30)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "response R7: nps: rating 12")
}

func TestSurveySectionsOnSample(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, inputs{now: sampleNow, minN: 30, cac: 40}))
	s := out.String()
	// Recount the sample independently: CSAT = share of 4-5 on 1-5; CES 2.0 = share of 5-7 on
	// 1-7, net effort = share of 5-7 minus share of 1-3.
	rs, err := readSurvey(bytes.NewReader(sampleSurvey))
	require.NoError(t, err)
	var nCSAT, sat, nCES, easy, hard int
	for _, r := range rs {
		if r.CSAT >= 0 {
			nCSAT++
			if r.CSAT >= 4 {
				sat++
			}
		}
		if r.CES >= 0 {
			nCES++
			switch {
			case r.CES >= 5:
				easy++
			case r.CES <= 3:
				hard++
			}
		}
	}
	require.Positive(t, nCSAT)
	require.Positive(t, nCES)
	assert.Contains(t, s, "== Customer Satisfaction (CSAT)")
	assert.Contains(t, s, fmt.Sprintf("CSAT %.1f (n=%d, 1-5, satisfied 4-5;", 100*float64(sat)/float64(nCSAT), nCSAT))
	assert.Contains(t, s, "== Customer Effort Score (CES 2.0)")
	assert.Contains(t, s, fmt.Sprintf("CES %.1f (n=%d, 1-7, easy 5-7; net effort %.1f;",
		100*float64(easy)/float64(nCES), nCES, 100*float64(easy-hard)/float64(nCES)))
	// Both sections come after NPS, each with an interval line, a trend and a channel breakdown.
	iNPS, iCSAT, iCES := strings.Index(s, "== Net Promoter"), strings.Index(s, "== Customer Sat"), strings.Index(s, "== Customer Effort")
	assert.True(t, iNPS < iCSAT && iCSAT < iCES, "section order")
	iRT := strings.Index(s, "== Response times")
	require.Greater(t, iRT, iCES)
	for _, sec := range []string{s[iCSAT:iCES], s[iCES:iRT]} {
		assert.Contains(t, sec, "95% interval (Wilson)")
		assert.Contains(t, sec, "(Student t)")
		assert.Contains(t, sec, "Monthly trend")
		assert.Contains(t, sec, "By channel")
		assert.Equal(t, 6, strings.Count(sec, "\n  2026-"), "six months")
		assert.Equal(t, 5+4, strings.Count(sec, "(p="), "five month-on-month changes and four channels")
	}
}

func TestSurveySectionErrors(t *testing.T) {
	// Ratings off the CSAT (1-5) and CES 2.0 (1-7) scales are caught by the packages, naming the
	// response; unanswered questions are skipped and counted.
	const head = "response_id,date,channel,segment,nps,csat,ces\n"
	rs, err := readSurvey(strings.NewReader(head + "R1,2026-01-01,web,smb,9,4,5\nR2,2026-01-02,web,smb,9,6,5\n"))
	require.NoError(t, err)
	var out bytes.Buffer
	err = csatSection(&out, rs, 30)
	require.ErrorIs(t, err, csat.ErrOutOfRange)
	assert.Contains(t, err.Error(), "response R2: csat: rating 6 at response 1 is outside 1..5")

	rs, err = readSurvey(strings.NewReader(head + "R1,2026-01-01,web,smb,9,4,8\n"))
	require.NoError(t, err)
	err = cesSection(&out, rs, 30)
	require.ErrorIs(t, err, ces.ErrOutOfRange)
	assert.Contains(t, err.Error(), "response R1: ces: rating 8 at response 0 is outside 1..7")

	rs, err = readSurvey(strings.NewReader(head + "R1,2026-01-01,web,smb,9,,\nR2,2026-01-01,web,smb,9,5,\n"))
	require.NoError(t, err)
	out.Reset()
	require.NoError(t, csatSection(&out, rs, 30))
	assert.Contains(t, out.String(), "1 responses did not answer the CSAT question")
	err = cesSection(&out, rs, 30)
	require.ErrorIs(t, err, ces.ErrEmpty, "nobody answered CES")
}

func TestResponseTimeSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, inputs{now: sampleNow, minN: 30, cac: 40}))
	s := out.String()
	assert.Contains(t, s, "== Response times (640 tickets)")
	assert.Contains(t, s, "10 unanswered (counted, not averaged in)")
	assert.Contains(t, s, "SLA first reply:")

	_, err := readTickets(strings.NewReader("id,channel,priority,team,received,first_response,resolved\nT1,web,low,x,2026-01-01T10:00:00Z,yesterday,\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `line 2: first_response "yesterday"`)
	// A response before its query is caught by responsetime, naming the ticket.
	qs, err := readTickets(strings.NewReader("id,channel,priority,team,received,first_response,resolved\nT9,web,low,x,2026-01-01T10:00:00Z,2026-01-01T09:00:00Z,\n"))
	require.NoError(t, err)
	err = responseTimeSection(&out, qs, sampleNow)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "T9")
}

func TestChurnSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, inputs{now: sampleNow, minN: 30, cac: 40}))
	s := out.String()
	assert.Contains(t, s, "== Churn and retention (900 subscriptions, as of 2026-07-01)")
	assert.Contains(t, s, "log-rank test across segments")
	assert.Contains(t, s, "shifted-beta-geometric")

	_, err := readSubscriptions(strings.NewReader("customer,segment,plan,start,end\nC1,smb,basic,2026-01-01,soon\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `line 2: end "soon"`)
	// An end before its start is caught by the churn package, naming the customer.
	subs, err := readSubscriptions(strings.NewReader("customer,segment,plan,start,end\nC9,smb,basic,2026-03-01,2026-01-01\n"))
	require.NoError(t, err)
	err = churnSection(&out, subs, sampleNow)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "C9")
}

func TestCLVSection(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, inputs{now: sampleNow, minN: 30, cac: 40}))
	s := out.String()
	assert.Contains(t, s, "== Customer lifetime value (4269 transactions, 1200 customers")
	assert.Contains(t, s, "BG/NBD purchase model")
	assert.Contains(t, s, "holdout check (13.0 weeks)")
	assert.Contains(t, s, "Gamma-Gamma spend model")

	_, err := readTransactions(strings.NewReader("customer,date,amount\nU1,2026-01-01,ten\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `line 2: amount "ten"`)
	// A negative amount is caught by the clv package, naming its position.
	tx, err := readTransactions(strings.NewReader("customer,date,amount\nU1,2026-01-01,5\nU1,2026-02-01,-5\n"))
	require.NoError(t, err)
	err = clvSection(&out, tx, sampleNow, 40)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-5")
}
