package journey

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The path analysis is byte-identical to the previous implementation's (a Go map from path
// hash to path, and no touchpoint cache; main at 3bf8477): the SHA-256 of the JSON of each
// result below was computed with that code (go test -run TestAnalyzePathsGolden -v, printing
// the sums) on the same random logs. The logs have many repeated and many distinct paths, more
// touchpoints than the touchpoint cache has slots, and fresh name strings for every event.
func TestAnalyzePathsGolden(t *testing.T) {
	cases := []struct {
		events, customers, touchpoints int
		opt                            PathOptions
		want                           string // SHA-256 of the JSON, from main at 3bf8477
	}{
		{20_000, 3_000, 4, PathOptions{Top: -1}, "18ff132eff1154c2809a0b9ea66d4d884638d309034e1101671129bd772c8859"},
		{20_000, 3_000, 4, PathOptions{MaxLength: 3, CollapseRepeats: true, Top: -1}, "025c8c073663aedcfb802d92e8bd75dde257c9e72f71b998f5c8c179dc0b751c"},
		{50_000, 5_000, 200, PathOptions{Top: 50}, "f852ab1c1242759b2db46f1571513c9620ec879132544338f67b2eebb4b8b9e3"},
		{50_000, 20_000, 30, PathOptions{MaxLength: 2, Top: -1}, "d407c21a67f9e619b2e06a759711d2b9d22fcf474ebcb9ccdb16c0e6f6bd9cbe"},
	}
	for i, c := range cases {
		rng := rand.New(rand.NewPCG(uint64(i), 77))
		r, err := AnalyzePaths(randomEvents(rng, c.events, c.customers, c.touchpoints), c.opt)
		require.NoError(t, err)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		sum := sha256.Sum256(b)
		t.Logf("case %d: %s", i, hex.EncodeToString(sum[:]))
		assert.Equal(t, c.want, hex.EncodeToString(sum[:]), "case %d", i)
	}
}
