package journey

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/DataDog/sketches-go/ddsketch"
)

// PathOptions configure AnalyzePaths and PathAnalyzer. The zero value keeps the first 10 steps
// of each path and the 20 most frequent paths.
type PathOptions struct {
	// MaxLength caps the steps of a path that the frequent paths, the step matrix and the
	// flows look at (a longer path counts by its first MaxLength touchpoints, marked
	// Truncated); zero means 10. Transitions and path ends always use the whole path.
	MaxLength int
	// Top is how many of the most frequent paths to keep; zero means 20, negative means all.
	Top int
	// CollapseRepeats treats consecutive events at the same touchpoint as one step (a page
	// reloaded, an e-mail opened twice).
	CollapseRepeats bool
}

func (o PathOptions) check() (PathOptions, error) {
	if o.MaxLength < 0 {
		return o, fmt.Errorf("journey: path MaxLength %d is negative: %w", o.MaxLength, ErrOutOfRange)
	}
	if o.MaxLength == 0 {
		o.MaxLength = 10
	}
	if o.MaxLength > math.MaxInt16 {
		return o, fmt.Errorf("journey: path MaxLength %d exceeds %d: %w", o.MaxLength, math.MaxInt16, ErrOutOfRange)
	}
	if o.Top == 0 {
		o.Top = 20
	}
	return o, nil
}

// PathCount is one of the most frequent paths.
type PathCount struct {
	Touchpoints []string `json:"touchpoints"`
	// Truncated marks the paths longer than MaxLength that begin with Touchpoints.
	Truncated bool    `json:"truncated"`
	Customers int     `json:"customers"`
	Share     float64 `json:"share"` // of all customers
}

// StepMatrix is the share of customers' paths at each touchpoint at each step (columns are
// steps 1..MaxLength): Share[i][k] is the share of all paths whose step k+1 is Touchpoints[i],
// and Ended[k] the share of paths that ended before step k+1 (the path-end row). Each column
// sums to 1 over Share and Ended.
type StepMatrix struct {
	Touchpoints []string    `json:"touchpoints"` // rows, in ascending order
	Share       [][]float64 `json:"share"`       // [row][step−1]
	Ended       []float64   `json:"ended"`       // [step−1]
}

// Transition counts the moves from one touchpoint to the next within customers' paths, with
// the median and 90th percentile of the time between the two events. The quantiles come from
// a DDSketch (github.com/DataDog/sketches-go) with 1% relative accuracy, so that memory grows
// with the number of distinct transitions, not with events: quantile q is, within 1%, the
// order statistic of rank ⌊q·(n−1)⌋ (0-based) of the n times.
type Transition struct {
	From   string        `json:"from"`
	To     string        `json:"to"`
	Count  int           `json:"count"`
	Median time.Duration `json:"median"`
	P90    time.Duration `json:"p90"`
}

// PathEnd counts the customers whose path ends at a touchpoint.
type PathEnd struct {
	Touchpoint string  `json:"touchpoint"`
	Customers  int     `json:"customers"`
	Share      float64 `json:"share"`
}

// PathAnalysis is the outcome of AnalyzePaths.
type PathAnalysis struct {
	Customers   int          `json:"customers"`
	Events      int          `json:"events"`
	MaxLength   int          `json:"max_length"`
	Top         []PathCount  `json:"top"`         // most frequent first; ties by path
	StepMatrix  StepMatrix   `json:"step_matrix"` //
	Transitions []Transition `json:"transitions"` // most frequent first; ties by From, To
	Ends        []PathEnd    `json:"ends"`        // most frequent first; ties by touchpoint
	// Flows are the customers moving from the touchpoint at step k to the one at step k+1
	// (k < MaxLength), with nodes keyed by step ("1 Email" → "2 Web"): the input of
	// MermaidSankey.
	Flows []Flow `json:"flows"`
}

// AnalyzePaths summarises customers' paths through the touchpoints: the most frequent paths,
// the step matrix, the transitions and where paths end. A customer's path is their events in
// time order (ties in input order). events may come in any order; for a log too big to hold,
// feed a PathAnalyzer with events sorted by customer.
func AnalyzePaths(events []Event, opt PathOptions) (PathAnalysis, error) {
	a, err := NewPathAnalyzer(opt)
	if err != nil {
		return PathAnalysis{}, err
	}
	for i, e := range events {
		if err := checkEvent(e, i); err != nil {
			return PathAnalysis{}, err
		}
	}
	err = byCustomer(events, func(_ string, idx []int32) error {
		for _, i := range idx {
			a.push(events[i])
		}
		a.flush()
		return nil
	})
	if err != nil {
		return PathAnalysis{}, err
	}
	a.events = len(events)
	return a.Result()
}

