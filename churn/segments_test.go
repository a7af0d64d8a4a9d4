package churn

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// segmentReference holds what R's survival package printed for one k-group comparison: run
// churn/testdata/survref/reference.R (R 4.2.2, survival 3.5.3); its output is
// churn/testdata/survref/reference.txt and its survfit rows churn/testdata/survref/km.csv.
type segmentReference struct {
	set, frame string
	group      func(fr coxFrame, i int) int
	chisq, p   float64
	obs, exp   []float64
	// pairs: a, b, chisq, p, holm, BH (pairwise survdiff on the two groups' subjects, then
	// p.adjust(p, "holm") and p.adjust(p, "BH") over the six pairs).
	pairs [][6]float64
}

var segmentReferences = []segmentReference{
	{
		// R 4.2.2, survival 3.5.3: survdiff(Surv(time, status) ~ celltype, data = veteran)
		set: "veteran_celltype", frame: "veteran",
		group: func(fr coxFrame, i int) int { return fr.strata[i] },
		chisq: 25.4037003457854, p: 1.27124593900609e-05,
		obs: []float64{31, 45, 26, 26},
		exp: []float64{47.6546776724754, 30.1020793268148, 15.6937646143605, 34.5494783863493},
		pairs: [][6]float64{
			{0, 1, 11.573673919989, 6.6892122504147e-04, 0.00267568490016588, 0.00133784245008294},
			{0, 2, 12.0454836410801, 5.19180149283958e-04, 0.00259590074641979, 0.00133784245008294},
			{0, 3, 0.822593978656156, 0.364422837484103, 0.728845674968206, 0.437307404980924},
			{1, 2, 0.0968431919710046, 0.7556513286871211, 0.755651328687121, 0.755651328687121},
			{1, 3, 9.37090414818377404, 0.00220456751896179, 0.00661370255688536, 0.00330685127844268},
			{2, 3, 17.6693215293231, 2.62831687847632e-05, 0.000157699012708579, 0.000157699012708579},
		},
	},
	{
		// R 4.2.2, survival 3.5.3: survdiff(Surv(time, status == 2) ~ ph.ecog,
		// data = na.omit(lung[, c('time','status','age','sex','ph.ecog')]))
		set: "lung_ecog", frame: "lung",
		group: func(fr coxFrame, i int) int { return int(fr.x[i][2]) },
		chisq: 21.962131682476, p: 6.64253535580017e-05,
		obs: []float64{37, 82, 44, 1},
		exp: []float64{54.152697018922929, 83.527564575081882, 26.147353065330211, 0.172385340664962},
		pairs: [][6]float64{
			{0, 1, 3.4568305499978309, 0.0629909490512577, 0.125981898102515, 0.0755891388615093},
			{0, 2, 16.6823281469442, 4.41907402243336e-05, 0.000265144441346002, 0.000265144441346002},
			{0, 3, 5.7798727021963954, 0.0162107154203626, 0.0648428616814505, 0.0313819740620997},
			{1, 2, 8.43344637807303243, 0.00368381485776989, 0.0184190742888494, 0.0110514445733097},
			{1, 3, 5.3333349409566173, 0.0209213160413998, 0.0648428616814505, 0.0313819740620997},
			{2, 3, 1.242310048613852, 0.265026315155159, 0.265026315155159, 0.265026315155159},
		},
	},
}

// kmRow is one row of survfit in km.csv.
type kmRow struct {
	time, risk, event, censor, surv, stderr float64
}

func readKMReference(t *testing.T) map[string]map[int][]kmRow {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "survref", "km.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[int][]kmRow{}
	for _, r := range rows[1:] {
		v := make([]float64, 7)
		for j := 1; j < 8; j++ {
			if v[j-1], err = strconv.ParseFloat(r[j], 64); err != nil {
				t.Fatal(err)
			}
		}
		if out[r[0]] == nil {
			out[r[0]] = map[int][]kmRow{}
		}
		g := int(v[0])
		out[r[0]][g] = append(out[r[0]][g], kmRow{v[1], v[2], v[3], v[4], v[5], v[6]})
	}
	return out
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b))
}

