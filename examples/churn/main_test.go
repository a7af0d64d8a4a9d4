package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkthrough(t *testing.T) {
	recs, err := load(sample)
	require.NoError(t, err)
	require.Len(t, recs, 80)

	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()
	for _, want := range []string{
		"== Monthly churn (base = customers at the start of the month)",
		"2024-07    30         4     9         0   25  30.0%", // 9 lost of 30 at the start
		"log-rank: χ² =",
		"== Shifted-beta-geometric model, monthly cohorts fitted jointly",
		"customer with 12 renewals: DERL",
	} {
		assert.Contains(t, s, want)
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "no subscriptions"},
		{"customer,plan,start,end\n", "no subscriptions"},
		{"a,b\nc1,basic\n", "row 2: 2 fields"},
		{"customer,plan,start,end\nc1,basic,2024-13-01,\n", "row 2"},
		{"customer,plan,start,end\nc1,basic,2024-01-01,soon\n", "row 2"},
	} {
		_, err := load(tc.in)
		require.Error(t, err, "%q", tc.in)
		assert.ErrorContains(t, err, tc.want)
	}
}
