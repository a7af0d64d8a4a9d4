package clv

import (
	"fmt"
	"math"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv/internal/countmodel"
	"github.com/cxkit/cxkit/internal/stat"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
	gstat "gonum.org/v1/gonum/stat"
)

// GammaGamma is the Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005,
// "RFM and CLV: using iso-value curves for customer base analysis", J. Marketing Research
// 42(4); Fader & Hardie 2013, "The Gamma-Gamma model of monetary value", note 025).
//
// A customer's transaction values are gamma(P, ν) around a personal mean P/ν, and ν varies
// across customers as gamma(Q, V). The mean spend of the population is P·V/(Q−1) (Q > 1).
type GammaGamma struct {
	P float64 `json:"p"` // shape of the individual transaction values
	Q float64 `json:"q"` // shape of the heterogeneity in the scale ν
	V float64 `json:"v"` // scale (rate) of the heterogeneity in ν: the γ of the papers
	// Fit reports how the maximum-likelihood fit ended (zero for a hand-made model).
	Fit cxkit.Fit `json:"fit"`
}

// checkSpender checks the two fields the Gamma-Gamma model reads.
func checkSpender(i int, c Customer) error {
	switch {
	case c.Frequency < 1:
		return fmt.Errorf("clv: %s has frequency %d: the Gamma-Gamma model needs repeat buyers (see RepeatBuyers): %w",
			describeCustomer(i, c), c.Frequency, ErrOutOfRange)
	case !finite(c.MonetaryValue) || c.MonetaryValue <= 0:
		return fmt.Errorf("clv: %s has monetary value %v: spend must be positive and finite (Spenders sets aside repeat buyers whose repeat purchases are all worth 0): %w",
			describeCustomer(i, c), c.MonetaryValue, ErrOutOfRange)
	case !finite(c.Weight) || c.Weight < 0:
		return fmt.Errorf("clv: %s has weight %v: must be finite and non-negative: %w", describeCustomer(i, c), c.Weight, ErrOutOfRange)
	}
	return nil
}

func (g GammaGamma) validate() error {
	for _, p := range []struct {
		n string
		v float64
	}{{"P", g.P}, {"Q", g.Q}, {"V", g.V}} {
		if !finite(p.v) || p.v <= 0 {
			return fmt.Errorf("clv: Gamma-Gamma parameter %s = %v must be positive and finite: %w", p.n, p.v, ErrOutOfRange)
		}
	}
	return nil
}

// RepeatBuyers returns the customers with at least one repeat purchase (Frequency > 0), the
// input of [FitGammaGamma]: customers without repeat purchases carry no information on spend
// in this model (their MonetaryValue is 0 by convention).
func RepeatBuyers(cs []Customer) []Customer {
	out := make([]Customer, 0, len(cs))
	for _, c := range cs {
		if c.Frequency > 0 {
			out = append(out, c)
		}
	}
	return out
}

// Spenders splits customers for the Gamma-Gamma model, which needs repeat buyers with a
// positive mean spend: spenders are those, in order; zeroValue are the repeat buyers whose
// repeat purchases are all worth 0 (free orders, fully refunded or discounted), which the
// model cannot take (their likelihood is 0), in order, so that a caller can count and report
// them; customers without a repeat purchase are in neither. Fit the model on spenders, and
// project the zero-value buyers with [Projection.ZeroSpend] set to
// [ZeroSpendPopulationMean], or leave them out and say so.
func Spenders(cs []Customer) (spenders, zeroValue []Customer) {
	for _, c := range cs {
		switch {
		case c.Frequency <= 0:
		case c.MonetaryValue == 0:
			zeroValue = append(zeroValue, c)
		default:
			spenders = append(spenders, c)
		}
	}
	return spenders, zeroValue
}

// ggLogLik is the log-likelihood of one customer's mean spend z over x transactions,
//
//	ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln z + px ln x − (px+q) ln(v + x z),
//
// computed in the rearranged form −ln B(px, q) − ln z − px log1p(v/(xz)) − q log1p(xz/v), in
// which no two large terms cancel: the direct form gives Inf − Inf = NaN once q or px is large
// enough for its log-gamma to overflow (q = 1.7e306 in a fuzz case), while the true value
// is still finite.
func ggLogLik(p, q, v float64, x int, z float64) float64 {
	fx := float64(x)
	px := p * fx
	xz := fx * z
	return -stat.LogBeta(px, q) - math.Log(z) - px*math.Log1p(v/xz) - q*math.Log1p(xz/v)
}

