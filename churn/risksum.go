package churn

import (
	"math"
	"math/bits"
)

// riskSums holds the running sums over a risk set that FitCox's likelihood, Cox.Residuals and
// the robust variance keep while they sweep the sorted subjects from the last time back to the
// first: S₀ = Σ rₖ, S₁ = Σ rₖxₖ and (when second is set) the upper triangle of S₂ = Σ rₖxₖxₖᵀ,
// rₖ = wₖ·exp(ηₖ).
//
// Without late entry subjects only join the risk set, so plain running sums are direct sums
// over the current members (the sweeps keep them inline and do not use riskSums). With late
// entry a subject leaves the set again when the sweep passes its entry time, and removing it
// by subtraction from a plain running sum leaves an error of about ε times the largest
// magnitude the sum ever held: when the leavers' risk scores are e^20 or more above the
// others' (a wide span of η), little or nothing of the remaining sum survives. In a stratum
// with late entries the members are therefore kept in up to 64 bands by the binary exponent of
// their magnitude gₖ = rₖ(1 + |xₖ|²), each band a factor 2³² wide, and each band's sums are
// compensated (Knuth's error-free TwoSum, as in Kahan–Babuška–Neumaier summation: an error of
// about ε² times the magnitude that went through them, instead of ε). A subject leaves the
// band it joined, so removing large scores never touches the sums of much smaller ones, and an
// emptied band is reset to exactly 0. The risk-set sums, the band sums added from the smallest
// band up, then carry about the rounding of a direct sum over the risk set whatever the span
// of the risk scores. The cost is O(p²) per addition or removal and O(p²) per occupied band at
// each churn time, so the sweep stays O(n·p²) (the bands occupied at once are at most 2 when
// the gₖ span less than 2³², and never more than 64).
type riskSums struct {
	p      int
	second bool
	band   [64]*riskBand
	used   uint64 // bit i: band i has members
}

// riskBand is one band of riskSums: its member count and compensated sums (value s + c).
type riskBand struct {
	n      int
	s0, c0 float64
	s1, c1 []float64
	s2, c2 []float64 // p×p, upper triangle used
}

func newRiskBand(p int, second bool) *riskBand {
	b := &riskBand{s1: make([]float64, p), c1: make([]float64, p)}
	if second {
		b.s2, b.c2 = make([]float64, p*p), make([]float64, p*p)
	}
	return b
}

func (b *riskBand) reset() {
	b.n, b.s0, b.c0 = 0, 0, 0
	clear(b.s1)
	clear(b.c1)
	clear(b.s2)
	clear(b.c2)
}

func newRiskSums(p int, second bool) *riskSums {
	return &riskSums{p: p, second: second}
}

// reset empties the sums.
func (rs *riskSums) reset() {
	for m := rs.used; m != 0; m &= m - 1 {
		rs.band[bits.TrailingZeros64(m)].reset()
	}
	rs.used = 0
}

// twoSum adds x to the compensated sum (s, c): s + c is the sum, c collecting the rounding
// errors of s exactly (Knuth's TwoSum: no branch, valid for any order of magnitudes).
func twoSum(s, c *float64, x float64) {
	t := *s + x
	z := t - *s
	*c += (*s - (t - z)) + (x - z)
	*s = t
}

// add adds a member of risk r and centred covariates row to the sums, or removes it (leave).
// A removal subtracts exactly the terms the addition added, in the same band.
func (rs *riskSums) add(r float64, row []float64, leave bool) {
	p := rs.p
	g := 1.0
	for _, v := range row {
		g += v * v
	}
	g = float64(r * g)
	i := int(math.Float64bits(g)>>52&0x7ff) >> 5 // biased exponent / 32
	b := rs.band[i]
	if b == nil {
		b = newRiskBand(p, rs.second)
		rs.band[i] = b
	}
	if leave {
		r = -r
		b.n--
		if b.n == 0 { // emptied: exactly 0, not the rounding residue of its history
			b.reset()
			rs.used &^= 1 << i
			return
		}
	} else {
		b.n++
		rs.used |= 1 << i
	}
	twoSum(&b.s0, &b.c0, r)
	for a := range p {
		ra := float64(r * row[a])
		twoSum(&b.s1[a], &b.c1[a], ra)
		if rs.second {
			for c := a; c < p; c++ {
				twoSum(&b.s2[a*p+c], &b.c2[a*p+c], float64(ra*row[c]))
			}
		}
	}
}

// sums returns S₀ and writes S₁ (and S₂'s upper triangle) into s1 (s2), adding the bands from
// the smallest magnitudes up.
func (rs *riskSums) sums(s1, s2 []float64) float64 {
	clear(s1)
	if rs.second {
		clear(s2)
	}
	s0 := 0.0
	for m := rs.used; m != 0; m &= m - 1 {
		b := rs.band[bits.TrailingZeros64(m)]
		s0 += b.s0 + b.c0
		for a := range b.s1 {
			s1[a] += b.s1[a] + b.c1[a]
		}
		for a := range b.s2 {
			s2[a] += b.s2[a] + b.c2[a]
		}
	}
	return s0
}
