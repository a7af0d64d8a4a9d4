package churn

import (
	"errors"
	"math"
	"testing"

	"github.com/cxkit/cxkit"
)

// coxReference holds the values R's survival package printed for one model; every case is
// produced by bench/cox/reference.R (R 4.2.2, survival 3.5.3), whose output is
// bench/cox/reference.txt, on the model frames in testdata/cox. The comment of each case is
// the coxph call on the original data set. zph holds cox.zph(fit)$table[, "chisq"] (covariates
// then GLOBAL); basehaz holds rows (stratum, time, hazard) of basehaz(fit, centered = FALSE).
type coxReference struct {
	name, frame     string
	ties            Ties
	strata, weights bool
	coef, se        []float64
	loglik          [2]float64
	lr, wald, score float64
	concordance     float64
	zph             []float64
	basehaz         [][3]float64
}

var coxReferences = []coxReference{
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, c('time','status','age','sex','ph.ecog')]))
		name: "lung efron", frame: "lung", ties: Efron, strata: false, weights: false,
		coef:   []float64{0.0110667645600735, -0.5526123957036310, 0.4637284753704277},
		se:     []float64{0.00926741101370053, 0.16773905378726350, 0.11357726616199662},
		loglik: [2]float64{-744.480455761440, -729.230121374862},
		lr:     3.05006687731566e+01, wald: 2.99292512092047e+01, score: 3.04999227049491e+01,
		concordance: 0.637135493000455,
		zph:         []float64{0.18798767365229, 2.30543722740497, 2.05424877405441, 4.46365758875861},
		basehaz:     [][3]float64{{0, 5, 0.0027628150737672}, {0, 166, 0.178771296443077}, {0, 226, 0.309951225008211}, {0, 320, 0.486875293634747}, {0, 519, 0.865351056533328}, {0, 1022, 2.07762788041643}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(time, status == 2) ~ age + sex + ph.ecog, data = na.omit(lung[, ...]), ties = "breslow")
		name: "lung breslow", frame: "lung", ties: Breslow, strata: false, weights: false,
		coef:   []float64{0.0110411363494885, -0.5518895697875973, 0.4629470405901639},
		se:     []float64{0.00926677011353555, 0.16774244802101848, 0.11357405206130104},
		loglik: [2]float64{-744.692819266161, -729.488705176774},
		lr:     3.04082281787737e+01, wald: 2.98390008396609e+01, score: 3.04064069153299e+01,
		concordance: 0.637135493000455,
		zph:         []float64{0.188085661154335, 2.297197354933806, 2.051708611740464, 4.451012333769295},
		basehaz:     [][3]float64{{0, 5, 0.00276743488184641}, {0, 166, 0.178645686705999}, {0, 226, 0.30992334854702}, {0, 320, 0.486827982038662}, {0, 519, 0.865439391181046}, {0, 1022, 2.07858431715065}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime + strata(celltype), data = veteran)
		name: "veteran strata", frame: "veteran", ties: Efron, strata: true, weights: false,
		coef:   []float64{0.294513644518172024, -0.037578483911036353, -0.011959164758191162, -0.000666878045936962},
		se:     []float64{0.21067204710103116, 0.00582352482659272, 0.00986186611331761, 0.00801752204911945},
		loglik: [2]float64{-338.736207226184, -316.854768390280},
		lr:     4.37628776718072e+01, wald: 4.36496719980554e+01, score: 4.68890632736085e+01,
		concordance: 0.699084169210641,
		zph:         []float64{0.0055007692176325, 6.7547240609023094, 2.5282408094729041, 0.5598855582753528, 13.4804600809966821},
		basehaz:     [][3]float64{{0, 1, 0.731177061372158}, {0, 314, 24.4502147572698}, {1, 51, 10.0860871746447}, {2, 8, 1.79992316589923}, {3, 15, 1.09877949930126}, {3, 553, 96.7793990864971}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(time, status) ~ I(trt-1) + karno + age + diagtime, data = veteran, weights = 1 + ((seq_len(137)-1) %% 3)/2)
		name: "veteran weights", frame: "veteran", ties: Efron, strata: false, weights: true,
		coef:   []float64{0.18226421556847003, -0.03450837143519366, -0.00289233019895375, 0.00234723118009410},
		se:     []float64{0.15228045447049396, 0.00443578852004764, 0.00742984093539660, 0.00698407657233040},
		loglik: [2]float64{-839.615211897964, -808.829254333714},
		lr:     6.15719151285002e+01, wald: 6.50319229463607e+01, score: 6.57497168506988e+01,
		concordance: 0.705678101996237,
		zph:         []float64{0.2306240796842242, 21.2529352825950397, 3.2362840233313057, 0.0519977822524876, 31.4822610834009957},
		basehaz:     [][3]float64{{0, 1, 0.0753076810368545}, {0, 29, 2.48717764933547}, {0, 72, 5.57674048069645}, {0, 122, 9.96228952923139}, {0, 228, 16.1948274654085}, {0, 999, 67.4713780849556}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(futime, fustat) ~ age + I(ecog.ps) + I(rx-1), data = ovarian)
		name: "ovarian", frame: "ovarian", ties: Efron, strata: false, weights: false,
		coef:   []float64{0.146989256211902, 0.103179602127611, -0.814584764008128},
		se:     []float64{0.0463020480369044, 0.6063771047380587, 0.6341610248961074},
		loglik: [2]float64{-34.9849403711626, -27.0273583257535},
		lr:     15.91516409081805250, wald: 13.32109030817883877, score: 1.87038086845279e+01,
		concordance: 0.798165137614679,
		zph:         []float64{0.223036544224485, 2.671698731601825, 0.777931087166447, 3.930440843668205},
		basehaz:     [][3]float64{{0, 59, 3.77792331320442e-06}, {0, 353, 5.36245553074799e-05}, {0, 448, 9.2171729070408e-05}, {0, 638, 0.000244049570952628}, {0, 855, 0.000244049570952628}, {0, 1227, 0.000244049570952628}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(time, status) ~ rx + strata(litter), data = rats[rats$sex == 'f', ])
		name: "rats strata", frame: "rats", ties: Efron, strata: true, weights: false,
		coef:   []float64{0.984717499526396},
		se:     []float64{0.386993090624936},
		loglik: [2]float64{-31.6763063012014, -28.3132065354236},
		lr:     6.7261995315555865, wald: 6.4746588353361618, score: 6.97510373443983678,
		concordance: 0.675925925925926,
		zph:         []float64{1.18701978953131, 1.18701978953131},
		basehaz:     [][3]float64{{1, 49, 0.21380973526182}, {21, 89, 0.21380973526182}, {39, 68, 0.71380973526182}, {61, 87, 0}, {81, 95, 0.21380973526182}, {99, 104, 0.21380973526182}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(stop, event) ~ I(rx-1) + size + number + strata(enum), data = bladder)
		name: "bladder strata", frame: "bladder", ties: Efron, strata: true, weights: false,
		coef:   []float64{-0.584793457410790, -0.051616982656101, 0.210293707384946},
		se:     []float64{0.2010506023793887, 0.0697343200030821, 0.0467547897847911},
		loglik: [2]float64{-438.777194697593, -426.146832546882},
		lr:     2.52607243014220e+01, wald: 2.75464952762957e+01, score: 2.85995558289116e+01,
		concordance: 0.662778818321131,
		zph:         []float64{0.0882192103643848, 2.3542761565298833, 1.4976585859184692, 3.3885366935920875},
		basehaz:     [][3]float64{{1, 1, 0.029794984160486}, {1, 50, 0.951091364447382}, {2, 34, 0.453855735064927}, {3, 23, 0.205458486646345}, {4, 12, 0.0217540098449075}, {4, 59, 0.384071799601685}},
	},
	{
		// R 4.2.2, survival 3.5.3: coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = heart)
		name: "heart entry", frame: "heart", ties: Efron, strata: false, weights: false,
		coef:   []float64{0.0271666409576768, -0.1463463456741956, -0.6372098899669675, -0.0102507724090836},
		se:     []float64{0.0137141152103185, 0.0704679795188561, 0.3672259961803245, 0.3137547983374912},
		loglik: [2]float64{-298.121355672984, -290.565616218489},
		lr:     15.11147890898962487, wald: 14.49304520678491670, score: 15.03419791304129483,
		concordance: 0.635760123921221,
		zph:         []float64{0.8668747109154109, 1.7164144292076067, 0.0973950591161537, 0.2029343881530598, 3.4731022988455895},
		basehaz:     [][3]float64{{0, 1, 0.0170028989352419}, {0, 27, 0.405259268868477}, {0, 61, 0.818510862281059}, {0, 153, 1.4999399636037}, {0, 515, 2.19954991623269}, {0, 1800, 3.49654821765182}},
	},
}

func relClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if d := math.Abs(got - want); d > tol*math.Max(1, math.Abs(want)) && d > tol {
		t.Errorf("%s = %.15g, R gives %.15g (diff %.3g)", what, got, want, d)
	}
}

func TestFitCoxMatchesR(t *testing.T) {
	const tol = 1e-6
	for _, c := range coxReferences {
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
			for j := range c.coef {
				relClose(t, "coef "+fr.names[j], m.Coef[j], c.coef[j], tol)
				relClose(t, "se "+fr.names[j], m.StdErr[j], c.se[j], tol)
			}
			relClose(t, "null loglik", m.NullLogLik, c.loglik[0], tol)
			relClose(t, "loglik", m.LogLik, c.loglik[1], tol)
			relClose(t, "LR test", m.LikelihoodRatio.ChiSquare, c.lr, tol)
			if !c.weights { // with non-integer weights R's Wald test uses its robust variance
				relClose(t, "Wald test", m.Wald.ChiSquare, c.wald, tol)
			}
			relClose(t, "score test", m.Score.ChiSquare, c.score, tol)
			relClose(t, "concordance", m.Concordance, c.concordance, tol)
			for j, ph := range m.PH.Covariates {
				relClose(t, "cox.zph "+ph.Name, ph.ChiSquare, c.zph[j], tol)
			}
			relClose(t, "cox.zph GLOBAL", m.PH.Global.ChiSquare, c.zph[len(c.zph)-1], tol)
			for _, r := range c.basehaz {
				found := false
				for _, b := range m.Baseline {
					if b.Stratum == int(r[0]) {
						relClose(t, "basehaz", b.At(r[1]), r[2], tol)
						found = true
					}
				}
				if !found {
					t.Errorf("no baseline for stratum %v", r[0])
				}
			}
			hr, err := m.HazardRatios(0.95)
			if err != nil {
				t.Fatal(err)
			}
			for j, h := range hr {
				if h.Ratio != math.Exp(m.Coef[j]) || !(h.Interval.Lower < h.Ratio && h.Ratio < h.Interval.Upper) {
					t.Errorf("hazard ratio %+v", h)
				}
			}
		})
	}
}

