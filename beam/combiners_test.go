package cxbeam

import (
	"testing"

	"github.com/cxkit/cxkit/nps"
	"github.com/stretchr/testify/require"
)

func TestNPS(t *testing.T) {
	global, perKey := runCombine(t, genNPS, NPS{})
	all, per := onePass(t, genNPS, func() *nps.Tally { return &nps.Tally{} })
	want, err := all.Result()
	require.NoError(t, err)
	require.Equal(t, perShard*shards, want.Responses)
	wantPer := map[string]nps.Result{}
	for k, a := range per {
		wantPer[k], err = a.Result()
		require.NoError(t, err)
	}
	equalResults(t, global, perKey, want, wantPer)
}