type flowKey struct {
	step     int16
	from, to int32
}

type transitionStat struct {
	count  int
	sketch *ddsketch.DDSketch
}

// PathAnalyzer analyses paths from a stream of events sorted by customer (ascending byte order
// of Customer; each customer's events in any time order), one customer at a time: its memory
// grows with the distinct paths (at most one per customer), touchpoints and transitions, not
// with events. Create it with NewPathAnalyzer.
type PathAnalyzer struct {
	opt    PathOptions
	st     stream
	buf    []timed
	events int

	names     []string
	code      map[string]int32
	customers int
	paths     map[string]int
	steps     [][]int // [step][touchpoint code]
	lengths   []int   // customers whose (capped) path has exactly k steps, k = 0..MaxLength
	trans     map[[2]int32]*transitionStat
	ends      []int
	flows     map[flowKey]int
	key       []byte
	seq       []timed
}

// NewPathAnalyzer checks the options and returns an empty analyzer.
func NewPathAnalyzer(opt PathOptions) (*PathAnalyzer, error) {
	opt, err := opt.check()
	if err != nil {
		return nil, err
	}
	return &PathAnalyzer{
		opt:     opt,
		code:    map[string]int32{},
		paths:   map[string]int{},
		steps:   make([][]int, opt.MaxLength),
		lengths: make([]int, opt.MaxLength+1),
		trans:   map[[2]int32]*transitionStat{},
		flows:   map[flowKey]int{},
	}, nil
}

// Add takes the next event. It returns an error for a bad event and for a customer that comes
// after a greater one; the analyzer is unchanged then.
func (a *PathAnalyzer) Add(e Event) error {
	newCustomer, err := a.st.next(e)
	if err != nil {
		return err
	}
	if newCustomer {
		a.flush()
	}
	a.events++
	a.push(e)
	return nil
}

func (a *PathAnalyzer) push(e Event) {
	c, ok := a.code[e.Touchpoint]
	if !ok {
		c = int32(len(a.names))
		a.code[e.Touchpoint] = c
		a.names = append(a.names, e.Touchpoint)
		a.ends = append(a.ends, 0)
		for k := range a.steps {
			a.steps[k] = append(a.steps[k], 0)
		}
	}
	a.buf = append(a.buf, timed{t: unixNano(e.Time), code: c, seq: int32(len(a.buf))})
}

func (a *PathAnalyzer) flush() {
	if len(a.buf) == 0 {
		return
	}
	sortTimed(a.buf)
	p := a.buf
	if a.opt.CollapseRepeats {
		a.seq = a.seq[:0]
		for i, x := range p {
			if i == 0 || x.code != p[i-1].code {
				a.seq = append(a.seq, x)
			}
		}
		p = a.seq
	}
	a.customers++
	n := min(len(p), a.opt.MaxLength)
	a.key = a.key[:0]
	for i, x := range p[:n] {
		a.key = binary.AppendUvarint(a.key, uint64(x.code))
		a.steps[i][x.code]++
		if i+1 < n {
			a.flows[flowKey{int16(i), x.code, p[i+1].code}]++
		}
	}
	if len(p) > n {
		a.key = append(a.key, 0xff) // not a varint's last byte: marks a truncated path
	}
	a.paths[string(a.key)]++
	a.lengths[n]++
	for i := 1; i < len(p); i++ {
		k := [2]int32{p[i-1].code, p[i].code}
		ts := a.trans[k]
		if ts == nil {
			s, _ := ddsketch.NewDefaultDDSketch(0.01) // cannot fail for 0.01
			ts = &transitionStat{sketch: s}
			a.trans[k] = ts
		}
		ts.count++
		_ = ts.sketch.Add(span(p[i-1].t, p[i].t).Seconds()) // non-negative and finite: no error
	}
	a.ends[p[len(p)-1].code]++
	a.buf = a.buf[:0]
}

// Result returns the analysis of the events added so far, including the customer in progress;
// the analyzer can go on taking events. It returns an error wrapping ErrEmpty when no event
// was added.
func (a *PathAnalyzer) Result() (PathAnalysis, error) {
	if len(a.buf) > 0 {
		// Count the customer in progress in a copy.
		c := a.clone()
		c.flush()
		return c.result()
	}
	return a.result()
}

