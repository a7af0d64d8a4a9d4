package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkthroughOnSample(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, "", 5))
	s := out.String()
	assert.Contains(t, s, "1801 transactions")
	assert.Contains(t, s, "600 customers")
	assert.Contains(t, s, "BG/NBD: r=")
	assert.Contains(t, s, "Gamma-Gamma: p=")
	assert.Contains(t, s, "Projected revenue")
}

func TestReadTransactionsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "no transactions"},
		{"1 2 3\n", "line 1: 3 fields"},
		{" 00001 0001 19971301  1   11.77\n", "line 1: date"},
		{" 00001 0001 19970101  1   x\n", "line 1: amount"},
	} {
		_, err := readTransactions(strings.NewReader(tc.in))
		require.Error(t, err)
		assert.ErrorContains(t, err, tc.want)
	}
}
