package journey

import (
	"bytes"
	"fmt"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// FunnelChart draws a funnel as an SVG bar chart (gonum.org/v1/plot): one bar per step with
// the customers who reached it, labelled with the step's touchpoint and its conversion from
// step 1. width and height are in points; zero means 16 × 9 cm.
func FunnelChart(r FunnelResult, width, height vg.Length) ([]byte, error) {
	if len(r.Steps) == 0 {
		return nil, fmt.Errorf("journey: a funnel chart needs a funnel with steps: %w", ErrEmpty)
	}
	if width < 0 || height < 0 {
		return nil, fmt.Errorf("journey: chart size %v × %v is negative: %w", width, height, ErrOutOfRange)
	}
	if width == 0 {
		width = 16 * vg.Centimeter
	}
	if height == 0 {
		height = 9 * vg.Centimeter
	}
	p := plot.New()
	p.Title.Text = "Funnel (" + r.Order.String() + ")"
	p.Y.Label.Text = "customers"
	p.Y.Min = 0
	values := make(plotter.Values, len(r.Steps))
	names := make([]string, len(r.Steps))
	for i, s := range r.Steps {
		values[i] = float64(s.Customers)
		names[i] = strconv.Itoa(i+1) + " " + s.Touchpoint + " (" + strconv.FormatFloat(100*s.FromStart, 'f', 1, 64) + "%)"
	}
	bars, err := plotter.NewBarChart(values, vg.Points(float64(width)/float64(2*len(r.Steps)+1)))
	if err != nil {
		return nil, fmt.Errorf("journey: funnel chart: %w", err)
	}
	bars.LineStyle.Width = 0
	bars.Color = plotter.DefaultLineStyle.Color
	p.Add(bars)
	p.NominalX(names...)
	w, err := p.WriterTo(width, height, "svg")
	if err != nil {
		return nil, fmt.Errorf("journey: funnel chart: %w", err)
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("journey: funnel chart: %w", err)
	}
	return b.Bytes(), nil
}
