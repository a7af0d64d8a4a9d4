package csat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 10: sample sizes that do not fit in an int were −9223372036854775808 with a nil error.
func TestSampleSizeOverflowIsAnError(t *testing.T) {
	_, err := SampleSize(1e-8, 0.95)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "margin 1e-08")
	_, err = SampleSizeExpected(50, 5, 0.9999999999999999)
	require.ErrorIs(t, err, ErrOutOfRange)
	assert.Contains(t, err.Error(), "0.9999999999999999")
	_, err = SampleSizeDifference(50, 1e-8, 0.95, 0.8)
	require.ErrorIs(t, err, ErrOutOfRange)
}

// Issue 10: one top-box answer against one bottom-box answer is below Campbell's (2007)
// minimum expected count of 1 (each is 0.5): an error, never a p-value near 0.
func TestCompareTinySamples(t *testing.T) {
	a, err := Score(FivePoint, []int{5})
	require.NoError(t, err)
	b, err := Score(FivePoint, []int{1})
	require.NoError(t, err)
	_, err = Compare(a, b)
	require.ErrorIs(t, err, ErrTooSmall)
	assert.Contains(t, err.Error(), "0.5")
	_, err = CompareMeans(a, b)
	assert.ErrorIs(t, err, ErrEmpty, "an effective size of 1 has no spread to compare")
	two, _ := Score(FivePoint, []int{5, 5})
	low, _ := Score(FivePoint, []int{1, 1})
	_, err = CompareMeans(two, low)
	assert.ErrorIs(t, err, ErrTooSmall, "no spread in either sample: no P = 0 from a zero standard error")
}
