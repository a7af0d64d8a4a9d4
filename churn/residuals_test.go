package churn

import (
	"cmp"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/cxkit/cxkit"
)

// readRefCSV reads a CSV written by churn/testdata/survref/reference.R; NA becomes NaN.
func readRefCSV(t *testing.T, name string) [][]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "survref", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float64, 0, len(rows)-1)
	for _, r := range rows[1:] {
		v := make([]float64, len(r))
		for j, s := range r {
			if s == "NA" {
				v[j] = math.NaN()
				continue
			}
			if v[j], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, v)
	}
	return out
}

// The references are churn/testdata/survref/schoenfeld_<name>.csv (columns stratum, time,
// cox.zph(fit)$x, residuals(fit, type = "schoenfeld"), cox.zph(fit)$y) and
// martingale_<name>.csv (residuals(fit, type = "martingale"), residuals(fit, type =
// "deviance"), residuals(fit, type = "score")), written by churn/testdata/survref/reference.R with R 4.2.2 and survival 3.5.3
// for these fits (the commands on the original data sets are in reference.txt):
//
//	lung_efron:      coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, ...]))
//	lung_breslow:    the same with ties = "breslow"
//	veteran_strata:  coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime + strata(celltype), data = veteran)
//	veteran_weights: coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime, data = veteran, weights = 1 + ((seq_len(137)-1) %% 3)/2)
//	heart:           coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)
func TestCoxResidualsReference(t *testing.T) {
	cases := []struct {
		name, frame     string
		ties            Ties
		strata, weights bool
	}{
		{"lung_efron", "lung", Efron, false, false},
		{"lung_breslow", "lung", Breslow, false, false},
		{"veteran_strata", "veteran", Efron, true, false},
		{"veteran_weights", "veteran", Efron, false, true},
		{"heart", "heart", Efron, false, false},
	}
	const tol = 1e-6
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fr := readCoxFrame(t, c.frame)
			opt := CoxOptions{Ties: c.ties}
			if c.strata {
				opt.Strata = fr.strata
			}
			if !c.weights {
				for i := range fr.subjects {
					fr.subjects[i].Weight = 0
				}
			}
			m, err := FitCox(fr.subjects, fr.x, fr.names, opt)
			if err != nil {
				t.Fatal(err)
			}
			res, err := m.Residuals(fr.subjects, fr.x, opt)
			if err != nil {
				t.Fatal(err)
			}
			mart := readRefCSV(t, "martingale_"+c.name+".csv")
			if len(mart) != len(res.Martingale) {
				t.Fatalf("%d martingale residuals, R %d", len(res.Martingale), len(mart))
			}
			for i, r := range mart {
				if !near(res.Martingale[i], r[0], tol) || !near(res.Deviance[i], r[1], tol) {
					t.Errorf("subject %d: martingale %v deviance %v, R %v %v", i, res.Martingale[i], res.Deviance[i], r[0], r[1])
				}
				for j := range fr.names {
					if !near(res.Score[i][j], r[2+j], tol) {
						t.Errorf("subject %d: score residual %s %v, R %v", i, fr.names[j], res.Score[i][j], r[2+j])
					}
				}
			}
			sch := readRefCSV(t, "schoenfeld_"+c.name+".csv")
			p := len(fr.names)
			s := res.Schoenfeld
			if len(sch) != len(s.Time) || len(s.Raw) != len(s.Time) || len(s.Scaled) != len(s.Time) {
				t.Fatalf("%d Schoenfeld rows, R %d", len(s.Time), len(sch))
			}
			// Compare within each (stratum, time) group as sets: R orders tied churners by its
			// own sort, and for (start, stop] data residuals(type = "schoenfeld") and cox.zph
			// order them differently, so raw and scaled rows are each sorted by their values.
			type rrow struct {
				stratum, time, x float64
				v                []float64
			}
			order := func(a, b rrow) int {
				if c := cmp.Compare(a.stratum, b.stratum); c != 0 {
					return c
				}
				if c := cmp.Compare(a.time, b.time); c != 0 {
					return c
				}
				return slices.Compare(a.v, b.v)
			}
			byTime := func(a, b rrow) int {
				if c := cmp.Compare(a.stratum, b.stratum); c != 0 {
					return c
				}
				return cmp.Compare(a.time, b.time)
			}
			for _, kind := range []string{"raw", "scaled"} {
				ours := make([]rrow, len(s.Time))
				theirs := make([]rrow, len(sch))
				for i := range s.Time {
					r := sch[i]
					if kind == "raw" {
						ours[i] = rrow{float64(s.Stratum[i]), s.Time[i], s.Transformed[i], s.Raw[i]}
						theirs[i] = rrow{r[0], r[1], r[2], r[3 : 3+p]}
					} else {
						ours[i] = rrow{float64(s.Stratum[i]), s.Time[i], s.Transformed[i], s.Scaled[i]}
						theirs[i] = rrow{r[0], r[1], r[2], r[3+p : 3+2*p]}
					}
				}
				if !slices.IsSortedFunc(ours, byTime) {
					t.Error("rows are not in (stratum, time) order")
				}
				slices.SortStableFunc(theirs, order)
				slices.SortStableFunc(ours, order)
				for i := range ours {
					o, r := ours[i], theirs[i]
					if o.stratum != r.stratum || o.time != r.time || !near(o.x, r.x, 1e-9) {
						t.Fatalf("row %d: stratum %v time %v x %v, R %v %v %v", i, o.stratum, o.time, o.x, r.stratum, r.time, r.x)
					}
					for j := range p {
						if !(math.IsNaN(o.v[j]) && math.IsNaN(r.v[j])) && !near(o.v[j], r.v[j], tol) {
							t.Errorf("row %d (t = %v) %s: %s %v, R %v", i, o.time, fr.names[j], kind, o.v[j], r.v[j])
						}
					}
				}
			}
			// Martingale residuals of an unweighted fit sum to 0 (each risk set's expected
			// churn equals its observed churn); the raw Schoenfeld residuals sum to the score,
			// 0 at the estimate.
			if !c.weights {
				sum := 0.0
				for _, v := range res.Martingale {
					sum += v
				}
				if math.Abs(sum) > 1e-8 {
					t.Errorf("martingale residuals sum to %v", sum)
				}
			}
		})
	}
}

func TestCoxResidualsIncompatible(t *testing.T) {
	fr := readCoxFrame(t, "lung")
	m, err := FitCox(fr.subjects, fr.x, fr.names, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Residuals(fr.subjects[1:], fr.x[1:], CoxOptions{}); !errors.Is(err, cxkit.ErrIncompatible) {
		t.Errorf("fewer subjects: %v", err)
	}
	if _, err := m.Residuals(fr.subjects, fr.x, CoxOptions{Ties: Breslow}); !errors.Is(err, cxkit.ErrIncompatible) {
		t.Errorf("other ties: %v", err)
	}
	x := slices.Clone(fr.x)
	x[0] = []float64{x[0][0] + 10, x[0][1], x[0][2]}
	if _, err := m.Residuals(fr.subjects, x, CoxOptions{}); !errors.Is(err, cxkit.ErrIncompatible) {
		t.Errorf("other covariates: %v", err)
	}
	if _, err := (Cox{}).Residuals(fr.subjects, fr.x, CoxOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("zero model: %v", err)
	}
}
