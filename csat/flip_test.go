package csat

import (
	"testing"

	"github.com/cxkit/cxkit/internal/wire/wiretest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryByteFlipIsAnError changes every byte of the binary encoding of a non-trivial tally
// to each of its 255 other values: UnmarshalBinary must refuse every one (the CRC-32 of the
// encoding catches them) and leave the target unchanged.
func TestEveryByteFlipIsAnError(t *testing.T) {
	var tl Tally
	for i := 0; i < 60; i++ {
		require.NoError(t, tl.AddWeighted(1+i%5, 0.5+float64(i%4)))
	}
	b, err := tl.MarshalBinary()
	require.NoError(t, err)
	var back Tally
	require.NoError(t, back.UnmarshalBinary(b))
	wiretest.EveryByteFlip(t, b, back.UnmarshalBinary)
	assert.Equal(t, tl, back, "failed decodes leave the target unchanged")
}
