package main

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/journey"
	"github.com/cxkit/cxkit/nps"
)

// writeHTML writes the report as one self-contained HTML page: the text report and the charts
// as inline SVG drawn by gonum.org/v1/plot (no script, no network).
func writeHTML(w io.Writer, text string, d *data, asOf time.Time, minN float64) error {
	var charts []chart
	add := func(title string, draw func() (*plot.Plot, error)) error {
		p, err := draw()
		if err != nil {
			return fmt.Errorf("chart %q: %w", title, err)
		}
		svg, err := toSVG(p)
		if err != nil {
			return err
		}
		charts = append(charts, chart{title, svg})
		return nil
	}
	if len(d.responses) > 0 {
		if err := add("NPS by month, with its 95% interval", func() (*plot.Plot, error) { return npsTrendChart(d.responses, minN) }); err != nil {
			return err
		}
	}
	if len(d.subs) > 0 {
		if err := add("Kaplan-Meier retention by segment", func() (*plot.Plot, error) { return survivalChart(d.subs, asOf) }); err != nil {
			return err
		}
		if err := add("Monthly cohort retention (share of the cohort still subscribed)", func() (*plot.Plot, error) { return cohortChart(d.subs, asOf) }); err != nil {
			return err
		}
	}
	if c := d.cox; c != nil && c.err == nil && c.reason == "" {
		if err := add("Hazard ratios of leaving (Cox, 95% intervals; log scale, 1 = no difference)", func() (*plot.Plot, error) { return forestChart(c) }); err != nil {
			return err
		}
	}
	if d.jrep != nil && len(d.jrep.Emotion) > 0 {
		if err := add("Emotion curve along the journey (0..100, 95% interval bars)", func() (*plot.Plot, error) { return emotionChart(d.jrep) }); err != nil {
			return err
		}
		if len(d.jrep.PainPoints) > 0 {
			if err := add("Pain points by impact (points the journey's score would gain)", func() (*plot.Plot, error) { return painChart(d.jrep) }); err != nil {
				return err
			}
		}
	}
	if len(d.tx) > 0 {
		if err := add("Observed revenue per customer (distribution)", func() (*plot.Plot, error) { return revenueChart(d.tx) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>CX report</title>\n"+
		"<style>body{font-family:sans-serif;margin:2em;background:#fff}figure{display:inline-block;margin:1em}"+
		"pre{font-size:12px;background:#f6f6f6;padding:1em}table{border-collapse:collapse}"+
		"td,th{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>\n<h1>CX report — as of %s</h1>\n",
		asOf.Format(time.DateOnly))
	for _, c := range charts {
		fmt.Fprintf(w, "<figure><figcaption>%s</figcaption>\n%s</figure>\n", html.EscapeString(c.title), c.svg)
	}
	if c := d.cox; c != nil && c.err == nil && c.reason == "" {
		coxTable(w, c)
	}
	if d.jrep != nil {
		fmt.Fprintf(w, "<h2>Mermaid journey</h2>\n<pre class=\"mermaid-source\">%s</pre>\n", html.EscapeString(d.jrep.Mermaid()))
	}
	fmt.Fprintf(w, "<h2>The report</h2>\n<pre>%s</pre>\n</body></html>\n", html.EscapeString(text))
	return nil
}

type chart struct{ title, svg string }

// toSVG renders a plot as an inline <svg> element (the XML prologue dropped).
func toSVG(p *plot.Plot) (string, error) {
	wt, err := p.WriterTo(16*vg.Centimeter, 10*vg.Centimeter, "svg")
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if _, err := wt.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return s, nil
}

func npsTrendChart(rs []response, minN float64) (*plot.Plot, error) {
	var g nps.Groups[string]
	for _, r := range rs {
		if r.NPS != noAnswer {
			_ = g.Add(r.Time.Format("2006-01"), r.NPS) // validated by the loader
		}
	}
	rows, err := g.Report(minN)
	if err != nil {
		return nil, err
	}
	p := plot.New()
	p.Y.Label.Text = "NPS"
	p.X.Label.Text = "month"
	line, upper, lower := make(plotter.XYs, len(rows)), make(plotter.XYs, len(rows)), make(plotter.XYs, len(rows))
	var names []string
	for i, r := range rows {
		iv := r.Result.Interval(0.95)
		line[i] = plotter.XY{X: float64(i), Y: r.Result.Score}
		upper[i] = plotter.XY{X: float64(i), Y: iv.Upper}
		lower[len(rows)-1-i] = plotter.XY{X: float64(i), Y: iv.Lower}
		names = append(names, r.Key)
	}
	band, err := plotter.NewPolygon(append(upper, lower...))
	if err != nil {
		return nil, err
	}
	band.Color = color.RGBA{R: 190, G: 210, B: 240, A: 255}
	band.LineStyle.Width = 0
	l, pts, err := plotter.NewLinePoints(line)
	if err != nil {
		return nil, err
	}
	l.Color, pts.Color = color.RGBA{B: 160, A: 255}, color.RGBA{B: 160, A: 255}
	l.Width = vg.Points(2)
	p.Add(band, l, pts, plotter.NewGrid())
	p.NominalX(names...)
	return p, nil
}

func survivalChart(subs []subscription, asOf time.Time) (*plot.Plot, error) {
	bySeg := map[string][]churn.Subject{}
	for _, s := range subs {
		subj, err := s.Subject(asOf, month)
		if err != nil {
			return nil, fmt.Errorf("customer %s: %w", s.Customer, err)
		}
		bySeg[s.Segment] = append(bySeg[s.Segment], subj)
	}
	segs := make([]string, 0, len(bySeg))
	for k := range bySeg {
		segs = append(segs, k)
	}
	slices.Sort(segs)
	p := plot.New()
	p.X.Label.Text = "months since signup"
	p.Y.Label.Text = "share still subscribed"
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top = true
	for i, seg := range segs {
		c, err := churn.KaplanMeier(bySeg[seg])
		if err != nil {
			return nil, err
		}
		xy := plotter.XYs{{X: 0, Y: 1}}
		prev := 1.0
		for k, t := range c.Time { // a step function
			xy = append(xy, plotter.XY{X: t, Y: prev}, plotter.XY{X: t, Y: c.Survival[k]})
			prev = c.Survival[k]
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		l.Color = plotPalette[i%len(plotPalette)]
		l.Width = vg.Points(2)
		p.Add(l)
		p.Legend.Add(seg, l)
	}
	p.Add(plotter.NewGrid())
	return p, nil
}

var plotPalette = []color.Color{
	color.RGBA{R: 31, G: 119, B: 180, A: 255}, color.RGBA{R: 255, G: 127, B: 14, A: 255},
	color.RGBA{R: 44, G: 160, B: 44, A: 255}, color.RGBA{R: 214, G: 39, B: 40, A: 255},
}

// cohortGrid is the cohort table as a heat-map grid: x = months since acquisition, y = cohort.
type cohortGrid struct{ share [][]float64 }

func (g cohortGrid) Dims() (c, r int) {
	for _, row := range g.share {
		c = max(c, len(row))
	}
	return c, len(g.share)
}
func (g cohortGrid) X(c int) float64 { return float64(c) }
func (g cohortGrid) Y(r int) float64 { return float64(r) }
func (g cohortGrid) Z(c, r int) float64 {
	if c < len(g.share[r]) {
		return g.share[r][c]
	}
	return math.NaN()
}

func cohortChart(subs []subscription, asOf time.Time) (*plot.Plot, error) {
	log := make([]churn.Subscription, len(subs))
	for i, s := range subs {
		log[i] = s.Subscription
	}
	first := asOf
	for _, s := range log {
		if s.Start.Before(first) {
			first = s.Start
		}
	}
	origin := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, asOf.Location())
	m, err := churn.CohortRetention(log, origin, cxkit.Month, asOf)
	if err != nil {
		return nil, err
	}
	var g cohortGrid
	for _, row := range m.Rows() {
		if len(row) == 0 || row[0] == 0 {
			continue
		}
		share := make([]float64, len(row))
		for k, v := range row {
			share[k] = v / row[0]
		}
		g.share = append(g.share, share)
	}
	if len(g.share) > 12 { // the last twelve cohorts
		g.share = g.share[len(g.share)-12:]
	}
	if len(g.share) == 0 {
		return nil, fmt.Errorf("no cohort acquired before %s", asOf.Format(time.DateOnly))
	}
	h := plotter.NewHeatMap(g, moreland.SmoothBlueRed().Palette(64))
	h.Min, h.Max = 0, 1
	h.NaN = color.White
	p := plot.New()
	p.X.Label.Text = "months since acquisition"
	p.Y.Label.Text = "cohort (the last twelve acquired, oldest at the bottom)"
	p.Add(h)
	return p, nil
}

func revenueChart(tx []clv.Transaction) (*plot.Plot, error) {
	per := map[string]float64{}
	for _, t := range tx {
		per[t.Customer] += t.Amount
	}
	vals := make(plotter.Values, 0, len(per))
	for _, v := range per {
		vals = append(vals, v)
	}
	h, err := plotter.NewHist(vals, 30)
	if err != nil {
		return nil, err
	}
	h.FillColor = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	p := plot.New()
	p.X.Label.Text = "revenue per customer ($)"
	p.Y.Label.Text = "customers"
	p.Add(h)
	return p, nil
}

func emotionChart(r *journey.Report) (*plot.Plot, error) {
	var xy plotter.XYs
	var errs plotter.YErrors
	var names []string
	for _, e := range r.Emotion {
		if !e.HasData {
			continue
		}
		xy = append(xy, plotter.XY{X: float64(len(xy)), Y: e.Value})
		errs = append(errs, struct{ Low, High float64 }{e.Value - e.Interval.Lower, e.Interval.Upper - e.Value})
		names = append(names, e.Touchpoint)
	}
	if len(xy) == 0 {
		return nil, fmt.Errorf("no touchpoint has feedback")
	}
	p := plot.New()
	p.Y.Label.Text = "experience (0..100)"
	l, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return nil, err
	}
	l.Color, pts.Color = plotPalette[3], plotPalette[3]
	l.Width = vg.Points(2)
	bars, err := plotter.NewYErrorBars(struct {
		plotter.XYs
		plotter.YErrors
	}{xy, errs})
	if err != nil {
		return nil, err
	}
	p.Add(plotter.NewGrid(), bars, l, pts)
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.6
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	return p, nil
}

func painChart(r *journey.Report) (*plot.Plot, error) {
	var vals plotter.Values
	var names []string
	for _, pp := range r.PainPoints {
		if pp.Impact <= 0 || len(vals) == 8 {
			continue
		}
		vals = append(vals, pp.Impact)
		names = append(names, pp.Touchpoint+" "+pp.Metric.String())
	}
	if len(vals) == 0 {
		vals, names = plotter.Values{0}, []string{"none with impact"}
	}
	p := plot.New()
	p.Y.Label.Text = "impact (points)"
	b, err := plotter.NewBarChart(vals, vg.Points(22))
	if err != nil {
		return nil, err
	}
	b.Color = plotPalette[1]
	p.Add(plotter.NewGrid(), b)
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = 0.6
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	return p, nil
}

// coxTable writes the churn section's hazard ratios as an HTML table.
func coxTable(w io.Writer, c *coxResult) {
	m := c.fit
	fmt.Fprintf(w, "<h2>Why customers leave (Cox proportional hazards)</h2>\n<p>n = %d subscriptions, %.0f churned; concordance %.3f; "+
		"likelihood-ratio χ² = %.2f on %d df, %s; proportional-hazards test (cox.zph) global %s. %d of %d subscriptions have neither a survey answer nor a ticket and are left out (see the report).</p>\n",
		m.N, m.Events, m.Concordance, m.LikelihoodRatio.ChiSquare, m.LikelihoodRatio.DF, html.EscapeString(pValue(m.LikelihoodRatio.P)),
		html.EscapeString(phP(m.PH.Global.P)), c.in.noRecord, c.in.subs)
	fmt.Fprintf(w, "<table>\n<tr><th>covariate</th><th>hazard ratio</th><th>95%% interval</th><th>p (Wald)</th><th>PH test p</th><th>in plain words</th></tr>\n")
	for j, h := range c.hrs {
		fmt.Fprintf(w, "<tr><td>%s</td><td>%.2f</td><td>%.2f – %.2f</td><td>%s</td><td>%s</td><td style=\"text-align:left\">%s</td></tr>\n",
			html.EscapeString(h.Name), h.Ratio, h.Interval.Lower, h.Interval.Upper, html.EscapeString(pValue(h.P)),
			html.EscapeString(phP(m.PH.Covariates[j].P)), html.EscapeString(plain(h)))
	}
	fmt.Fprintf(w, "</table>\n")
}

// forestChart plots the hazard ratios with their 95% intervals on a log scale, one row per
// covariate, with the line of no difference at 1.
func forestChart(c *coxResult) (*plot.Plot, error) {
	n := len(c.hrs)
	xy := make(plotter.XYs, n)
	errs := make(plotter.XErrors, n)
	names := make([]string, n)
	lo, hi := 1.0, 1.0
	for i, h := range c.hrs {
		y := float64(n - 1 - i) // the first covariate on top
		xy[i] = plotter.XY{X: h.Ratio, Y: y}
		errs[i] = struct{ Low, High float64 }{h.Ratio - h.Interval.Lower, h.Interval.Upper - h.Ratio}
		names[n-1-i] = h.Name
		lo, hi = min(lo, h.Interval.Lower), max(hi, h.Interval.Upper)
	}
	p := plot.New()
	p.X.Label.Text = "hazard ratio (log scale)"
	p.X.Scale = plot.LogScale{}
	p.X.Min, p.X.Max = lo/1.2, hi*1.2
	var ticks []plot.Tick
	for _, v := range []float64{0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 10, 20} {
		if v >= p.X.Min && v <= p.X.Max {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
		}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	bars, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{xy, errs})
	if err != nil {
		return nil, err
	}
	bars.Color = plotPalette[0]
	bars.LineStyle.Width = vg.Points(1.5)
	pts, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	pts.Color = plotPalette[0]
	one, err := plotter.NewLine(plotter.XYs{{X: 1, Y: -0.5}, {X: 1, Y: float64(n) - 0.5}})
	if err != nil {
		return nil, err
	}
	one.Color = color.Gray{Y: 120}
	one.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(plotter.NewGrid(), one, bars, pts)
	p.NominalY(names...)
	return p, nil
}
