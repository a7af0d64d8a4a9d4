package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportOnSample(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, "", 30))
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
