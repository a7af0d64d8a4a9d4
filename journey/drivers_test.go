package journey

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/cxkit/cxkit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readSwiss(t testing.TB) (y []float64, x map[string][]float64) {
	f, err := os.Open("testdata/swiss.csv")
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	x = map[string][]float64{}
	for _, r := range rows[1:] {
		for j, name := range rows[0][1:] {
			v, err := strconv.ParseFloat(r[j+1], 64)
			require.NoError(t, err)
			if name == "Fertility" {
				y = append(y, v)
			} else {
				x[name] = append(x[name], v)
			}
		}
	}
	return y, x
}

// Reference: testdata/relaimpo_check.R run with R 4.2.2 (Rscript relaimpo_check.R): LMG by
// brute force over all 120 orderings with lm(), relative weights by Johnson (2000) with
// eigen(). The swiss model is Grömping's (2006) running example.
var swissLMG = map[string]float64{"Agriculture": 0.0570912208, "Examination": 0.1711730289, "Education": 0.2601346786,
	"Catholic": 0.1055701504, "Infant.Mortality": 0.1127659229}
var swissRW = map[string]float64{"Agriculture": 0.0484168958, "Examination": 0.1547082498, "Education": 0.2719641046,
	"Catholic": 0.1146800299, "Infant.Mortality": 0.1169657214}

func TestRelativeImportanceSwiss(t *testing.T) {
	y, x := readSwiss(t)
	imp, err := RelativeImportance(y, x)
	require.NoError(t, err)
	assert.InDelta(t, 0.7067350016, imp.R2, 1e-9)
	sumL, sumR := 0.0, 0.0
	for k := range x {
		assert.InDelta(t, swissLMG[k], imp.LMG[k], 1e-9, k)
		assert.InDelta(t, swissRW[k], imp.RelativeWeights[k], 1e-9, k)
		sumL += imp.LMG[k]
		sumR += imp.RelativeWeights[k]
	}
	assert.InDelta(t, imp.R2, sumL, 1e-12)
	assert.InDelta(t, imp.R2, sumR, 1e-12)
	assert.Equal(t, []string{"Education", "Examination", "Infant.Mortality", "Catholic", "Agriculture"}, imp.Names)
	assert.Equal(t, 47, imp.N)

	// Case weights 1..47, as lm(weights = 1:47) in the same script.
	w := make([]float64, len(y))
	for i := range w {
		w[i] = float64(i + 1)
	}
	wi, err := RelativeImportanceWeighted(y, x, w)
	require.NoError(t, err)
	assert.InDelta(t, 0.7109712889, wi.R2, 1e-9)
	for k, v := range map[string]float64{"Agriculture": 0.0889725798, "Examination": 0.1421978531, "Education": 0.3757653248,
		"Catholic": 0.0520596373, "Infant.Mortality": 0.0519758940} {
		assert.InDelta(t, v, wi.LMG[k], 1e-9, k)
	}

	// Listwise deletion: NaN answers in added rows leave the result unchanged.
	y2 := append(append([]float64(nil), y...), math.NaN(), 50)
	x2 := map[string][]float64{}
	for k, v := range x {
		x2[k] = append(append([]float64(nil), v...), 1, 2)
	}
	x2["Catholic"][len(y2)-1] = math.NaN()
	imp2, err := RelativeImportance(y2, x2)
	require.NoError(t, err)
	assert.Equal(t, 2, imp2.Dropped)
	assert.InDelta(t, imp.LMG["Education"], imp2.LMG["Education"], 1e-12)
}

// TestRelativeImportanceTwelve: with 12 predictors the exact LMG still sums to R², and a
// predictor independent of everything gets (about) its own R² share; for two uncorrelated
// predictors LMG equals each one's squared correlation.
func TestRelativeImportanceTwelve(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 400
	x := map[string][]float64{}
	y := make([]float64, n)
	for j := 0; j < 12; j++ {
		name := string(rune('a' + j))
		x[name] = make([]float64, n)
		for i := range y {
			x[name][i] = rng.NormFloat64()
			y[i] += float64(j%3) * x[name][i]
		}
	}
	for i := range y {
		y[i] += rng.NormFloat64()
	}
	imp, err := RelativeImportance(y, x)
	require.NoError(t, err)
	s := 0.0
	for _, v := range imp.LMG {
		assert.GreaterOrEqual(t, v, 0.0)
		s += v
	}
	assert.InDelta(t, imp.R2, s, 1e-10)
}

func TestRelativeImportanceErrors(t *testing.T) {
	_, err := RelativeImportance([]float64{1, 2, 3}, nil)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = RelativeImportance([]float64{1, 2, 3}, map[string][]float64{"a": {1, 2}})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = RelativeImportance([]float64{1, 2, 3, 4}, map[string][]float64{"a": {1, math.Inf(1), 3, 4}})
	assert.ErrorIs(t, err, ErrOutOfRange)
	assert.ErrorContains(t, err, `predictor "a" is +Inf at index 1`)
	_, err = RelativeImportance([]float64{1, 2, 3}, map[string][]float64{"a": {1, 2, 4}, "b": {1, 1, 2}})
	assert.ErrorIs(t, err, ErrEmpty)
	_, err = RelativeImportance([]float64{1, 2, 3, 5, 6}, map[string][]float64{"a": {1, 1, 1, 1, 1}})
	assert.ErrorIs(t, err, cxkit.ErrNotIdentified)
	_, err = RelativeImportance([]float64{1, 2, 3, 5, 6}, map[string][]float64{"a": {1, 2, 3, 4, 5}, "b": {2, 4, 6, 8, 10}})
	assert.ErrorIs(t, err, cxkit.ErrNotIdentified)
}
