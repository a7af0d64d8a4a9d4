package countmodel

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

func relDiff(got, want float64) float64 { return math.Abs(got-want) / math.Abs(want) }

// TestBGConditionalEulerFormCM compares the Euler-transformed conditional expectation with
// FHL 2005 eq. 10 evaluated literally, where the literal form is still representable.
func TestBGConditionalEulerFormCM(t *testing.T) {
	for _, k := range []float64{0, 1} {
		m := BG{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, K: k}
		for _, x := range []float64{0, 1, 2, 10, 50, 150} {
			for _, tt := range []float64{0.5, 39, 78} {
				T := 38.86
				c := m.A + m.B + x - 1 + k
				z := tt / (m.Alpha + T + tt)
				literal := c / (m.A - 1) * (1 - math.Pow((m.Alpha+T)/(m.Alpha+T+tt), m.R+x)*mathext.Hypergeo(m.R+x, m.B+x+k, c, z))
				got := m.Tail(x, T, tt)
				if d := relDiff(got, literal); d > 1e-8 {
					t.Errorf("k=%v x=%v t=%v: Euler form %.12g, literal %.12g (rel %.1e)", k, x, tt, got, literal, d)
				}
			}
		}
	}
}

// TestParetoA0QuadratureCM checks ln A0 (hypergeometric form of note 008) against the
// defining integral s/(r+s+x) A0 = s ∫_{t_x}^T (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, computed by
// Gauss–Legendre quadrature after the substitution v = (r+x) ln((α+τ)/(α+t_x)), for heavy
// buyers and for both branches (α ≥ β and α < β).
func TestParetoA0QuadratureCM(t *testing.T) {
	for _, p := range []Pareto{
		{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669},
		{R: 0.553, Alpha: 11.669, S: 0.606, Beta: 10.578},
		{R: 2, Alpha: 50, S: 1.5, Beta: 0.5},
		{R: 10.465, Alpha: 7.98565181e-03, S: 3.0516, Beta: 2.820}, // lifetimes test_overflow_error parameters
	} {
		for _, h := range [][3]float64{{2, 30.43, 38.86}, {26, 30.86, 31}, {500, 5, 37}, {5000, 20, 37}, {400, 5, 6}} {
			x, tx, T := h[0], h[1], h[2]
			rx := p.R + x
			vmax := math.Min(rx*math.Log((p.Alpha+T)/(p.Alpha+tx)), 800)
			// ln of the integral, factoring out (α+t_x)^−(r+x).
			integral := quad.Fixed(func(v float64) float64 {
				tau := (p.Alpha+tx)*math.Exp(v/rx) - p.Alpha
				return math.Exp(-v) * (p.Alpha + tau) / rx * math.Pow(p.Beta+tau, -(p.S+1))
			}, 0, vmax, 256, quad.Legendre{}, 0)
			want := math.Log(integral) - rx*math.Log(p.Alpha+tx)
			got := p.logA0(nil, x, tx, T, p.logHi(T)) - math.Log(p.R+p.S+x)
			if math.Abs(got-want) > 1e-7*math.Max(1, math.Abs(want)) {
				t.Errorf("%+v x=%v tx=%v T=%v: ln A0/(r+s+x) = %.12g, quadrature %.12g", p, x, tx, T, got, want)
			}
			// The fallback quadrature of the package must agree too.
			fb := p.logA0Quad(x, tx, T) - math.Log(p.R+p.S+x)
			if math.Abs(fb-want) > 1e-7*math.Max(1, math.Abs(want)) {
				t.Errorf("%+v x=%v tx=%v T=%v: fallback ln A0/(r+s+x) = %.12g, quadrature %.12g", p, x, tx, T, fb, want)
			}
		}
	}
}

// TestBetaExpectFallbackCM checks the quadrature fallback of the BG family against the
// Euler-transformed hypergeometric form where both work, for a < 1 and a > 1.
func TestBetaExpectFallbackCM(t *testing.T) {
	for _, tc := range [][5]float64{
		{0.793, 2.426, 2, 38.86, 39}, {0.793, 2.426, 0, 0, 78}, {0.891, 1.614, 50, 38.86, 1},
		{3.5, 40, 30, 20, 52}, {600, 1500, 300, 10, 5},
	} {
		m := BG{R: 0.243, Alpha: 4.414, A: tc[0], B: tc[1]}
		x, T, horizon := tc[2], tc[3], tc[4]
		want := m.Tail(x, T, horizon)
		q, rx := horizon/(m.Alpha+T), m.R+x
		got := math.Exp(LogBetaExpect(m.A, m.B+x, func(lp, _ float64) float64 { return logTailH(lp, q, rx) }))
		if relDiff(got, want) > 1e-8 {
			t.Errorf("a=%v b=%v x=%v T=%v t=%v: quadrature %.12g, 2F1 %.12g", m.A, m.B, x, T, horizon, got, want)
		}
	}
}

// TestF21SeriesMatchesGonum checks the series of f21 against gonum's Hypergeo, and its
// derivatives against central differences of Hypergeo.
func TestF21SeriesMatchesGonum(t *testing.T) {
	for _, c := range [][3]float64{
		{1.2, 1.6, 0.1}, {3.5, 0.7, 0.5}, {30, 2.5, 0.8}, {1e4, 1.5, 0.6}, {0.8, 40, 0.9}, {2, 1, 0}, {0.6, 1.3, 0.95},
	} {
		a, b, z := c[0], c[1], c[2]
		f, fa, fb, fz, ok := f21(a, b, z)
		if !ok {
			t.Fatalf("f21%v did not converge", c)
		}
		if _, _, _, _, ok := f21(a, b, 0.96); ok {
			t.Errorf("f21(%v, %v, 0.96) summed a slowly decaying series", a, b)
		}
		want := mathext.Hypergeo(a, b, a+1, z)
		if math.Abs(f-want) > 1e-13*want {
			t.Errorf("F%v = %v, Hypergeo %v", c, f, want)
		}
		h := 1e-6
		num := [3]float64{
			(mathext.Hypergeo(a+h, b, a+h+1, z) - mathext.Hypergeo(a-h, b, a-h+1, z)) / (2 * h),
			(mathext.Hypergeo(a, b+h, a+1, z) - mathext.Hypergeo(a, b-h, a+1, z)) / (2 * h),
			(mathext.Hypergeo(a, b, a+1, z+h) - mathext.Hypergeo(a, b, a+1, math.Abs(z-h))) / (z + h - math.Abs(z-h)),
		}
		for i, g := range [3]float64{fa, fb, fz} {
			if math.Abs(g-num[i]) > 1e-6*math.Max(1, math.Abs(num[i])) {
				t.Errorf("F%v derivative %d = %v, finite difference %v", c, i, g, num[i])
			}
		}
	}
}