func TestBySegmentReference(t *testing.T) {
	km := readKMReference(t)
	for _, ref := range segmentReferences {
		t.Run(ref.set, func(t *testing.T) {
			fr := readCoxFrame(t, ref.frame)
			subs := make([]Subject, len(fr.subjects))
			for i, s := range fr.subjects {
				subs[i] = Subject{Duration: s.Duration, Churned: s.Churned} // survdiff has no weights
			}
			rep, err := BySegment(subs, func(i int) int { return ref.group(fr, i) }, SegmentOptions{Pairwise: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Segments) != 4 || rep.LogRank == nil {
				t.Fatalf("%d segments, log-rank %v", len(rep.Segments), rep.LogRank)
			}
			lr := rep.LogRank
			if !near(lr.ChiSquare, ref.chisq, 1e-9) || !near(lr.P, ref.p, 1e-8) || lr.DF != 3 {
				t.Errorf("log-rank χ² %v df %d p %v, R %v 3 %v", lr.ChiSquare, lr.DF, lr.P, ref.chisq, ref.p)
			}
			for g, s := range rep.Segments {
				if s.Key != g {
					t.Errorf("segment %d has key %v", g, s.Key)
				}
				if !near(s.Observed, ref.obs[g], 1e-12) || !near(s.Expected, ref.exp[g], 1e-9) {
					t.Errorf("segment %d: O %v E %v, R %v %v", g, s.Observed, s.Expected, ref.obs[g], ref.exp[g])
				}
				rows := km[ref.set][g]
				c := s.Curve
				if len(c.Time) != len(rows) {
					t.Fatalf("segment %d: %d rows, R %d", g, len(c.Time), len(rows))
				}
				for i, r := range rows {
					if c.Time[i] != r.time || c.AtRisk[i] != r.risk || c.Churned[i] != r.event || c.Censored[i] != r.censor || !near(c.Survival[i], r.surv, 1e-12) {
						t.Errorf("segment %d row %d: (%v %v %v %v %v), R %+v", g, i, c.Time[i], c.AtRisk[i], c.Churned[i], c.Censored[i], c.Survival[i], r)
					}
					// survfit's std.err is the standard error of log S: √Greenwood.
					if !math.IsInf(r.stderr, 0) && !near(math.Sqrt(c.Greenwood[i]), r.stderr, 1e-12) {
						t.Errorf("segment %d row %d: √Greenwood %v, R std.err %v", g, i, math.Sqrt(c.Greenwood[i]), r.stderr)
					}
				}
			}
			if len(rep.Pairs) != 6 {
				t.Fatalf("%d pairs", len(rep.Pairs))
			}
			for i, pr := range rep.Pairs {
				want := ref.pairs[i]
				if float64(pr.A) != want[0] || float64(pr.B) != want[1] || pr.LogRank == nil {
					t.Fatalf("pair %d: %v–%v %v", i, pr.A, pr.B, pr.LogRank)
				}
				if !near(pr.LogRank.ChiSquare, want[2], 1e-9) || !near(pr.LogRank.P, want[3], 1e-8) || !near(*pr.AdjustedP, want[4], 1e-8) {
					t.Errorf("pair %v–%v: χ² %v p %v holm %v, R %v", pr.A, pr.B, pr.LogRank.ChiSquare, pr.LogRank.P, *pr.AdjustedP, want)
				}
			}
			bh, err := BySegment(subs, func(i int) int { return ref.group(fr, i) }, SegmentOptions{Pairwise: true, Correction: cxkit.BenjaminiHochberg})
			if err != nil {
				t.Fatal(err)
			}
			for i, pr := range bh.Pairs {
				if !near(*pr.AdjustedP, ref.pairs[i][5], 1e-8) {
					t.Errorf("pair %v–%v: BH %v, R %v", pr.A, pr.B, *pr.AdjustedP, ref.pairs[i][5])
				}
			}
		})
	}
}

// The lung data by ph.ecog have one patient with ECOG 3: that segment is flagged small.
func TestBySegmentSmall(t *testing.T) {
	fr := readCoxFrame(t, "lung")
	rep, err := BySegment(fr.subjects, func(i int) string { return "ecog" + strconv.Itoa(int(fr.x[i][2])) }, SegmentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var small []string
	for _, s := range rep.Segments {
		if s.Small {
			small = append(small, s.Key)
		}
	}
	if !reflect.DeepEqual(small, []string{"ecog3"}) {
		t.Errorf("small segments %v, want [ecog3]", small)
	}
	all, err := KaplanMeier(fr.subjects)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rep.All, all) {
		t.Error("pooled curve differs from KaplanMeier on all subjects")
	}
	if rep.Pairs != nil {
		t.Error("pairs without Pairwise")
	}
}

func TestBySegmentErrors(t *testing.T) {
	subs := []Subject{{Duration: 1, Churned: true}, {Duration: -2}, {Duration: 3}}
	key := func(i int) string { return []string{"basic", "pro", "basic"}[i] }
	if _, err := BySegment(subs, key, SegmentOptions{}); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "segment pro: subject 1") {
		t.Errorf("bad subject: %v", err)
	}
	if _, err := BySegment(nil, key, SegmentOptions{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("no subjects: %v", err)
	}
	if _, err := BySegment[string](subs[:1], nil, SegmentOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil key: %v", err)
	}
	if _, err := BySegment(subs[:1], key, SegmentOptions{MinEvents: math.NaN()}); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("NaN option: %v", err)
	}
	if _, err := BySegment(subs[:1], key, SegmentOptions{Correction: 9}); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad correction: %v", err)
	}
	// One segment: a curve, no test. Segments without events: no test, pairs undefined.
	rep, err := BySegment(subs[:1], key, SegmentOptions{Pairwise: true})
	if err != nil || rep.LogRank != nil || len(rep.Segments) != 1 || rep.Pairs != nil {
		t.Errorf("one segment: %+v, %v", rep, err)
	}
	ri, err := BySegment([]Subject{{Duration: 1}, {Duration: 2}, {Duration: 3, Churned: true}}, func(i int) int { return i }, SegmentOptions{Pairwise: true})
	if err != nil {
		t.Fatal(err)
	}
	if ri.Pairs[0].LogRank != nil || ri.Pairs[0].AdjustedP != nil {
		t.Errorf("pair of segments without churn: %+v", ri.Pairs[0])
	}
}

