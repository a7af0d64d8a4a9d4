package journey

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Chart sizes.
const (
	chartWidth  = 8 * vg.Inch
	chartHeight = 4 * vg.Inch
)

// svg writes p as SVG.
func svg(p *plot.Plot, w io.Writer) error {
	wt, err := p.WriterTo(chartWidth, chartHeight, "svg")
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// ticks labels the integer positions 0..n−1.
type ticks []string

func (t ticks) Ticks(min, max float64) []plot.Tick {
	out := make([]plot.Tick, len(t))
	for i, s := range t {
		out[i] = plot.Tick{Value: float64(i), Label: s}
	}
	return out
}

// errPoints is plotter data with error bars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

// EmotionSVG draws the emotion curve as SVG (gonum.org/v1/plot): each touchpoint with
// feedback, in journey order, at its 0..100 experience value, with its interval as an error
// bar. A report without feedback at any touchpoint is an error wrapping ErrEmpty.
func (r Report) EmotionSVG(w io.Writer) error {
	var pts errPoints
	var labels ticks
	for _, e := range r.Emotion {
		if !e.HasData {
			continue
		}
		x := float64(len(pts.XYs))
		pts.XYs = append(pts.XYs, plotter.XY{X: x, Y: e.Value})
		pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{e.Value - e.Interval.Lower, e.Interval.Upper - e.Value})
		labels = append(labels, e.Label)
	}
	if len(pts.XYs) == 0 {
		return fmt.Errorf("journey: no touchpoint has feedback to draw: %w", ErrEmpty)
	}
	p := plot.New()
	p.Title.Text = "Emotion curve: " + r.Map
	p.Y.Label.Text = fmt.Sprintf("experience (0-100), %.0f%% interval", 100*r.Confidence)
	p.Y.Min, p.Y.Max = 0, 100
	p.X.Tick.Marker = labels
	p.X.Tick.Label.Rotation = 0.5
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	line, points, err := plotter.NewLinePoints(pts.XYs)
	if err != nil {
		return err
	}
	bars, err := plotter.NewYErrorBars(pts)
	if err != nil {
		return err
	}
	p.Add(plotter.NewGrid(), line, points, bars)
	p.X.Min, p.X.Max = -0.5, float64(len(pts.XYs))-0.5
	return svg(p, w)
}

// PainPointsSVG draws the pain points as horizontal bars of their impact (points of the
// journey's score), highest first. No pain point is an error wrapping ErrEmpty.
func (r Report) PainPointsSVG(w io.Writer) error {
	if len(r.PainPoints) == 0 {
		return fmt.Errorf("journey: no pain points to draw: %w", ErrEmpty)
	}
	n := len(r.PainPoints)
	vals := make(plotter.Values, n)
	labels := make(ticks, n)
	for i, pp := range r.PainPoints {
		// Highest impact at the top: the last bar is drawn highest.
		vals[n-1-i] = pp.Impact
		labels[n-1-i] = fmt.Sprintf("%s (%v)", pp.Label, pp.Metric)
	}
	p := plot.New()
	p.Title.Text = "Pain points by impact"
	p.X.Label.Text = "impact: points the journey's score would gain"
	bars, err := plotter.NewBarChart(vals, vg.Points(14))
	if err != nil {
		return err
	}
	bars.Horizontal = true
	bars.Color = color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
	bars.LineStyle.Width = 0
	p.Add(plotter.NewGrid(), bars)
	p.Y.Tick.Marker = labels
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Min = 0
	return svg(p, w)
}

// ImportanceSVG draws the importance–performance grid (Martilla & James 1977): each
// key-driver touchpoint at (importance = LMG share, performance = experience 0..100), labelled,
// with the cross-hairs at the means that divide the quadrants. A report without key drivers
// is an error wrapping ErrEmpty.
func (r Report) ImportanceSVG(w io.Writer) error {
	if len(r.Importance) == 0 {
		return fmt.Errorf("journey: no key drivers to draw: %w", ErrEmpty)
	}
	xy := make(plotter.XYs, len(r.Importance))
	lab := make([]string, len(r.Importance))
	var mx, my float64
	for i, pt := range r.Importance {
		xy[i] = plotter.XY{X: pt.Importance, Y: pt.Performance}
		lab[i] = pt.Label
		mx += pt.Importance
		my += pt.Performance
	}
	mx /= float64(len(xy))
	my /= float64(len(xy))
	p := plot.New()
	p.Title.Text = "Importance–performance grid"
	p.X.Label.Text = "importance (LMG share of R²)"
	p.Y.Label.Text = "performance (experience 0-100)"
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: lab})
	if err != nil {
		return err
	}
	minX, maxX, minY, maxY := plotter.XYRange(xy)
	vx, err := plotter.NewLine(plotter.XYs{{X: mx, Y: min(minY, my) - 5}, {X: mx, Y: max(maxY, my) + 5}})
	if err != nil {
		return err
	}
	hy, err := plotter.NewLine(plotter.XYs{{X: min(minX, mx) * 0.9, Y: my}, {X: max(maxX, mx) * 1.1, Y: my}})
	if err != nil {
		return err
	}
	vx.Dashes, hy.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}, []vg.Length{vg.Points(4), vg.Points(4)}
	p.Add(plotter.NewGrid(), vx, hy, sc, labels)
	return svg(p, w)
}
