// Command scaling measures how the cost of each package's main entry point grows with its
// input: wall time (best of -reps runs) and bytes allocated per call, for 10^3 … 10^7 inputs,
// written as CSV and plotted with gonum/plot as SVG (log-log axes; a slope of one is linear
// cost). For the CLV fits it measures two kinds of input of the same sizes: all-distinct
// histories (continuous ages) and histories on a weekly grid (few distinct (x, t_x, T)), to show
// that the fit's cost follows distinct histories, not customers.
//
// Run from the repository root (about 2-4 minutes on a 2-core machine):
//
//	go run ./bench/scaling -out bench/scaling
//
// The data are generated from a fixed seed; nothing is read from outside the repository.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/journey"
	"github.com/cxkit/cxkit/nps"
	"github.com/cxkit/cxkit/responsetime"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// workload is one entry point measured at several sizes.
type workload struct {
	name string
	max  int                      // largest size measured
	prep func(n int) func() error // builds the input of size n (untimed) and returns the call
	note string                   // what "n" counts
}

// point is one measurement.
type point struct {
	name    string
	n       int
	seconds float64 // best of reps
	bytes   float64 // bytes allocated by one call
}

func main() {
	out := flag.String("out", "bench/scaling", "folder for scaling.csv and the SVG plots")
	reps := flag.Int("reps", 3, "runs per size; the best time is kept")
	maxN := flag.Int("max", 10_000_000, "largest input size")
	flag.Parse()
	if err := run(*out, *reps, *maxN); err != nil {
		fmt.Fprintln(os.Stderr, "scaling:", err)
		os.Exit(1)
	}
}