// Keys of a struct type sort by their printed form; time keys chronologically.
func TestSegmentOrder(t *testing.T) {
	type region struct{ Country, City string }
	keys := []region{{"FR", "Paris"}, {"DE", "Berlin"}, {"FR", "Lyon"}}
	subs := []Subject{{Duration: 1, Churned: true}, {Duration: 2}, {Duration: 3, Churned: true}}
	rep, err := BySegment(subs, func(i int) region { return keys[i] }, SegmentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []region
	for _, s := range rep.Segments {
		got = append(got, s.Key)
	}
	if want := []region{{"DE", "Berlin"}, {"FR", "Lyon"}, {"FR", "Paris"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	months := []time.Time{t0.AddDate(0, 2, 0), t0, t0.AddDate(0, 1, 0)}
	rt, err := BySegment(subs, func(i int) time.Time { return months[i] }, SegmentOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range rt.Segments {
		if !s.Key.Equal(t0.AddDate(0, i, 0)) {
			t.Errorf("time segment %d is %v", i, s.Key)
		}
	}
}

func TestBySubscriptionSegment(t *testing.T) {
	day := 24 * time.Hour
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	asOf := t0.AddDate(0, 6, 0)
	var subs []Subscription
	var plans []string
	for i := range 60 {
		s := Subscription{Customer: "c" + strconv.Itoa(i), Start: t0.Add(time.Duration(i%90) * day)}
		if i%3 != 0 {
			s.End = s.Start.Add(time.Duration(20+7*i) * day)
		}
		subs = append(subs, s)
		plans = append(plans, []string{"basic", "pro", "team"}[i%3])
	}
	periods, err := Periods(t0, cxkit.Month, 6)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := BySubscriptionSegment(subs, func(i int) string { return plans[i] },
		SubscriptionSegmentOptions{AsOf: asOf, Periods: periods, Origin: t0, Step: cxkit.Month, SegmentOptions: SegmentOptions{Pairwise: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Segments) != 3 || rep.LogRank == nil || len(rep.Pairs) != 3 {
		t.Fatalf("report %+v", rep)
	}
	for _, seg := range rep.Segments {
		var mine []Subscription
		var subjects []Subject
		for i, s := range subs {
			if plans[i] != seg.Key {
				continue
			}
			mine = append(mine, s)
			end, churned := asOf, false
			if !s.End.IsZero() && !s.End.After(asOf) {
				end, churned = s.End, true
			}
			sj, err := NewSubject(s.Start, end, churned, day)
			if err != nil {
				t.Fatal(err)
			}
			subjects = append(subjects, sj)
		}
		c, err := KaplanMeier(subjects)
		if err != nil {
			t.Fatal(err)
		}
		r, err := RatesFromLog(mine, periods)
		if err != nil {
			t.Fatal(err)
		}
		m, err := CohortRetention(mine, t0, cxkit.Month, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(seg.Curve, c) {
			t.Errorf("segment %s: curve differs from KaplanMeier", seg.Key)
		}
		if !ratesEqual(seg.Rates, r) {
			t.Errorf("segment %s: rates differ from RatesFromLog", seg.Key)
		}
		if !reflect.DeepEqual(*seg.Cohorts, m) {
			t.Errorf("segment %s: cohorts differ from CohortRetention", seg.Key)
		}
	}
	bad := append([]Subscription(nil), subs...)
	bad[4].Start = asOf.Add(day)
	if _, err := BySubscriptionSegment(bad, func(i int) string { return plans[i] }, SubscriptionSegmentOptions{AsOf: asOf}); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "segment pro: subscription 4") {
		t.Errorf("start after AsOf: %v", err)
	}
	if _, err := BySubscriptionSegment(subs, func(i int) string { return plans[i] }, SubscriptionSegmentOptions{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("no AsOf: %v", err)
	}
	if _, err := BySubscriptionSegment(subs, func(i int) string { return plans[i] }, SubscriptionSegmentOptions{AsOf: asOf, Origin: t0.AddDate(0, 1, 0), Step: cxkit.Month}); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "subscription 0") {
		t.Errorf("start before origin: %v", err)
	}
}

func TestSegmentTallyMatchesBySegment(t *testing.T) {
	fr := readCoxFrame(t, "veteran")
	key := func(i int) int { return fr.strata[i] }
	want, err := BySegment(fr.subjects, key, SegmentOptions{Pairwise: true})
	if err != nil {
		t.Fatal(err)
	}
	var a, b SegmentTally[int]
	for i, s := range fr.subjects {
		dst := &a
		if i%3 == 0 {
			dst = &b
		}
		if err := dst.Add(key(i), s); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Merge(&a); err != nil {
		t.Fatal(err)
	}
	got, err := b.Report(SegmentOptions{Pairwise: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reportsEqual(got, want, 1e-12) {
		t.Errorf("merged tally report differs from BySegment")
	}
	if err := b.Add(7, Subject{Duration: math.NaN()}); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), "segment 7") {
		t.Errorf("bad subject: %v", err)
	}
	if b.Tally(7) != nil || len(b.Keys()) != 4 {
		t.Errorf("a failed add created a segment")
	}
	var empty SegmentTally[int]
	if _, err := empty.Report(SegmentOptions{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: %v", err)
	}
}

// reportsEqual compares two reports: exactly in the counts, to a relative tol in the sums
// whose order of accumulation may differ.
func reportsEqual[K comparable](a, b SegmentReport[K], tol float64) bool {
	if len(a.Segments) != len(b.Segments) || len(a.Pairs) != len(b.Pairs) || (a.LogRank == nil) != (b.LogRank == nil) {
		return false
	}
	if !curvesNear(a.All, b.All, tol) {
		return false
	}
	for g := range a.Segments {
		x, y := a.Segments[g], b.Segments[g]
		if x.Key != y.Key || x.Small != y.Small || !curvesNear(x.Curve, y.Curve, tol) || !near(x.Observed, y.Observed, tol) || !near(x.Expected, y.Expected, tol) {
			return false
		}
	}
	if a.LogRank != nil && (!near(a.LogRank.ChiSquare, b.LogRank.ChiSquare, 1e-9) || a.LogRank.DF != b.LogRank.DF) {
		return false
	}
	for i := range a.Pairs {
		x, y := a.Pairs[i], b.Pairs[i]
		if x.A != y.A || x.B != y.B || (x.LogRank == nil) != (y.LogRank == nil) {
			return false
		}
		if x.LogRank != nil && (!near(x.LogRank.ChiSquare, y.LogRank.ChiSquare, 1e-9) || !near(*x.AdjustedP, *y.AdjustedP, 1e-9)) {
			return false
		}
	}
	return true
}

func curvesNear(a, b Curve, tol float64) bool {
	if len(a.Time) != len(b.Time) || !near(a.Subjects, b.Subjects, tol) || !near(a.Events, b.Events, tol) {
		return false
	}
	for i := range a.Time {
		if a.Time[i] != b.Time[i] || !near(a.AtRisk[i], b.AtRisk[i], tol) || !near(a.Churned[i], b.Churned[i], tol) ||
			!near(a.Censored[i], b.Censored[i], tol) || !near(a.Survival[i], b.Survival[i], tol) {
			return false
		}
		if !(math.IsInf(a.Greenwood[i], 1) && math.IsInf(b.Greenwood[i], 1)) && !near(a.Greenwood[i], b.Greenwood[i], tol) {
			return false
		}
	}
	return true
}

// ratesEqual compares rates, NaN equal to NaN.
func ratesEqual(a, b []PeriodRates) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Window != y.Window || x.Start != y.Start || x.Acquired != y.Acquired || x.End != y.End || x.Lost != y.Lost || x.LostAcquired != y.LostAcquired {
			return false
		}
		if !(x.Churn == y.Churn || math.IsNaN(x.Churn) && math.IsNaN(y.Churn)) || !(x.Retention == y.Retention || math.IsNaN(x.Retention) && math.IsNaN(y.Retention)) {
			return false
		}
	}
	return true
}
