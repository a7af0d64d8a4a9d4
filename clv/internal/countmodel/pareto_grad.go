package countmodel

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/mathext"
)

// The analytic gradient of the Pareto/NBD log-likelihood, for fitting.
//
// gonum's Hypergeo gives 2F1 but not its derivatives with respect to the parameters, and
// central differences cost eight likelihood evaluations per gradient. The function needed here
// is the special case F(a, b; z) = 2F1(a, b; a+1; z) = Σ_k a/(a+k) (b)_k z^k / k!, whose terms
// t_k satisfy t_k/t_{k−1} = (a+k−1)/(a+k) · (b+k−1)/k · z. One pass over them gives F and
//
//	∂F/∂a = Σ t_k k/(a(a+k)),  ∂F/∂b = Σ t_k Σ_{j<k} 1/(b+j),  ∂F/∂z = Σ t_k k/z,
//
// so the gradient costs about one likelihood evaluation. The series is only used where the
// likelihood itself uses the hypergeometric form (z < 1 with at most ~1e3 terms before the
// terms decay, see needsQuad); elsewhere the quadrature of logA0Quad is differentiated under
// the integral sign. Tests compare the gradient with finite differences of the likelihood and
// the series with gonum's Hypergeo.

// deriv is a value with its partial derivatives with respect to (r, α, s, β).
type deriv struct {
	v float64
	d [4]float64
}

// f21 sums F(a, b; z) = 2F1(a, b; a+1; z) and its derivatives in a, b and z. ok is false for
// z > 0.95, where the terms decay too slowly to be worth summing (the caller integrates), and
// when the series has not converged after 100,000 terms or is not finite.
func f21(a, b, z float64) (f, fa, fb, fz float64, ok bool) {
	if z == 0 {
		return 1, 0, 0, a * b / (a + 1), true
	}
	if z > 0.95 {
		return 0, 0, 0, 0, false
	}
	t, f := 1.0, 1.0 // t_0 = 1
	h := 0.0         // Σ_{j<k} 1/(b+j)
	for k := 1.0; k <= 1e5; k++ {
		h += 1 / (b + k - 1)
		t *= (a + k - 1) / (a + k) * (b + k - 1) / k * z
		f += t
		fa += t * k / (a * (a + k))
		fb += t * h
		fz += t * k
		if math.Abs(t) <= 1e-17*math.Abs(f) && k > 2 {
			fz /= z
			ok = !math.IsNaN(f+fa+fb+fz) && !math.IsInf(f+fa+fb+fz, 0)
			return f, fa, fb, fz, ok
		}
	}
	return f, fa, fb, fz / z, false
}

// logATermGrad is logATerm(x, τ) = ln F(τ) − a ln(h+τ) with its gradient in (r, α, s, β). ok is
// false when the series fails; the caller then integrates.
func (p Pareto) logATermGrad(x, tau float64) (deriv, bool) {
	a := p.R + p.S + x
	h, l, b := p.Alpha, p.Beta, p.S+1
	swap := p.Alpha < p.Beta
	if swap {
		h, l, b = p.Beta, p.Alpha, p.R+x
	}
	z := (h - l) / (h + tau)
	f, fa, fb, fz, ok := f21(a, b, z)
	if !ok || !(f > 0) {
		return deriv{}, false
	}
	lh := math.Log(h + tau)
	dA := fa/f - lh                                  // ∂/∂a
	dB := fb / f                                     // ∂/∂b
	dH := fz/f*(l+tau)/((h+tau)*(h+tau)) - a/(h+tau) // ∂/∂h
	dL := -fz / f / (h + tau)                        // ∂/∂l
	out := deriv{v: math.Log(f) - a*lh}
	if swap { // h = β, l = α, b = r + x
		out.d = [4]float64{dA + dB, dL, dA, dH}
	} else { // h = α, l = β, b = s + 1
		out.d = [4]float64{dA, dH, dA + dB, dL}
	}
	return out, true
}

// logA0Grad is logA0 with its gradient. It follows logA0's choice between the series and the
// quadrature. first, when not nil, is the already computed logATermGrad(x, tx) (the term that
// every customer without a repeat purchase shares).
func (p Pareto) logA0Grad(x, tx, T float64, first *deriv) deriv {
	if tx == T {
		return deriv{v: math.Inf(-1)}
	}
	if p.needsQuad(x) {
		return p.logA0QuadGrad(x, tx, T)
	}
	var t1 deriv
	ok1 := first != nil
	if ok1 {
		t1 = *first
	} else {
		t1, ok1 = p.logATermGrad(x, tx)
	}
	t2, ok2 := p.logATermGrad(x, T)
	if !ok1 || !ok2 || t2.v >= t1.v || math.IsInf(t1.v, 0) || math.IsNaN(t1.v) || math.IsNaN(t2.v) {
		return p.logA0QuadGrad(x, tx, T)
	}
	// ln(e^{l1} − e^{l2}) and its derivative (∂l1 − e^{l2−l1} ∂l2)/(1 − e^{l2−l1}).
	e := math.Exp(t2.v - t1.v)
	out := deriv{v: t1.v + math.Log(-math.Expm1(t2.v-t1.v))}
	den := -math.Expm1(t2.v - t1.v)
	for i := range out.d {
		out.d[i] = (t1.d[i] - e*t2.d[i]) / den
	}
	return out
}

