package clv

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSimple(t *testing.T) {
	for _, tc := range []struct {
		rev, years, cac, want float64
	}{
		// The seed's formula: annual revenue × years − acquisition cost.
		{1200, 3, 500, 3100},
		{0, 5, 100, -100},
		{250.5, 0, 0, 0},
	} {
		got, err := Simple(tc.rev, tc.years, tc.cac)
		require.NoError(t, err)
		assert.InDelta(t, tc.want, got, 1e-12)
	}
	for _, tc := range []struct {
		rev, years, cac float64
		msg             string
	}{
		{-1, 3, 5, "annual revenue -1"},
		{1, math.NaN(), 5, "years NaN"},
		{1, 3, math.Inf(1), "acquisition cost +Inf"},
		{1, -2, 0, "years -2"},
	} {
		_, err := Simple(tc.rev, tc.years, tc.cac)
		require.Error(t, err)
		assert.True(t, errors.Is(err, ErrOutOfRange))
		assert.ErrorContains(t, err, tc.msg)
	}
}

func TestMarginCLV(t *testing.T) {
	for _, tc := range []struct {
		m, r, d float64
	}{
		{100, 0.8, 0.12}, {100, 0.9, 0.1}, {50, 0.6, 0.16}, {10, 1, 0.05}, {10, 0, 0.1}, {-20, 0.5, 0},
	} {
		got, err := MarginCLV(tc.m, tc.r, tc.d)
		require.NoError(t, err)
		// Gupta & Lehmann (2003): CLV = m·r/(1+i−r), the limit of the discounted sum of
		// retained margins, summed here term by term.
		sum, q := 0.0, 1.0
		for k := 1; k < 20000; k++ {
			q *= tc.r / (1 + tc.d)
			sum += tc.m * q
		}
		assert.InDelta(t, sum, got, 1e-9*math.Max(1, math.Abs(sum)), "%+v", tc)
		assert.InDelta(t, tc.m*tc.r/(1+tc.d-tc.r), got, 1e-12*math.Abs(got)+1e-15)
		for _, n := range []int{0, 1, 5, 40} {
			fin, err := MarginCLVFinite(tc.m, tc.r, tc.d, n)
			require.NoError(t, err)
			s, q := 0.0, 1.0
			for k := 1; k <= n; k++ {
				q *= tc.r / (1 + tc.d)
				s += tc.m * q
			}
			assert.InDelta(t, s, fin, 1e-10*math.Max(1, math.Abs(s)), "%+v n=%d", tc, n)
		}
	}
	// Gupta & Lehmann's margin multiple r/(1+i−r) for r = 90%, i = 10%: 4.5.
	mm, err := MarginCLV(1, 0.9, 0.1)
	require.NoError(t, err)
	assert.InDelta(t, 4.5, mm, 1e-12)
	// Without discounting and full retention the finite sum is m·n.
	fin, err := MarginCLVFinite(7, 1, 0, 12)
	require.NoError(t, err)
	assert.InDelta(t, 84, fin, 1e-12)
}

func TestMarginCLVErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  func() error
		msg  string
	}{
		{"divergent", func() error { _, err := MarginCLV(1, 1, 0); return err }, "divergent"},
		{"retention above 1", func() error { _, err := MarginCLV(1, 1.2, 0.5); return err }, "retention rate 1.2"},
		{"negative retention", func() error { _, err := MarginCLVFinite(1, -0.1, 0.5, 3); return err }, "retention rate -0.1"},
		{"discount", func() error { _, err := MarginCLV(1, 0.5, -1); return err }, "discount rate -1"},
		{"NaN margin", func() error { _, err := MarginCLV(math.NaN(), 0.5, 0.1); return err }, "margin NaN"},
		{"negative periods", func() error { _, err := MarginCLVFinite(1, 0.5, 0.1, -1); return err }, "periods -1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrOutOfRange), "%v", err)
			assert.ErrorContains(t, err, tc.msg)
		})
	}
}

func ExampleSimple() {
	// $1,200 of revenue a year for 3 years, $500 to acquire the customer.
	v, err := Simple(1200, 3, 500)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v)
	// Output: 3100
}

func ExampleMarginCLV() {
	// $100 margin a year, 80% of customers stay each year, 12% cost of capital.
	v, err := MarginCLV(100, 0.8, 0.12)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", v)
	// Output: 250.00
}

func ExampleMarginCLVFinite() {
	// The same customer valued over a 5-year horizon only.
	v, err := MarginCLVFinite(100, 0.8, 0.12, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.2f\n", v)
	// Output: 203.52
}