func run(out string, reps, maxN int) error {
	var pts []point
	for _, w := range workloads() {
		for n := 1000; n <= min(w.max, maxN); n *= 10 {
			call := w.prep(n)
			p := point{name: w.name, n: n, seconds: math.Inf(1)}
			for r := 0; r < reps; r++ {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				start := time.Now()
				if err := call(); err != nil {
					return fmt.Errorf("%s at n=%d: %w", w.name, n, err)
				}
				el := time.Since(start).Seconds()
				runtime.ReadMemStats(&after)
				p.seconds = math.Min(p.seconds, el)
				p.bytes = float64(after.TotalAlloc - before.TotalAlloc)
			}
			fmt.Fprintf(os.Stderr, "%-28s n=%-9d %10.4f s %12.0f B\n", w.name, n, p.seconds, p.bytes)
			pts = append(pts, p)
		}
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeCSV(filepath.Join(out, "scaling.csv"), pts); err != nil {
		return err
	}
	if err := plotXY(filepath.Join(out, "time.svg"), "Time per call (best of runs)", "seconds", pts, func(p point) float64 { return p.seconds }); err != nil {
		return err
	}
	return plotXY(filepath.Join(out, "memory.svg"), "Bytes allocated per call", "bytes", pts, func(p point) float64 { return math.Max(p.bytes, 1) })
}

func workloads() []workload {
	return []workload{
		{name: "nps.Score", max: 10_000_000, note: "ratings", prep: func(n int) func() error {
			r := rand.New(rand.NewPCG(1, uint64(n)))
			x := make([]uint8, n)
			for i := range x {
				x[i] = uint8(r.IntN(11))
			}
			return func() error { _, err := nps.Score(x); return err }
		}},
		{name: "csat.Score", max: 10_000_000, note: "ratings", prep: func(n int) func() error {
			r := rand.New(rand.NewPCG(2, uint64(n)))
			x := make([]uint8, n)
			for i := range x {
				x[i] = uint8(1 + r.IntN(5))
			}
			return func() error { _, err := csat.Score(csat.FivePoint, x); return err }
		}},
		{name: "responsetime.Summarize", max: 10_000_000, note: "queries", prep: func(n int) func() error {
			q := queries(n, 3)
			return func() error { _, err := responsetime.Summarize(q, responsetime.Options{}); return err }
		}},
		{name: "responsetime.Tracker", max: 10_000_000, note: "queries: AddAll, then p50/p90/p95 (Result) and p99 (Quantile)", prep: func(n int) func() error {
			q := queries(n, 3)
			return func() error {
				var t responsetime.Tracker
				if err := t.AddAll(q); err != nil {
					return err
				}
				if _, err := t.Result(); err != nil {
					return err
				}
				_, err := t.Quantile(0.99)
				return err
			}
		}},
		{name: "journey.Analyze", max: 10_000_000, note: "feedback observations (10 a customer, 30 touchpoints, 5 personas)", prep: func(n int) func() error {
			m, obs := feedback(n, 9)
			return func() error { _, err := journey.Analyze(m, obs, journey.Options{}); return err }
		}},
		{name: "journey.AnalyzePaths", max: 10_000_000, note: "events (10 a customer, 30 touchpoints, random order)", prep: func(n int) func() error {
			ev := events(n, 10)
			return func() error { _, err := journey.AnalyzePaths(ev, journey.PathOptions{}); return err }
		}},
		{name: "journey.Funnel", max: 10_000_000, note: "events (as AnalyzePaths), 4 steps", prep: func(n int) func() error {
			ev := events(n, 11)
			steps := []string{"t0", "t1", "t2", "t3"}
			return func() error { _, err := journey.Funnel(ev, steps, journey.FunnelOptions{}); return err }
		}},
		{name: "churn.KaplanMeier", max: 10_000_000, note: "subjects", prep: func(n int) func() error {
			s := subjects(n, 4)
			return func() error { _, err := churn.KaplanMeier(s); return err }
		}},
		{name: "churn.LogRankTest", max: 10_000_000, note: "subjects", prep: func(n int) func() error {
			a, b := subjects(n/2, 5), subjects(n-n/2, 6)
			return func() error { _, err := churn.LogRankTest(a, b); return err }
		}},
		{name: "clv.FitBGNBD distinct", max: 1_000_000, note: "customers, all-distinct histories", prep: func(n int) func() error {
			return fitEachCopy(customers(n, 7, false))
		}},
		{name: "clv.FitBGNBD weekly grid", max: 10_000_000, note: "customers, histories on a weekly grid", prep: func(n int) func() error {
			return fitEachCopy(customers(n, 8, true))
		}},
	}
}

// fitEachCopy returns a call that fits BG/NBD to a different copy of c each time (two
// copies, alternating): clv remembers the compressed histories of the last large slice it
// grouped, so refitting the same slice would skip the grouping that a first fit pays for.
func fitEachCopy(c []clv.Customer) func() error {
	copies := [2][]clv.Customer{c, slices.Clone(c)}
	i := 0
	return func() error {
		i++
		_, err := clv.FitBGNBD(copies[i%2])
		return err
	}
}

// queries are n answered queries over 90 days, exponential first-response times (mean 2 h).
func queries(n int, seed uint64) []responsetime.Query {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	q := make([]responsetime.Query, n)
	for i := range q {
		rec := base.Add(time.Duration(r.Int64N(int64(90 * 24 * time.Hour))))
		q[i] = responsetime.Query{Received: rec, FirstResponse: rec.Add(time.Duration(r.ExpFloat64() * float64(2*time.Hour)))}
	}
	return q
}

var touchpoints = func() []string {
	t := make([]string, 30)
	for i := range t {
		t[i] = "t" + strconv.Itoa(i)
	}
	return t
}()

// feedback is a journey map of 30 touchpoints and 5 personas and n feedback observations,
// 10 a customer (9 CSAT answers 1..5 and one NPS answer 0..10), customers in order.
func feedback(n int, seed uint64) (journey.Map, []journey.Observation) {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	m := journey.Map{Name: "scaling"}
	stages := journey.DefaultStages()
	for i, id := range touchpoints {
		m.Touchpoints = append(m.Touchpoints, journey.Touchpoint{ID: id, Name: "Touchpoint " + id, Stage: stages[i*len(stages)/len(touchpoints)], Channel: journey.Web})
	}
	for i := range 5 {
		m.Personas = append(m.Personas, journey.Persona{ID: "p" + strconv.Itoa(i), Name: "Persona " + strconv.Itoa(i)})
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fb := make([]journey.Feedback, n)
	obs := make([]journey.Observation, n)
	for i := range fb {
		c := i / 10
		f := journey.Feedback{Customer: fmt.Sprintf("c%08d", c), Persona: m.Personas[c%5].ID, Touchpoint: touchpoints[r.IntN(30)],
			Time: base.Add(time.Duration(c%1440)*time.Hour + time.Duration(i%10)*time.Minute), Metric: journey.CSAT, Rating: 1 + r.IntN(5)}
		if i%10 == 9 {
			f.Metric, f.Rating = journey.NPS, r.IntN(11)
		}
		fb[i] = f
		obs[i] = journey.Observation{Feedback: &fb[i]}
	}
	return m, obs
}

// events are n path events of n/10 customers over 30 touchpoints, times within a day, in
// random order (the one-call functions group them by customer).
func events(n int, seed uint64) []journey.Event {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]string, max(n/10, 1))
	for i := range ids {
		ids[i] = fmt.Sprintf("c%08d", i)
	}
	ev := make([]journey.Event, n)
	for i := range ev {
		ev[i] = journey.Event{Customer: ids[r.IntN(len(ids))], Touchpoint: touchpoints[r.IntN(30)], Time: base.Add(time.Duration(r.IntN(86400)) * time.Second)}
	}
	return ev
}

