package csvload

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
)

const survey = "\ufeffdate, NPS ,response_id,extra,csat\r\n" +
	"2026-01-02,9,R1,x,5\r\n" +
	"2026-01-03,11,R2,x,4\r\n" + // line 3: nps off scale
	"2026-01-04,n/a,R3,x,\r\n" + // line 4: not a number
	"2026-01-05,,R4,x,3\r\n" +
	"2026-01-06,7,R5,x\r\n" // line 6: too few fields

func TestSurveyStrictAndSkip(t *testing.T) {
	_, _, err := LoadSurvey(strings.NewReader(survey), SurveyOptions{Options: Options{File: "s.csv"}})
	var re *RowError
	require.ErrorAs(t, err, &re)
	require.Equal(t, "s.csv", re.File)
	require.Equal(t, 3, re.Line)
	require.Equal(t, "nps", re.Column)
	require.Equal(t, "11", re.Value)
	require.ErrorIs(t, err, ErrBadRow)
	require.ErrorIs(t, err, cxkit.ErrOutOfRange)
	require.Equal(t, `s.csv:3: column nps: "11": nps rating off 0..10`, err.Error())

	rs, sum, err := LoadSurvey(strings.NewReader(survey), SurveyOptions{Options: Options{File: "s.csv", Policy: Skip}})
	require.NoError(t, err)
	require.Len(t, rs, 2)
	require.Equal(t, Response{ID: "R1", Time: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), NPS: 9, CSAT: 5, CES: NoAnswer}, rs[0])
	require.Equal(t, NoAnswer, rs[1].NPS)
	require.Equal(t, 3, rs[1].CSAT)
	require.Equal(t, 2, sum.Rows)
	require.Equal(t, 3, sum.Bad)
	require.Len(t, sum.Reasons, 3)
	lines := []int{}
	for _, e := range sum.Examples {
		lines = append(lines, e.Line)
	}
	require.Equal(t, []int{3, 4, 6}, lines)
	require.Equal(t, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), sum.Latest)
}

func TestHeaderMissingColumn(t *testing.T) {
	_, _, err := LoadTickets(strings.NewReader("id,channel\nT1,email\n"), Options{File: "t.csv"})
	require.ErrorIs(t, err, ErrHeader)
	require.Contains(t, err.Error(), "lacks required column(s) received")
	require.Contains(t, err.Error(), "needs id,received")
	_, _, err = LoadTransactions(strings.NewReader(""), Options{})
	require.ErrorIs(t, err, ErrHeader)
	_, _, err = LoadTransactions(strings.NewReader("customer,date,amount,Amount\n"), Options{})
	require.ErrorIs(t, err, ErrHeader)
}

func TestTicketsSubscriptionsTransactions(t *testing.T) {
	ts, _, err := LoadTickets(strings.NewReader("received,id,first_response,resolved,priority\n2026-05-27T18:23:00Z,T1,2026-05-27T21:47:45Z,,high\n"), Options{})
	require.NoError(t, err)
	require.Equal(t, "T1", ts[0].ID)
	require.Equal(t, "high", ts[0].Priority)
	require.True(t, ts[0].Resolved.IsZero())
	require.Equal(t, 3*time.Hour+24*time.Minute+45*time.Second, ts[0].FirstResponse.Sub(ts[0].Received))
	_, _, err = LoadTickets(strings.NewReader("received,id,first_response\n2026-05-27T18:23:00Z,T1,2026-05-27T10:00:00Z\n"), Options{})
	require.ErrorIs(t, err, cxkit.ErrOutOfRange)

	ss, _, err := LoadSubscriptions(strings.NewReader("customer,start,end,segment\nC1,2026-01-01,2026-03-02,smb\nC2,2026-02-01,,smb\n"), Options{})
	require.NoError(t, err)
	asOf := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	s0, err := ss[0].Subject(asOf, 24*time.Hour)
	require.NoError(t, err)
	require.True(t, s0.Churned)
	require.Equal(t, 60.0, s0.Duration) // 1 Jan to 2 Mar 2026: 31 + 28 + 1 days
	s1, err := ss[1].Subject(asOf, 24*time.Hour)
	require.NoError(t, err)
	require.False(t, s1.Churned)
	require.Equal(t, 59.0, s1.Duration) // 1 Feb to 1 Apr 2026: 28 + 31 days

	_, sum, err := LoadTransactions(strings.NewReader("customer,date,amount\nU1,2026-01-01,-3\nU1,2026-01-02,NaN\nU1,2026-01-03,2.5\n"), Options{Policy: Skip})
	require.NoError(t, err)
	require.Equal(t, 1, sum.Rows)
	require.Equal(t, 2, sum.Bad)
}