func TestFitCoxNotIdentified(t *testing.T) {
	subs := []Subject{{Duration: 1, Churned: true}, {Duration: 2, Churned: true}, {Duration: 3, Churned: false}, {Duration: 4, Churned: true}, {Duration: 5, Churned: false}}
	constant := [][]float64{{1, 0}, {1, 1}, {1, 0}, {1, 1}, {1, 0}}
	_, err := FitCox(subs, constant, []string{"const", "x"}, CoxOptions{})
	if !errors.Is(err, cxkit.ErrNotIdentified) {
		t.Errorf("constant covariate: %v", err)
	}
	collinear := [][]float64{{1, 2}, {2, 4}, {0, 0}, {3, 6}, {1, 2}}
	_, err = FitCox(subs, collinear, []string{"a", "b"}, CoxOptions{})
	if !errors.Is(err, cxkit.ErrNotIdentified) {
		t.Errorf("collinear covariates: %v", err)
	}
	// x = 1 for exactly the churners before everybody else: perfect separation.
	sep := [][]float64{{1}, {1}, {0}, {0}, {0}}
	subs2 := []Subject{{Duration: 1, Churned: true}, {Duration: 2, Churned: true}, {Duration: 3, Churned: true}, {Duration: 4, Churned: false}, {Duration: 5, Churned: true}}
	_, err = FitCox(subs2, sep, []string{"detractor"}, CoxOptions{})
	if !errors.Is(err, cxkit.ErrNotIdentified) {
		t.Errorf("separating covariate: %v", err)
	}
	if _, err := FitCox(subs, [][]float64{{1}}, []string{"x"}, CoxOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("row count: %v", err)
	}
	if _, err := FitCox(subs, [][]float64{{1}, {math.NaN()}, {1}, {2}, {3}}, []string{"x"}, CoxOptions{}); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("NaN covariate: %v", err)
	}
}
