package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	s := out.String()
	for _, want := range []string{
		"Online shop: 12 customers, 60 answers, 12 contacts, 12 visits (as of 2026-06-29)",
		// Checkout CSAT: 5 of 12 answers are 4-5 (c01, c02, c03, c05, c11) → 41.7.
		"Checkout        purchase          12   41.7",
		"1. Checkout — CSAT 41.7",
		"retention at 90 days",
		"journey\n    title Online shop\n",
		"key drivers",
	} {
		assert.Contains(t, s, want)
	}
}
