package churn

import (
	"errors"
	"math"
	"testing"
)

// FuzzCoxResiduals checks the residuals of any fit FitCox accepts: finite martingale
// residuals ≤ 1 that sum to 0 over the subjects (unit weights, the model's score equation for
// the baseline hazard), with or without late entry, martingale and score residuals equal to
// the brute-force ones (bruteCoxAt), deviance residuals of the same sign, one Schoenfeld row per churn event
// whose raw residuals sum to the score (0 at the estimate), finite scaled residuals where the
// covariate varies, and transformed times in [0, 1].
func FuzzCoxResiduals(f *testing.F) {
	f.Add([]byte{1, 10, 3, 20, 5, 0, 2, 30, 7, 11, 4, 8, 9, 1, 6, 0, 17, 3, 18, 5})
	f.Fuzz(func(t *testing.T, b []byte) {
		n := len(b) / 2
		if n < 2 || n > 64 {
			return
		}
		subs := make([]Subject, n)
		x := make([][]float64, n)
		strata := make([]int, n)
		hasEntry := false
		for i := range n {
			subs[i] = Subject{Duration: float64(b[2*i]%16) + 1, Churned: b[2*i]&16 != 0}
			if b[2*i]&32 != 0 {
				subs[i].Entry = float64(b[2*i+1]>>4) / 2
				if subs[i].Entry >= subs[i].Duration {
					subs[i].Entry = 0
				}
				hasEntry = hasEntry || subs[i].Entry > 0
			}
			x[i] = []float64{float64(b[2*i+1]%8) - 3}
			strata[i] = int(b[2*i] >> 6 & 1)
		}
		opt := CoxOptions{Ties: Ties(b[0] & 1)}
		if b[1]&128 != 0 {
			opt.Strata = strata
		}
		m, err := FitCox(subs, x, []string{"x"}, opt)
		if err != nil {
			return
		}
		r, err := m.Residuals(subs, x, opt)
		if err != nil {
			t.Fatalf("residuals of an accepted fit: %v", err)
		}
		sum, events := 0.0, 0
		for i, v := range r.Martingale {
			d := r.Deviance[i]
			if math.IsNaN(v) || math.IsInf(v, 0) || v > 1+1e-12 || math.IsNaN(d) || (v > 0 && d < 0) || (v < 0 && d > 0) {
				t.Fatalf("subject %d: martingale %v deviance %v", i, v, d)
			}
			sum += v
			if subs[i].Churned {
				events++
			}
		}
		// Late entrants leave the risk sets without loss of precision (riskSums), however
		// wide the span of the risk scores: the sum holds with late entry too, and every
		// residual is the brute-force one (each risk set summed directly).
		if math.Abs(sum) > 1e-8*float64(n) {
			t.Fatalf("martingale residuals sum to %v (late entry %v)", sum, hasEntry)
		}
		bf := bruteCoxAt(subs, x, m.Coef, opt.Ties, opt.Strata)
		for i := range n {
			if math.Abs(r.Martingale[i]-bf.mart[i]) > 1e-9*(1+math.Abs(bf.mart[i])) {
				t.Fatalf("subject %d: martingale residual %v, brute force %v", i, r.Martingale[i], bf.mart[i])
			}
			if math.Abs(r.Score[i][0]-bf.score[i][0]) > 1e-9*(1+math.Abs(bf.score[i][0])) {
				t.Fatalf("subject %d: score residual %v, brute force %v", i, r.Score[i][0], bf.score[i][0])
			}
		}
		s := r.Schoenfeld
		if len(s.Raw) != events || len(s.Scaled) != events || len(s.Time) != events {
			t.Fatalf("%d Schoenfeld rows for %d events", len(s.Raw), events)
		}
		score := 0.0
		for i := range s.Raw {
			score += s.Raw[i][0]
			if math.IsNaN(s.Raw[i][0]) || !(s.Transformed[i] >= 0 && s.Transformed[i] <= 1) || !subs[s.Subject[i]].Churned {
				t.Fatalf("row %d: raw %v transformed %v subject %d", i, s.Raw[i], s.Transformed[i], s.Subject[i])
			}
			if y := s.Scaled[i][0]; math.IsInf(y, 0) {
				t.Fatalf("row %d: scaled %v", i, y)
			}
		}
		if math.Abs(score) > 1e-6*float64(n)*(1+math.Abs(m.Coef[0])) {
			t.Fatalf("Schoenfeld residuals sum to %v, not 0 (the score at the estimate)", score)
		}
		// Robust variance: finite and positive, the model-based one kept, and one cluster per
		// subject (labels in any order) the same as Robust alone.
		ro := opt
		ro.Robust = true
		rm, err := FitCox(subs, x, []string{"x"}, ro)
		if err != nil {
			if errors.Is(err, ErrNotIdentified) { // e.g. all score residuals 0
				return
			}
			t.Fatalf("robust fit of an accepted model: %v", err)
		}
		if !rm.Robust || !(rm.StdErr[0] > 0) || math.IsInf(rm.StdErr[0], 0) || rm.NaiveStdErr[0] != m.StdErr[0] || rm.Coef[0] != m.Coef[0] || math.IsNaN(rm.Wald.P) {
			t.Fatalf("robust fit: se %v naive %v (model %v) wald %v", rm.StdErr, rm.NaiveStdErr, m.StdErr, rm.Wald)
		}
		co := opt
		co.Cluster = make([]int, n)
		for i := range co.Cluster {
			co.Cluster[i] = 1000 - 7*i
		}
		cm, err := FitCox(subs, x, []string{"x"}, co)
		if err != nil || math.Abs(cm.StdErr[0]-rm.StdErr[0]) > 1e-9*rm.StdErr[0] {
			t.Fatalf("one cluster per subject: se %v, robust %v (%v)", cm.StdErr, rm.StdErr, err)
		}
	})
}