// LogLikelihood is the weighted log-likelihood of the customers' mean spends under the
// model (the density of the observed mean z̄ given x transactions). The customers must pass
// the checks of [FitGammaGamma].
func (g GammaGamma) LogLikelihood(cs []Customer) (float64, error) {
	if err := g.validate(); err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		return 0, fmt.Errorf("clv: no customers: %w", ErrEmpty)
	}
	ll := 0.0
	for i, c := range cs {
		if err := checkSpender(i, c); err != nil {
			return 0, err
		}
		ll += c.weight() * ggLogLik(g.P, g.Q, g.V, c.Frequency, c.MonetaryValue)
	}
	if !finite(ll) {
		return 0, fmt.Errorf("clv: Gamma-Gamma log-likelihood at P = %v, Q = %v, V = %v is %v: beyond the float64 range: %w",
			g.P, g.Q, g.V, ll, ErrOutOfRange)
	}
	return ll, nil
}

// FitGammaGamma fits the Gamma-Gamma spend model by maximum likelihood to customers with at
// least one repeat purchase: every customer needs Frequency ≥ 1 and a positive, finite
// MonetaryValue (the mean value of the repeat purchases); Recency and T are not used. Pass
// [RepeatBuyers] of a full summary; a customer with Frequency 0 is an error naming its index
// rather than being dropped silently. Weights count identical customers (a zero Weight counts as 1).
//
// The likelihood is maximised over the logarithms of P, Q and V with BFGS and an analytic
// gradient (gonum BFGS). A fit that does not converge is an error wrapping [ErrNotConverged];
// one that the data do not identify (parameters running off towards 0 or ∞, as identical
// spends make them, or a singular information matrix) wraps [ErrNotIdentified] and says why; the result then
// still carries its Fit diagnostics.
//
// On the 946 repeat buyers of CDNOW it gives P = 6.2488, Q = 3.7446, V = 15.4478 and a
// log-likelihood of −4055.92 (Fader, Hardie & Lee 2005).
func FitGammaGamma(cs []Customer) (GammaGamma, error) {
	if len(cs) == 0 {
		return GammaGamma{}, fmt.Errorf("clv: no customers to fit: %w", ErrEmpty)
	}
	eval, sumW, mean, err := ggPrepare(cs)
	if err != nil {
		return GammaGamma{}, err
	}
	// The optimiser asks for the value and the gradient at the same points: compute both once.
	memo := &countmodel.Memo{Eval: eval}
	// Start from p = q = 1 with V matching the observed mean spend (p·v/(q−1) is undefined
	// at q = 1, so use q = 2: mean = v).
	x0 := []float64{0, math.Log(2), math.Log(mean)}
	th, fit, err := stat.Minimize(stat.Objective{Func: memo.Func, Grad: memo.Grad}, x0, 0)
	fit.LogLikelihood *= sumW // the objective is the mean, per unit weight
	g := GammaGamma{Fit: fit}
	if th != nil {
		g.P, g.Q, g.V = math.Exp(th[0]), math.Exp(th[1]), math.Exp(th[2])
	}
	if err != nil {
		return g, fmt.Errorf("clv: FitGammaGamma: %w", err)
	}
	names := []string{"p", "q", "v"}
	err = countmodel.Identify(names, th, []float64{1, 1, mean}, func() *mat.SymDense {
		return countmodel.Information(func() func(theta, grad []float64) float64 { return eval }, th, sumW, false)
	})
	if err != nil {
		g.Fit.Converged = false
		return g, fmt.Errorf("clv: FitGammaGamma: %w", err)
	}
	return g, nil
}

