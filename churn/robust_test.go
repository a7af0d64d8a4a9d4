package churn

import (
	"errors"
	"testing"
)

// Robust (sandwich) variances printed by churn/testdata/survref/reference.R (R 4.2.2, survival
// 3.5.3; output in reference.txt): sqrt(diag(fit$var)) and fit$wald.test of
//
//	lung_efron:     coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, ...]), robust = TRUE)
//	lung_breslow:   the same with ties = "breslow"
//	veteran_strata: coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime + strata(celltype), data = veteran, robust = TRUE)
//	heart:          coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(seq_len(172)), data = heart)
//	lung_cluster3:  coxph(Surv(time, status == 2) ~ age + sex + ph.ecog + cluster((seq_len(227) - 1) %/% 3), data = na.omit(lung[, ...]))
//	heart_cluster:  coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster((seq_len(172) - 1) %/% 2), data = heart)
//	veteran_weights: coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime, data = veteran, weights = 1 + ((seq_len(137)-1) %% 3)/2), robust by default with non-integer weights
func TestFitCoxRobustReference(t *testing.T) {
	cases := []struct {
		name, frame     string
		ties            Ties
		strata, weights bool
		cluster         int // rows per cluster; 0 = each subject its own
		se              []float64
		wald            float64 // 0: not compared
	}{
		{"lung_efron", "lung", Efron, false, false, 0, []float64{0.00988139278009105, 0.16474842795207992, 0.12415884861317530}, 23.8022914238079},
		{"lung_breslow", "lung", Breslow, false, false, 0, []float64{0.00986140619335337, 0.16448354941708276, 0.12396345277861068}, 23.7919170296131},
		{"veteran_strata", "veteran", Efron, true, false, 0, []float64{0.19588772875740593, 0.00512874300504123, 0.01055492186378164, 0.00723230842148631}, 64.8053604425862},
		{"heart", "heart", Efron, false, false, 0, []float64{0.0142515232362583, 0.0736835263870542, 0.3524967456013513, 0.3175189881588166}, 16.8568507308641},
		{"lung_cluster3", "lung", Efron, false, false, 3, []float64{0.00934825511428443, 0.18876784356883211, 0.11228058611854355}, 26.3510824661459},
		{"heart_cluster", "heart", Efron, false, false, 2, []float64{0.0129981801462383, 0.0736830565175786, 0.4224439749656355, 0.3017337204265828}, 16.2576118682769},
		// R prints the model-based Wald test (65.03) for this fit: only the variance is compared.
		{"veteran_weights", "veteran", Efron, false, true, 0, []float64{0.21130011303694829, 0.00476436540523939, 0.01010928307154822, 0.00772712547234948}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fr := readCoxFrame(t, c.frame)
			opt := CoxOptions{Ties: c.ties, Robust: true}
			if c.strata {
				opt.Strata = fr.strata
			}
			if !c.weights {
				for i := range fr.subjects {
					fr.subjects[i].Weight = 0
				}
			}
			if c.cluster > 0 {
				opt.Robust = false // Cluster implies it
				opt.Cluster = make([]int, len(fr.subjects))
				for i := range opt.Cluster {
					opt.Cluster[i] = i / c.cluster
				}
			}
			m, err := FitCox(fr.subjects, fr.x, fr.names, opt)
			if err != nil {
				t.Fatal(err)
			}
			if !m.Robust || len(m.NaiveStdErr) != len(c.se) {
				t.Fatalf("robust %v, naive %v", m.Robust, m.NaiveStdErr)
			}
			for j, se := range c.se {
				if !near(m.StdErr[j], se, 1e-6) {
					t.Errorf("%s: robust se %v, R %v", fr.names[j], m.StdErr[j], se)
				}
			}
			if c.wald != 0 && !near(m.Wald.ChiSquare, c.wald, 1e-6) {
				t.Errorf("robust Wald %v, R %v", m.Wald.ChiSquare, c.wald)
			}
			plain, err := FitCox(fr.subjects, fr.x, fr.names, CoxOptions{Ties: c.ties, Strata: opt.Strata})
			if err != nil {
				t.Fatal(err)
			}
			for j := range c.se {
				if m.NaiveStdErr[j] != plain.StdErr[j] || m.Coef[j] != plain.Coef[j] {
					t.Errorf("%s: naive se %v coef %v, model-based fit %v %v", fr.names[j], m.NaiveStdErr[j], m.Coef[j], plain.StdErr[j], plain.Coef[j])
				}
			}
		})
	}
	fr := readCoxFrame(t, "lung")
	if _, err := FitCox(fr.subjects, fr.x, fr.names, CoxOptions{Cluster: []int{1, 2}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("short cluster labels: %v", err)
	}
}