// subjects are monthly subscription durations up to 36 months, about 70% churned.
func subjects(n int, seed uint64) []churn.Subject {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	s := make([]churn.Subject, n)
	for i := range s {
		s[i] = churn.Subject{Duration: float64(1 + r.IntN(36)), Churned: r.Float64() < 0.7}
	}
	return s
}

// customers simulates BG/NBD purchase histories with the CDNOW parameters of Fader, Hardie &
// Lee (2005) (r 0.243, α 4.414, a 0.793, b 2.426) over calibration periods of 1-39 weeks; with
// grid, ages and recencies are whole weeks, so distinct histories number in the thousands.
func customers(n int, seed uint64, grid bool) []clv.Customer {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	const shape, rate, a, b = 0.243, 4.414, 0.793, 2.426
	out := make([]clv.Customer, n)
	for i := range out {
		T := 1 + 38*r.Float64()
		if grid {
			T = math.Ceil(T)
		}
		lambda := gammaRand(r, shape) / rate
		p := betaRand(r, a, b)
		var t float64
		c := clv.Customer{T: T}
		for {
			t += r.ExpFloat64() / lambda
			if t > T {
				break
			}
			c.Frequency++
			c.Recency = t
			if r.Float64() < p {
				break
			}
		}
		if grid {
			c.Recency = math.Min(math.Floor(c.Recency), T)
			if c.Frequency > 0 && c.Recency == 0 {
				c.Recency = math.Min(1, T)
			}
		}
		out[i] = c
	}
	return out
}

// gammaRand draws from Gamma(shape, 1) (Marsaglia & Tsang 2000, with the shape < 1 boost).
func gammaRand(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaRand(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// betaRand draws from Beta(a, b) as a ratio of gammas.
func betaRand(r *rand.Rand, a, b float64) float64 {
	x, y := gammaRand(r, a), gammaRand(r, b)
	return x / (x + y)
}

func writeCSV(path string, pts []point) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"entry_point", "n", "seconds", "bytes_allocated"})
	for _, p := range pts {
		_ = w.Write([]string{p.name, strconv.Itoa(p.n), strconv.FormatFloat(p.seconds, 'g', 6, 64), strconv.FormatFloat(p.bytes, 'f', 0, 64)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func plotXY(path, title, ylabel string, pts []point, y func(point) float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "inputs (n)"
	p.Y.Label.Text = ylabel
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = true, true
	var order []string
	series := map[string]plotter.XYs{}
	for _, q := range pts {
		if _, ok := series[q.name]; !ok {
			order = append(order, q.name)
		}
		series[q.name] = append(series[q.name], plotter.XY{X: float64(q.n), Y: math.Max(y(q), 1e-9)})
	}
	for i, name := range order {
		l, s, err := plotter.NewLinePoints(series[name])
		if err != nil {
			return err
		}
		c := palette[i%len(palette)]
		l.Color, s.Color = c, c
		s.Shape = draw.CircleGlyph{}
		p.Add(l, s)
		p.Legend.Add(name, l, s)
	}
	return p.Save(7*vg.Inch, 5*vg.Inch, path)
}

var palette = []color.Color{
	color.RGBA{31, 119, 180, 255}, color.RGBA{255, 127, 14, 255}, color.RGBA{44, 160, 44, 255},
	color.RGBA{214, 39, 40, 255}, color.RGBA{148, 103, 189, 255}, color.RGBA{140, 86, 75, 255},
	color.RGBA{227, 119, 194, 255}, color.RGBA{127, 127, 127, 255},
}