// ggPrepare validates and groups the spenders, and returns the Gamma-Gamma objective (the
// negative log-likelihood per unit weight at log-parameters th, with its gradient, safe for
// concurrent use), the total weight and the weighted mean spend.
func ggPrepare(cs []Customer) (func(th, grad []float64) float64, float64, float64, error) {
	if len(cs) == 0 {
		return nil, 0, 0, fmt.Errorf("clv: no customers: %w", ErrEmpty)
	}
	// The objective is the negative log-likelihood per unit weight, so that the optimiser's
	// absolute tolerances mean the same for 100 customers and for a million.
	//
	// Identical (x, z̄) pairs are merged, and the terms that depend on x alone (the log-gamma
	// and digamma functions) are computed once per distinct x: per customer, an iteration
	// costs one logarithm and one division.
	type row struct{ x, z, w float64 }
	type key struct {
		x int
		z float64
	}
	// Merging stops when the first rows turn out to be mostly distinct: a map of a million
	// distinct keys costs more than it saves.
	idx := make(map[key]int, min(len(cs), 1<<14))
	rows := make([]row, 0, min(len(cs), 1<<16))
	var smallX [smallXBound]int32 // index into xs of x < smallXBound, plus one
	bigX := map[int]int{}
	var xs, xw []float64
	var sumW, sumWZ, sumWXLZ, sumWLZ float64
	for i, c := range cs {
		if err := checkSpender(i, c); err != nil {
			return nil, 0, 0, err
		}
		w := c.weight()
		if idx != nil {
			k := key{c.Frequency, c.MonetaryValue}
			if j, ok := idx[k]; ok {
				rows[j].w += w
			} else {
				idx[k] = len(rows)
				rows = append(rows, row{x: float64(c.Frequency), z: c.MonetaryValue, w: w})
			}
			if i+1 == mergeProbe && 2*len(rows) > mergeProbe {
				idx = nil
			}
		} else {
			rows = append(rows, row{x: float64(c.Frequency), z: c.MonetaryValue, w: w})
		}
		var g int
		if c.Frequency < smallXBound {
			if smallX[c.Frequency] == 0 {
				xs = append(xs, float64(c.Frequency))
				xw = append(xw, 0)
				smallX[c.Frequency] = int32(len(xs))
			}
			g = int(smallX[c.Frequency]) - 1
		} else {
			var ok bool
			if g, ok = bigX[c.Frequency]; !ok {
				g = len(xs)
				bigX[c.Frequency] = g
				xs = append(xs, float64(c.Frequency))
				xw = append(xw, 0)
			}
		}
		xw[g] += w
		lz := math.Log(c.MonetaryValue)
		sumW += w
		sumWZ += w * c.MonetaryValue
		sumWXLZ += w * float64(c.Frequency) * lz
		sumWLZ += w * lz
	}
	// eval returns the negative log-likelihood per unit weight at the log-parameters th and
	// its gradient:
	//   LL = Σ_x W_x[ln Γ(px+q) − ln Γ(px) + px ln x] + W(q ln v − ln Γ(q)) + p·Σwx ln z̄
	//        − Σw ln z̄ − Σ w(px+q) ln(v + x z̄)
	eval := func(th, grad []float64) float64 {
		p, q, v := math.Exp(th[0]), math.Exp(th[1]), math.Exp(th[2])
		lgq, _ := math.Lgamma(q)
		lv := math.Log(v)
		var fx, gpx, gqx float64
		for g, x := range xs {
			px := p * x
			a, _ := math.Lgamma(px + q)
			b, _ := math.Lgamma(px)
			lx := math.Log(x)
			fx += xw[g] * (a - b + px*lx)
			d1 := mathext.Digamma(px + q)
			gpx += xw[g] * x * (d1 - mathext.Digamma(px) + lx)
			gqx += xw[g] * d1
		}
		sums := countmodel.ChunkedSum(len(rows), func(lo, hi int) (s [5]float64) {
			for _, r := range rows[lo:hi] {
				d := v + r.x*r.z
				wl := r.w * math.Log(d)
				s[0] += wl
				s[1] += wl * r.x
				s[2] += r.w * (p*r.x + q) / d
			}
			return s
		})
		sWL, sXL, sR := sums[0], sums[1], sums[2]
		ll := fx + sumW*(q*lv-lgq) + p*sumWXLZ - sumWLZ - (p*sXL + q*sWL)
		gp := gpx + sumWXLZ - sXL
		gq := gqx + sumW*(lv-mathext.Digamma(q)) - sWL
		gv := sumW*q/v - sR
		// Chain rule for the log-parameters, a sign for the negative log-likelihood, and the
		// normalisation by the total weight.
		grad[0], grad[1], grad[2] = -gp*p/sumW, -gq*q/sumW, -gv*v/sumW
		return -ll / sumW
	}
	return eval, sumW, sumWZ / sumW, nil
}

// ExpectedSpend is the population mean spend per transaction, P·V/(Q−1). It is an error
// wrapping [ErrOutOfRange] when Q ≤ 1, where the mean is infinite.
func (g GammaGamma) ExpectedSpend() (float64, error) {
	if err := g.validate(); err != nil {
		return 0, err
	}
	if g.Q <= 1 {
		return 0, fmt.Errorf("clv: Gamma-Gamma Q = %v ≤ 1: the mean spend is infinite: %w", g.Q, ErrOutOfRange)
	}
	return g.P * g.V / (g.Q - 1), nil
}