func (a *PathAnalyzer) clone() *PathAnalyzer {
	c := *a
	c.buf = slices.Clone(a.buf)
	c.paths = make(map[string]int, len(a.paths))
	for k, v := range a.paths {
		c.paths[k] = v
	}
	c.steps = make([][]int, len(a.steps))
	for i := range a.steps {
		c.steps[i] = slices.Clone(a.steps[i])
	}
	c.lengths = slices.Clone(a.lengths)
	c.ends = slices.Clone(a.ends)
	c.trans = make(map[[2]int32]*transitionStat, len(a.trans))
	for k, v := range a.trans {
		c.trans[k] = &transitionStat{count: v.count, sketch: v.sketch.Copy()}
	}
	c.flows = make(map[flowKey]int, len(a.flows))
	for k, v := range a.flows {
		c.flows[k] = v
	}
	c.key, c.seq = nil, nil
	return &c
}

func (a *PathAnalyzer) result() (PathAnalysis, error) {
	if a.customers == 0 {
		return PathAnalysis{}, fmt.Errorf("journey: no events to analyse paths from: %w", ErrEmpty)
	}
	n := float64(a.customers)
	r := PathAnalysis{Customers: a.customers, Events: a.events, MaxLength: a.opt.MaxLength}

	for k, v := range a.paths {
		pc := PathCount{Customers: v, Share: float64(v) / n}
		b := []byte(k)
		for len(b) > 0 {
			if b[0] == 0xff {
				pc.Truncated = true
				break
			}
			c, w := binary.Uvarint(b)
			pc.Touchpoints = append(pc.Touchpoints, a.names[c])
			b = b[w:]
		}
		r.Top = append(r.Top, pc)
	}
	slices.SortFunc(r.Top, func(x, y PathCount) int {
		if c := cmp.Compare(y.Customers, x.Customers); c != 0 {
			return c
		}
		if c := slices.Compare(x.Touchpoints, y.Touchpoints); c != 0 {
			return c
		}
		switch {
		case x.Truncated == y.Truncated:
			return 0
		case y.Truncated:
			return -1
		}
		return 1
	})
	if a.opt.Top > 0 && len(r.Top) > a.opt.Top {
		r.Top = r.Top[:a.opt.Top]
	}

	order := make([]int32, len(a.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return cmp.Compare(a.names[x], a.names[y]) })
	m := StepMatrix{Ended: make([]float64, a.opt.MaxLength)}
	for _, c := range order {
		m.Touchpoints = append(m.Touchpoints, a.names[c])
		row := make([]float64, a.opt.MaxLength)
		for k := range row {
			row[k] = float64(a.steps[k][c]) / n
		}
		m.Share = append(m.Share, row)
	}
	ended := 0
	for k := range m.Ended {
		ended += a.lengths[k] // paths of length k have ended before step k+1
		m.Ended[k] = float64(ended) / n
	}
	r.StepMatrix = m

	for k, ts := range a.trans {
		q, _ := ts.sketch.GetValuesAtQuantiles([]float64{0.5, 0.9}) // non-empty: no error
		r.Transitions = append(r.Transitions, Transition{From: a.names[k[0]], To: a.names[k[1]], Count: ts.count,
			Median: seconds(q[0]), P90: seconds(q[1])})
	}
	slices.SortFunc(r.Transitions, func(x, y Transition) int {
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(x.From, y.From); c != 0 {
			return c
		}
		return cmp.Compare(x.To, y.To)
	})

	for c, v := range a.ends {
		if v > 0 {
			r.Ends = append(r.Ends, PathEnd{Touchpoint: a.names[c], Customers: v, Share: float64(v) / n})
		}
	}
	slices.SortFunc(r.Ends, func(x, y PathEnd) int {
		if c := cmp.Compare(y.Customers, x.Customers); c != 0 {
			return c
		}
		return cmp.Compare(x.Touchpoint, y.Touchpoint)
	})

	for k, v := range a.flows {
		r.Flows = append(r.Flows, Flow{
			From:  strconv.Itoa(int(k.step)+1) + " " + a.names[k.from],
			To:    strconv.Itoa(int(k.step)+2) + " " + a.names[k.to],
			Value: float64(v), step: int(k.step)})
	}
	sortFlows(r.Flows)
	return r, nil
}

func seconds(s float64) time.Duration {
	d := s * 1e9
	if d >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(math.Round(d))
}