// writeSurvey is the test's encoder: responses as CSV in a random column order, with an
// extra column, so that decode∘encode can be checked.
func writeSurvey(rs []Response, rnd *rand.Rand) string {
	cols := []string{"response_id", "date", "customer", "channel", "segment", "persona", "touchpoint", "nps", "csat", "ces", "extra"}
	rnd.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(cols)
	rating := func(v int) string {
		if v == NoAnswer {
			return ""
		}
		return fmt.Sprint(v)
	}
	for _, r := range rs {
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = map[string]string{"response_id": r.ID, "date": r.Time.Format(time.DateOnly), "customer": r.Customer,
				"channel": r.Channel, "segment": r.Segment, "persona": r.Persona, "touchpoint": r.Touchpoint,
				"nps": rating(r.NPS), "csat": rating(r.CSAT), "ces": rating(r.CES), "extra": "z"}[c]
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.String()
}

// FuzzSurvey checks, on arbitrary input: skip mode never fails after a good header, keeps
// Rows + Bad equal to the records read, counts reasons that sum to Bad, returns only ratings
// on their scales; strict mode fails exactly when skip mode found a bad row, at its first
// example's line; and writing the good rows back and reading them again gives them unchanged.
func FuzzSurvey(f *testing.F) {
	f.Add([]byte(survey), uint64(1))
	f.Add([]byte("response_id,date,nps\nR1,2026-01-01,10\n\"R2,2026-01-01,3\n"), uint64(2))
	f.Add([]byte("response_id,date,ces\r\nR1,2026-13-01,1\r\nR2,2026-01-01 10:00,7\r\n"), uint64(3))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rs, sum, err := LoadSurvey(strings.NewReader(string(data)), SurveyOptions{Options: Options{Policy: Skip, Examples: 3}})
		if err != nil {
			if !errors.Is(err, ErrHeader) && !strings.Contains(err.Error(), "header") {
				t.Fatalf("skip mode failed after the header: %v", err)
			}
			return
		}
		if sum.Rows != len(rs) {
			t.Fatalf("Rows %d, %d responses", sum.Rows, len(rs))
		}
		total := 0
		for _, rc := range sum.Reasons {
			total += rc.Count
		}
		if total != sum.Bad || len(sum.Examples) > 3 || (sum.Bad > 0) != (len(sum.Examples) > 0) {
			t.Fatalf("reasons %v sum to %d, bad %d, %d examples", sum.Reasons, total, sum.Bad, len(sum.Examples))
		}
		for _, r := range rs {
			if r.NPS > 10 || r.NPS < NoAnswer || r.CSAT > 5 || r.CSAT == 0 || r.CSAT < NoAnswer || r.CES > 7 || r.CES == 0 || r.CES < NoAnswer {
				t.Fatalf("rating off scale kept: %+v", r)
			}
		}
		_, _, serr := LoadSurvey(strings.NewReader(string(data)), SurveyOptions{})
		if (serr != nil) != (sum.Bad > 0) {
			t.Fatalf("strict error %v, skip found %d bad rows", serr, sum.Bad)
		}
		var re *RowError
		if serr != nil && (!errors.As(serr, &re) || re.Line != sum.Examples[0].Line) {
			t.Fatalf("strict error %v, first skipped %v", serr, sum.Examples[0])
		}
		if len(rs) == 0 {
			return
		}
		for i := range rs { // the encoder writes dates; the fuzzed input may hold instants
			rs[i].Time = time.Date(rs[i].Time.Year(), rs[i].Time.Month(), rs[i].Time.Day(), 0, 0, 0, 0, time.UTC)
		}
		again, sum2, err := LoadSurvey(strings.NewReader(writeSurvey(rs, rand.New(rand.NewPCG(seed, 1)))), SurveyOptions{})
		if err != nil || sum2.Bad != 0 {
			t.Fatalf("re-reading written rows: %v", err)
		}
		for i := range rs {
			if again[i] != rs[i] {
				t.Fatalf("row %d: wrote %+v, read %+v", i, rs[i], again[i])
			}
		}
	})
}
