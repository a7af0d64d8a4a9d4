package journey

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// genMap is a journey of nT touchpoints spread over the default stages and nP personas.
func genMap(nT, nP int) Map {
	st := DefaultStages()
	m := Map{Name: "generated"}
	for i := 0; i < nT; i++ {
		m.Touchpoints = append(m.Touchpoints, Touchpoint{ID: fmt.Sprintf("t%02d", i), Name: fmt.Sprintf("Touchpoint %d", i),
			Stage: st[i*len(st)/nT], Channel: Web})
	}
	for i := 0; i < nP; i++ {
		m.Personas = append(m.Personas, Persona{ID: fmt.Sprintf("p%d", i), Name: fmt.Sprintf("Persona %d", i)})
	}
	return m
}

// genFeedback makes n feedback observations: customers of perObs answers each (one NPS and
// perObs−1 CSAT answers at distinct touchpoints). Touchpoint t's CSAT rating is 5 − a
// quality penalty that grows for every seventh touchpoint, so some touchpoints are pain
// points; NPS follows the customer's mean CSAT. Every customer also gets an outcome: churned
// (more often after a bad experience) or not.
func genFeedback(m Map, n, perObs int, seed uint64) (fb []Feedback, outcomes []Outcome) {
	rng := rand.New(rand.NewPCG(seed, 7))
	nT, nP := len(m.Touchpoints), len(m.Personas)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fb = make([]Feedback, 0, n)
	for c := 0; len(fb) < n; c++ {
		id := fmt.Sprintf("cust%07d", c)
		persona := m.Personas[c%nP].ID
		start := t0.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
		perm := rng.Perm(nT)
		sum, bad := 0, false
		for k := 0; k < perObs-1 && len(fb) < n-1; k++ {
			t := perm[k%nT]
			r := 5 - rng.IntN(2)
			if t%7 == 3 {
				r -= rng.IntN(3)
			}
			if c%nP == 4 && t%5 == 1 {
				r -= rng.IntN(2)
			}
			r = max(r, 1)
			bad = bad || r <= 3
			sum += r
			fb = append(fb, Feedback{Customer: id, Persona: persona, Touchpoint: m.Touchpoints[t].ID,
				Time: start.Add(time.Duration(k) * time.Hour), Metric: CSAT, Rating: r})
		}
		mean := float64(sum) / float64(perObs-1)
		nps := min(10, max(0, int(2.5*mean-2.5+rng.NormFloat64()*1.5+0.5)))
		fb = append(fb, Feedback{Customer: id, Persona: persona, Touchpoint: m.Touchpoints[perm[0]].ID,
			Time: start.Add(time.Duration(perObs) * time.Hour), Metric: NPS, Rating: nps})
		p := 0.2
		if bad {
			p = 0.45
		}
		if rng.Float64() < p {
			outcomes = append(outcomes, Outcome{Customer: id, Kind: Churned, Time: start.Add(time.Duration(1+rng.IntN(200*24)) * time.Hour)})
		}
	}
	return fb, outcomes
}
