package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkthrough(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()

	// The seed formula recomputed by hand from the embedded export: total time to first
	// response over the answered tickets, divided by their number.
	qs, err := load(tickets)
	require.NoError(t, err)
	var total time.Duration
	answered := 0
	for _, q := range qs {
		if !q.FirstResponse.IsZero() {
			total += q.FirstResponse.Sub(q.Received)
			answered++
		}
	}
	require.Equal(t, 13, answered)
	mean := (total / time.Duration(answered)).Round(time.Second) // the report shows whole seconds
	assert.Contains(t, s, "queries 15 (excluded 0), answered 13, unanswered 2")
	assert.Contains(t, s, "first response: mean "+mean.String()+",")
	assert.Contains(t, s, "== business hours (New York, Mon-Fri 9-5, US holidays) ==")
	assert.Contains(t, s, "first-reply breach: T-1014 (urgent) 1h40m0s against 1h0m0s")
	assert.Contains(t, s, "== by channel, business hours ==")
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "no tickets"},
		{"id,channel,priority,team,received,first_response,resolved\n", "no tickets"},
		{"a,b,c\nT-1,email,normal\n", "row 2: 3 fields"},
		{"id,channel,priority,team,received,first_response,resolved\nT-1,email,normal,billing,yesterday,,\n", "row 2"},
	} {
		_, err := load(tc.in)
		require.Error(t, err, "%q", tc.in)
		assert.ErrorContains(t, err, tc.want)
	}
	_, err := load(strings.Replace(tickets, "2026-11-20T15:10:00Z", "2026-11-20T14:00:00Z", 1))
	require.NoError(t, err, "load does not judge the times; Summarize does")
}
