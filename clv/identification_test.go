package clv

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 10: on identical histories, or on three customers, the count models and BG/BB
// "converged" to run-off parameters (r ≈ 1.6e7, b ≈ 4.4e9, Converged: true) with a nil error.
// Such fits are errors wrapping ErrNotIdentified that say why.
func TestFitsThatCannotBeIdentified(t *testing.T) {
	same := Customer{Frequency: 2, Recency: 5, T: 10}
	sets := map[string][]Customer{
		"identical histories": {same, same, same},
		"three customers":     {same, {T: 8}, {Frequency: 1, Recency: 3, T: 9}},
	}
	fits := map[string]func([]Customer) (cxFit, error){
		"BG/NBD":  func(cs []Customer) (cxFit, error) { m, err := FitBGNBD(cs); return cxFit{m.Fit.Converged, m.R}, err },
		"MBG/NBD": func(cs []Customer) (cxFit, error) { m, err := FitMBGNBD(cs); return cxFit{m.Fit.Converged, m.R}, err },
		"Pareto/NBD": func(cs []Customer) (cxFit, error) {
			m, err := FitParetoNBD(cs)
			return cxFit{m.Fit.Converged, m.R}, err
		},
	}
	for sname, cs := range sets {
		for fname, fit := range fits {
			f, err := fit(cs)
			require.Error(t, err, "%s on %s", fname, sname)
			assert.ErrorIs(t, err, ErrNotIdentified, "%s on %s", fname, sname)
			assert.ErrorContains(t, err, "do not identify")
			assert.False(t, f.converged)
		}
	}
	d := Discrete{Frequency: 2, Recency: 3, Periods: 5}
	m, err := FitBGBB([]Discrete{d, d, d})
	assert.ErrorIs(t, err, ErrNotIdentified)
	assert.False(t, m.Fit.Converged)
	// Identical spends: nothing to estimate the spread from.
	g, err := FitGammaGamma([]Customer{{Frequency: 2, MonetaryValue: 3}, {Frequency: 2, MonetaryValue: 3}})
	assert.ErrorIs(t, err, ErrNotIdentified)
	assert.False(t, g.Fit.Converged)
}

type cxFit struct {
	converged bool
	r         float64
}

// A fit whose parameters run off towards 0 on a small sample (the first 100 CDNOW customers
// drive BG/NBD's a and b to 1e-8) is refused too, while the same sample identifies MBG/NBD and
// Pareto/NBD, and the standard errors of what is identified are finite.
func TestRunOffOnSmallSample(t *testing.T) {
	cs := loadCDNOWSummaryCM(t)[:100]
	_, err := FitBGNBD(cs)
	assert.ErrorIs(t, err, ErrNotIdentified)
	assert.ErrorContains(t, err, "parameter a ran off")
	pn, err := FitParetoNBD(cs)
	require.NoError(t, err)
	es, err := pn.Estimates(cs)
	require.NoError(t, err)
	for _, e := range es {
		assert.True(t, finite(e.StdErr) && e.StdErr > 0, "%v", e)
	}
	mb, err := FitMBGNBD(cs)
	require.NoError(t, err)
	assert.True(t, mb.Fit.Converged)
}

// The identification check is unit-free: the same CDNOW data in hours (α and β 168 times
// larger) fit as in weeks.
func TestIdentificationDoesNotDependOnTheUnit(t *testing.T) {
	cs := loadCDNOWSummaryCM(t)
	hours := make([]Customer, len(cs))
	for i, c := range cs {
		c.Recency *= 168
		c.T *= 168
		hours[i] = c
	}
	m, err := FitBGNBD(hours)
	require.NoError(t, err)
	assert.InDelta(t, 4.414*168, m.Alpha, 0.01*4.414*168)
	if errors.Is(err, ErrNotIdentified) {
		t.Fatal(err)
	}
}
