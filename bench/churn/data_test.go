package churnbench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCSVRoundTrip(t *testing.T) {
	want := Generate(1000, 2026)
	path := filepath.Join(t.TempDir(), "s.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, WriteCSV(f, want))
	require.NoError(t, f.Close())
	got, err := ReadCSV(path)
	require.NoError(t, err)
	assert.Equal(t, want, got, "durations survive the text round trip bit for bit")
	assert.Equal(t, Generate(1000, 2026), want, "same seed, same subjects")
}
