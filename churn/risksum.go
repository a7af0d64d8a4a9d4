package churn

// riskSums holds the running sums over a risk set that FitCox's likelihood, Cox.Residuals and
// the robust variance keep while they sweep the sorted subjects from the last time back to the
// first: S₀ = Σ rₖ, S₁ = Σ rₖxₖ and (when second is set) the upper triangle of S₂ = Σ rₖxₖxₖᵀ,
// rₖ = wₖ·exp(ηₖ).
//
// Without late entry subjects only join the risk set, so the running sums are plain sums of
// the current members. With late entry a subject leaves the set again when the sweep passes
// its entry time, and removing it by subtraction from a plain running sum leaves an error of
// about ε times the largest magnitude the sum ever held: when the leavers' risk scores are e^20
// or more above the others' (a wide span of η), nothing of the remaining sum survives. In a
// stratum with late entries the sums are therefore compensated (Knuth's error-free TwoSum,
// as in Kahan–Babuška–Neumaier summation), whose error is about ε² times that magnitude, and
// the magnitude is watched: when the current sum of gₖ = rₖ(1 + |xₖ|²) over the members falls
// below 1e-12 of the Σ gₖ of all additions and removals since the sums were last built, the
// sums are rebuilt directly over the current members. The results then carry the rounding of a
// direct sum over each risk set whatever the span of the risk scores, and the sweep stays
// O(n·p²) (a rebuild needs the sum to drop by 12 orders of magnitude, which no realistic fit
// sees more than a few times).
type riskSums struct {
	p            int
	second, comp bool
	s0, c0       float64
	s1, c1       []float64
	s2, c2       []float64 // p×p, upper triangle used
	mag, magc    float64   // Σ gₖ over the members (compensated)
	ops          float64   // Σ gₖ over the additions and removals since the last build
}

// riskRebuild is the drop of the members' magnitude, relative to the magnitude that went
// through the sums, at which the compensated sums are rebuilt from the members.
const riskRebuild = 1e-12

func newRiskSums(p int, second bool) *riskSums {
	rs := &riskSums{p: p, second: second, s1: make([]float64, p), c1: make([]float64, p)}
	if second {
		rs.s2, rs.c2 = make([]float64, p*p), make([]float64, p*p)
	}
	return rs
}

// reset empties the sums; comp selects compensated sums (a stratum with late entries).
func (rs *riskSums) reset(comp bool) {
	rs.comp = comp
	rs.s0, rs.c0, rs.mag, rs.magc, rs.ops = 0, 0, 0, 0, 0
	clear(rs.s1)
	clear(rs.c1)
	clear(rs.s2)
	clear(rs.c2)
}

// twoSum adds x to the compensated sum (s, c): s + c is the sum, c collecting the rounding
// errors of s exactly (Knuth's TwoSum: no branch, valid for any order of magnitudes).
func twoSum(s, c *float64, x float64) {
	t := *s + x
	z := t - *s
	*c += (*s - (t - z)) + (x - z)
	*s = t
}

// add adds a member of risk r and centred covariates row to the sums; r < 0 removes one
// (the products with −r are exactly the negated products with r, so a removal undoes the
// terms its addition made).
func (rs *riskSums) add(r float64, row []float64) {
	p := rs.p
	if !rs.comp {
		rs.s0 += r
		for a := range p {
			ra := float64(r * row[a])
			rs.s1[a] += ra
			if rs.second {
				for b := a; b < p; b++ {
					rs.s2[a*p+b] += float64(ra * row[b])
				}
			}
		}
		return
	}
	g := 1.0
	for _, v := range row {
		g += v * v
	}
	g = float64(r * g)
	twoSum(&rs.mag, &rs.magc, g)
	if g < 0 {
		g = -g
	}
	rs.ops += g
	twoSum(&rs.s0, &rs.c0, r)
	for a := range p {
		ra := float64(r * row[a])
		twoSum(&rs.s1[a], &rs.c1[a], ra)
		if rs.second {
			for b := a; b < p; b++ {
				twoSum(&rs.s2[a*p+b], &rs.c2[a*p+b], float64(ra*row[b]))
			}
		}
	}
}

// stale reports whether the compensated sums may have lost precision by cancellation, so that
// they should be rebuilt from the current members.
func (rs *riskSums) stale() bool {
	return rs.comp && rs.mag+rs.magc < riskRebuild*rs.ops
}

// rebuild recomputes the sums directly over the current members: the sorted rows lo..hi−1
// (all still at risk at time t, the sweep being in descending time) that entered before t.
func (rs *riskSums) rebuild(d *coxData, lo, hi int, t float64) {
	rs.reset(true)
	p := d.p
	for k := lo; k < hi; k++ {
		if d.entry[k] < t {
			rs.add(d.risk[k], d.x[k*p:k*p+p])
		}
	}
	rs.ops = rs.mag + rs.magc
}

// sums returns S₀ and writes S₁ (and S₂'s upper triangle) into s1 (s2).
func (rs *riskSums) sums(s1, s2 []float64) float64 {
	for a := range rs.s1 {
		s1[a] = rs.s1[a] + rs.c1[a]
	}
	for a := range rs.s2 {
		s2[a] = rs.s2[a] + rs.c2[a]
	}
	return rs.s0 + rs.c0
}