// ConditionalExpectedSpend is the expected mean spend per transaction of a customer with the
// given history (Fader, Hardie & Lee 2005, eq. 5): a weighted average of the population mean
// and the customer's observed mean z̄ = MonetaryValue over x = Frequency repeat purchases,
//
//	E(Z | x, z̄) = (p·V + p·x·z̄)/(p·x + q − 1)
//	            = (q−1)/(px+q−1) · pV/(q−1) + px/(px+q−1) · z̄.
//
// A customer without repeat purchases (x = 0, z̄ = 0) gets the population mean. The
// customer needs x ≥ 0 and, when x > 0, a positive finite MonetaryValue; Q ≤ 1 is an error
// wrapping [ErrOutOfRange], as in [GammaGamma.ExpectedSpend].
func (g GammaGamma) ConditionalExpectedSpend(c Customer) (float64, error) {
	if err := g.validate(); err != nil {
		return 0, err
	}
	if g.Q <= 1 {
		return 0, fmt.Errorf("clv: Gamma-Gamma Q = %v ≤ 1: the mean spend is infinite: %w", g.Q, ErrOutOfRange)
	}
	switch {
	case c.Frequency < 0:
		return 0, fmt.Errorf("clv: frequency %d is negative: %w", c.Frequency, ErrOutOfRange)
	case c.Frequency == 0 && c.MonetaryValue != 0:
		return 0, fmt.Errorf("clv: monetary value %v with zero frequency: %w", c.MonetaryValue, ErrOutOfRange)
	case c.Frequency > 0 && (!finite(c.MonetaryValue) || c.MonetaryValue <= 0):
		return 0, fmt.Errorf("clv: monetary value %v must be positive and finite: %w", c.MonetaryValue, ErrOutOfRange)
	}
	px := g.P * float64(c.Frequency)
	// (q−1)/(px+q−1) · pV/(q−1) + px/(px+q−1) · z̄: two weights in [0, 1] on finite means, so
	// nothing overflows unless the population mean pV/(q−1) itself does.
	d := px + g.Q - 1
	s := (g.Q-1)/d*(g.P*(g.V/(g.Q-1))) + px/d*c.MonetaryValue
	if !finite(s) {
		return 0, fmt.Errorf("clv: Gamma-Gamma conditional spend at P = %v, Q = %v, V = %v for frequency %d and monetary value %v is %v: beyond the float64 range: %w",
			g.P, g.Q, g.V, c.Frequency, c.MonetaryValue, s, ErrOutOfRange)
	}
	return s, nil
}

// SpendFrequencyCorrelation is the weighted Pearson correlation between Frequency and
// MonetaryValue across repeat buyers, the check of the Gamma-Gamma model's assumption that
// spend does not depend on purchase frequency: it should be close to 0 (0.11 on CDNOW). The
// customers must pass the checks of [FitGammaGamma]; fewer than two is an error wrapping
// [ErrEmpty]. The result is NaN when either variable is constant (the correlation is undefined).
func SpendFrequencyCorrelation(cs []Customer) (float64, error) {
	if len(cs) < 2 {
		return 0, fmt.Errorf("clv: %d customers: a correlation needs at least two: %w", len(cs), ErrEmpty)
	}
	x := make([]float64, len(cs))
	z := make([]float64, len(cs))
	w := make([]float64, len(cs))
	for i, c := range cs {
		if err := checkSpender(i, c); err != nil {
			return 0, err
		}
		x[i], z[i], w[i] = float64(c.Frequency), c.MonetaryValue, c.weight()
	}
	return gstat.Correlation(x, z, w), nil
}

const (
	// smallXBound is the bound below which frequencies are grouped through an array, not a map.
	smallXBound = 4096
	// mergeProbe is the number of customers after which FitGammaGamma stops merging
	// identical (x, z̄) pairs if more than half of them were distinct.
	mergeProbe = 1 << 14
)

// Estimates returns P, Q and V with their asymptotic standard errors on the repeat buyers the
// model was fitted to (the inverse observed information, as BGNBD.Estimates). Customers are
// checked as in FitGammaGamma.
func (g GammaGamma) Estimates(cs []Customer) ([]cxkit.Estimate, error) {
	names, values := []string{"P", "Q", "V"}, []float64{g.P, g.Q, g.V}
	if err := g.validate(); err != nil {
		return nil, err
	}
	eval, sumW, _, err := ggPrepare(cs)
	if err != nil {
		return nil, err
	}
	return countmodel.EstimatesFrom(names, values, func() func(theta, grad []float64) float64 { return eval }, sumW, nil), nil
}