// logA0QuadGrad is logA0Quad with its gradient: ln A0 = ln K + ln ∫ f dτ with
// f = (α+τ)^−(r+x) (β+τ)^−(s+1) and K = r+s+x, so ∂ ln A0 = ∂ ln K + ⟨∂ ln f⟩, the mean of
// ∂ ln f under f, computed on the same quadrature nodes as the integral.
func (p Pareto) logA0QuadGrad(x, tx, T float64) deriv {
	m := math.Min(p.Alpha, p.Beta)
	K := p.R + p.S + x
	tauOf := func(v float64) float64 { return (m+tx)*math.Exp(v/K) - m }
	logf := func(v float64) float64 {
		tau := tauOf(v)
		return -(p.R+x)*math.Log(p.Alpha+tau) - (p.S+1)*math.Log(p.Beta+tau) + math.Log(m+tau) - math.Log(K)
	}
	vmax := K * (math.Log(m+T) - math.Log(m+tx))
	l0 := logf(0)
	var sum float64
	var g [4]float64
	for lo, width, panels := 0.0, 1.0, 0; lo < vmax && panels < 100; lo, width, panels = lo+width, 2*width, panels+1 {
		if logf(lo)-l0 < -60 {
			break
		}
		hi := math.Min(lo+width, vmax)
		half, mid := (hi-lo)/2, (hi+lo)/2
		for i, u := range legendreNodes {
			v := mid + half*u
			w := legendreWeights[i] * half * math.Exp(logf(v)-l0)
			tau := tauOf(v)
			sum += w
			g[0] -= w * math.Log(p.Alpha+tau)
			g[1] -= w * (p.R + x) / (p.Alpha + tau)
			g[2] -= w * math.Log(p.Beta+tau)
			g[3] -= w * (p.S + 1) / (p.Beta + tau)
		}
	}
	out := deriv{v: math.Log(sum) + l0 + math.Log(K)}
	for i := range g {
		out.d[i] = g[i] / sum
	}
	out.d[0] += 1 / K
	out.d[2] += 1 / K
	return out
}

// legendreNodes and legendreWeights are the 32-point Gauss–Legendre rule on [−1, 1], the rule
// logA0Quad integrates with (through quad.Fixed).
var legendreNodes, legendreWeights = func() ([]float64, []float64) {
	x, w := make([]float64, 32), make([]float64, 32)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	return x, w
}()

// logLikTailGrad is logLikTail with its gradient. zero, when not nil, is logATermGrad(0, 0).
func (p Pareto) logLikTailGrad(x, tx, T float64, zero *deriv) deriv {
	la, lb := math.Log(p.Alpha+T), math.Log(p.Beta+T)
	A := deriv{v: -(p.R+x)*la - p.S*lb, d: [4]float64{-la, -(p.R + x) / (p.Alpha + T), -lb, -p.S / (p.Beta + T)}}
	if x != 0 || tx != 0 {
		zero = nil
	}
	a0 := p.logA0Grad(x, tx, T, zero)
	K := p.R + p.S + x
	B := deriv{v: math.Log(p.S) - math.Log(K) + a0.v}
	B.d = [4]float64{-1/K + a0.d[0], a0.d[1], 1/p.S - 1/K + a0.d[2], a0.d[3]}
	l, wB := LogAddExp(A.v, B.v)
	out := deriv{v: l, d: A.d}
	if wB > 0 {
		for i := range out.d {
			out.d[i] = (1-wB)*A.d[i] + wB*B.d[i]
		}
	}
	return out
}

// SumLogLikGrad is sumLogLik with its gradient in (r, α, s, β).
func (p Pareto) SumLogLikGrad(d *Data) (float64, [4]float64) {
	var zero *deriv
	if !p.needsQuad(0) {
		if z, ok := p.logATermGrad(0, 0); ok {
			zero = &z
		}
	}
	lgr, _ := math.Lgamma(p.R)
	psr := mathext.Digamma(p.R)
	la, lb := math.Log(p.Alpha), math.Log(p.Beta)
	head := p.R*la + p.S*lb - lgr
	var ll float64
	var g [4]float64
	for k, x := range d.UX {
		l, _ := math.Lgamma(p.R + x)
		w := d.UW[k]
		ll += w * (l + head)
		g[0] += w * (mathext.Digamma(p.R+x) - psr + la)
		g[1] += w * p.R / p.Alpha
		g[2] += w * lb
		g[3] += w * p.S / p.Beta
	}
	acc := ChunkedSum(len(d.W), func(lo, hi int) (s [5]float64) {
		for i := lo; i < hi; i++ {
			t := p.logLikTailGrad(d.X[i], d.Tx[i], d.T[i], zero)
			s[0] += d.W[i] * t.v
			for j := range t.d {
				s[j+1] += d.W[i] * t.d[j]
			}
		}
		return s
	})
	for j := range g {
		g[j] += acc[j+1]
	}
	return ll + acc[0], g
}
