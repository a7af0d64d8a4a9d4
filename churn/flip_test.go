package churn

import (
	"testing"

	"github.com/cxkit/cxkit/internal/wire/wiretest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTallyEveryByteFlipIsAnError changes every byte of the binary encoding of a non-trivial
// tally (churned and censored rows, late entries, weights) to each of its 255 other values:
// UnmarshalBinary must refuse every one (the CRC-32 of internal/wire catches them; before
// issue 10 a third of them decoded into a different tally) and leave the target unchanged.
func TestTallyEveryByteFlipIsAnError(t *testing.T) {
	var tl Tally
	for i := range 40 {
		s := Subject{Duration: float64(i%13 + 1), Churned: i%3 != 0, Weight: 0.5 + float64(i%4)}
		if i%5 == 0 {
			s.Entry = 0.5
		}
		require.NoError(t, tl.Add(s))
	}
	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	var back Tally
	require.NoError(t, back.UnmarshalBinary(b))
	want, _ := back.MarshalBinary()
	wiretest.EveryByteFlip(t, b, back.UnmarshalBinary)
	got, _ := back.MarshalBinary()
	assert.Equal(t, want, got, "failed decodes leave the target unchanged")
}
