package journey

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"time"
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

type transitionStat struct {
	count  int
	sketch transSketch
}

// PathAnalyzer analyses paths from a stream of events sorted by customer (ascending byte order
// of Customer; each customer's events in any time order), one customer at a time: its memory
// grows with the distinct paths (at most one per customer), touchpoints and transitions, not
// with events. Create it with NewPathAnalyzer; the zero PathAnalyzer is ready too and uses the
// default PathOptions.
type PathAnalyzer struct {
	opt    PathOptions
	st     stream
	buf    []timed
	events int

	names     []string
	code      map[string]int32
	cache     nameCache
	customers int
	paths     pathCounter
	steps     [][]int            // [step][touchpoint code]
	lengths   []int              // customers whose (capped) path has exactly k steps, k = 0..MaxLength
	trans     [][]transitionStat // [from][to], rows grown as needed; count 0 = never seen
	ends      []int
	flows     [][][]int // [step][from][to], grown as needed
	key       []byte
	seq       []timed
}

// NewPathAnalyzer checks the options and returns an empty analyzer.
func NewPathAnalyzer(opt PathOptions) (*PathAnalyzer, error) {
	opt, err := opt.check()
	if err != nil {
		return nil, err
	}
	a := &PathAnalyzer{}
	a.init(opt)
	return a, nil
}

// init readies an analyzer with checked options.
func (a *PathAnalyzer) init(opt PathOptions) {
	a.opt = opt
	a.code = map[string]int32{}
	a.paths = newPathCounter()
	a.steps = make([][]int, opt.MaxLength)
	a.lengths = make([]int, opt.MaxLength+1)
	a.flows = make([][][]int, opt.MaxLength)
}

// ready gives a zero PathAnalyzer the default options on first use.
func (a *PathAnalyzer) ready() {
	if a.code == nil {
		opt, err := PathOptions{}.check()
		if err != nil {
			panic("journey: default PathOptions rejected: " + err.Error()) // a bug, not data
		}
		a.init(opt)
	}
}

// Add takes the next event. It returns an error for a bad event and for a customer that comes
// after a greater one; the analyzer is unchanged then.
func (a *PathAnalyzer) Add(e Event) error {
	a.ready()
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

// nameCache is a direct-mapped cache of touchpoint codes in front of the code map: a log has
// few touchpoints, so nearly every lookup hits and costs a string comparison (pointer-equal
// when the caller reuses its strings) instead of a map access.
type nameCache [64]struct {
	name string
	code int32
}

// nameSlot picks a cache slot from the length and three bytes of a name.
func nameSlot(s string) int {
	n := len(s)
	if n == 0 {
		return 0
	}
	return int((uint(n)*0x9e + uint(s[0])*3 + uint(s[n/2])*5 + uint(s[n-1])*7) % uint(len(nameCache{})))
}

func (a *PathAnalyzer) push(e Event) {
	slot := &a.cache[nameSlot(e.Touchpoint)]
	if slot.name == e.Touchpoint && e.Touchpoint != "" {
		a.buf = append(a.buf, timed{t: unixNano(e.Time), code: slot.code, seq: int32(len(a.buf))})
		return
	}
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
	slot.name, slot.code = e.Touchpoint, c
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
		a.key = binary.AppendUvarint(a.key, uint64(x.code)+1) // never starts with 0x00
		a.steps[i][x.code]++
		if i+1 < n {
			*grow2(&a.flows[i], x.code, p[i+1].code) += 1
		}
	}
	if len(p) > n {
		a.key = append(a.key, 0) // no varint of a code+1 starts with 0: marks a truncated path
	}
	a.paths.add(a.key)
	a.lengths[n]++
	for i := 1; i < len(p); i++ {
		ts := grow2(&a.trans, p[i-1].code, p[i].code)
		ts.count++
		ts.sketch.add(span(p[i-1].t, p[i].t).Seconds()) // non-negative and finite
	}
	a.ends[p[len(p)-1].code]++
	a.buf = a.buf[:0]
}

// Result returns the analysis of the events added so far, including the customer in progress;
// the analyzer can go on taking events. It returns an error wrapping ErrEmpty when no event
// was added.
func (a *PathAnalyzer) Result() (PathAnalysis, error) {
	a.ready()
	if len(a.buf) > 0 {
		// Count the customer in progress in a copy.
		c := a.clone()
		c.flush()
		return c.result()
	}
	return a.result()
}

// grow2 returns a pointer to m[i][j], growing the rows as needed.
func grow2[T any](m *[][]T, i, j int32) *T {
	if int(i) >= len(*m) {
		*m = append(*m, make([][]T, int(i)+1-len(*m))...)
	}
	row := &(*m)[i]
	if int(j) >= len(*row) {
		*row = append(*row, make([]T, int(j)+1-len(*row))...)
	}
	return &(*row)[j]
}

func (a *PathAnalyzer) clone() *PathAnalyzer {
	c := *a
	c.buf = slices.Clone(a.buf)
	c.paths = a.paths.clone()
	c.steps = make([][]int, len(a.steps))
	for i := range a.steps {
		c.steps[i] = slices.Clone(a.steps[i])
	}
	c.lengths = slices.Clone(a.lengths)
	c.ends = slices.Clone(a.ends)
	c.trans = make([][]transitionStat, len(a.trans))
	for i, row := range a.trans {
		c.trans[i] = make([]transitionStat, len(row))
		for j, v := range row {
			if v.count != 0 {
				c.trans[i][j] = transitionStat{count: v.count, sketch: v.sketch.clone()}
			}
		}
	}
	c.flows = make([][][]int, len(a.flows))
	for k, rows := range a.flows {
		c.flows[k] = make([][]int, len(rows))
		for i, row := range rows {
			c.flows[k][i] = slices.Clone(row)
		}
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

	r.Top = a.topPaths(n)

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

	for from, row := range a.trans {
		for to := range row {
			ts := &row[to]
			if ts.count == 0 {
				continue
			}
			r.Transitions = append(r.Transitions, Transition{From: a.names[from], To: a.names[to], Count: ts.count,
				Median: seconds(ts.sketch.quantile(0.5)), P90: seconds(ts.sketch.quantile(0.9))})
		}
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

	for step, rows := range a.flows {
		for from, row := range rows {
			for to, v := range row {
				if v == 0 {
					continue
				}
				r.Flows = append(r.Flows, Flow{
					From:  strconv.Itoa(step+1) + " " + a.names[from],
					To:    strconv.Itoa(step+2) + " " + a.names[to],
					Value: float64(v), step: step})
			}
		}
	}
	sortFlows(r.Flows)
	return r, nil
}

// comparePathKeys orders two encoded paths by their touchpoint names, a complete path before
// its truncated form, without decoding them into slices.
func (a *PathAnalyzer) comparePathKeys(x, y []byte) int {
	for {
		endX, endY := len(x) == 0 || x[0] == 0, len(y) == 0 || y[0] == 0
		switch {
		case endX && endY: // complete (empty rest) before truncated (0 marker)
			return cmp.Compare(len(x), len(y))
		case endX:
			return -1
		case endY:
			return 1
		}
		cx, wx := uvarint(x)
		cy, wy := uvarint(y)
		if cx != cy {
			return cmp.Compare(a.names[cx-1], a.names[cy-1])
		}
		x, y = x[wx:], y[wy:]
	}
}

// uvarint decodes an unsigned varint at the start of s.
func uvarint(s []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		v |= uint64(s[i]&0x7f) << (7 * i)
		if s[i] < 0x80 {
			return v, i + 1
		}
	}
	return v, len(s)
}

type pathEntry struct {
	key   []byte
	count int
}

// pathCounter counts distinct encoded paths. Keys live in one byte arena (no pointer per path
// for the garbage collector to scan) and are found through an open-addressing table with linear
// probing: each slot holds the high 32 bits of the key's 64-bit hash and the key's index + 1
// (0: empty), so a probe reads one 8-byte word and compares the key itself only when the 32-bit
// tags agree. Keys that share a hash, or a tag, are told apart by that full comparison, so
// counts are exact.
type pathCounter struct {
	seed  maphash.Seed
	slots []uint64 // tag<<32 | index+1; len a power of two
	lo    []uint32 // low 32 bits of each key's hash: its home slot when the table grows
	arena []byte
	off   []int // key i is arena[off[i]:off[i+1]]
	count []int
}

func newPathCounter() pathCounter {
	return pathCounter{seed: maphash.MakeSeed(), slots: make([]uint64, 1024), off: []int{0}}
}

func (p *pathCounter) len() int { return len(p.count) }

func (p *pathCounter) key(i int) []byte { return p.arena[p.off[i]:p.off[i+1]:p.off[i+1]] }

func (p *pathCounter) add(k []byte) { p.addHash(k, maphash.Bytes(p.seed, k)) }

// addHash counts k, whose hash is h.
func (p *pathCounter) addHash(k []byte, h uint64) {
	tag := h >> 32
	mask := uint64(len(p.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := p.slots[i]
		if s == 0 {
			if 4*(len(p.count)+1) > 3*len(p.slots) {
				p.grow()
				p.place(h, tag, p.push(k, h))
				return
			}
			p.slots[i] = tag<<32 | uint64(p.push(k, h)+1)
			return
		}
		if s>>32 == tag {
			j := int(uint32(s)) - 1
			if bytes.Equal(p.key(j), k) {
				p.count[j]++
				return
			}
		}
	}
}

// place puts key index j, of hash h and tag h>>32, into the first free slot from its home.
func (p *pathCounter) place(h, tag uint64, j int32) {
	mask := uint64(len(p.slots) - 1)
	i := h & mask
	for p.slots[i] != 0 {
		i = (i + 1) & mask
	}
	p.slots[i] = tag<<32 | uint64(j+1)
}

// grow doubles the table and places every key again.
func (p *pathCounter) grow() {
	old := p.slots
	p.slots = make([]uint64, 2*len(old))
	for _, s := range old {
		if s != 0 {
			j := int32(uint32(s)) - 1
			p.place(s&^(1<<32-1)|uint64(p.lo[j]), s>>32, j)
		}
	}
}

func (p *pathCounter) push(k []byte, h uint64) int32 {
	p.arena = append(p.arena, k...)
	p.off = append(p.off, len(p.arena))
	p.count = append(p.count, 1)
	p.lo = append(p.lo, uint32(h))
	return int32(len(p.count) - 1)
}

func (p *pathCounter) clone() pathCounter {
	c := *p
	c.slots, c.lo = slices.Clone(p.slots), slices.Clone(p.lo)
	c.arena, c.off, c.count = slices.Clone(p.arena), slices.Clone(p.off), slices.Clone(p.count)
	return c
}

// topPaths returns the opt.Top most frequent paths (all for a negative Top), most frequent
// first, ties by path. It keeps a bounded selection so that a million distinct paths cost one
// pass, and decodes only the paths it returns.
func (a *PathAnalyzer) topPaths(n float64) []PathCount {
	less := func(x, y pathEntry) int { // −1 when x ranks before y
		if c := cmp.Compare(y.count, x.count); c != 0 {
			return c
		}
		return a.comparePathKeys(x.key, y.key)
	}
	var sel []pathEntry
	if a.opt.Top < 0 || a.paths.len() <= a.opt.Top {
		sel = make([]pathEntry, 0, a.paths.len())
		for i := range a.paths.len() {
			sel = append(sel, pathEntry{a.paths.key(i), a.paths.count[i]})
		}
		slices.SortFunc(sel, less)
	} else {
		// sel stays sorted, at most Top long; a new entry enters only if it beats the last.
		sel = make([]pathEntry, 0, a.opt.Top+1)
		for i := range a.paths.len() {
			e := pathEntry{a.paths.key(i), a.paths.count[i]}
			if len(sel) == a.opt.Top && less(e, sel[len(sel)-1]) >= 0 {
				continue
			}
			i, _ := slices.BinarySearchFunc(sel, e, less)
			sel = slices.Insert(sel, i, e)
			if len(sel) > a.opt.Top {
				sel = sel[:a.opt.Top]
			}
		}
	}
	out := make([]PathCount, len(sel))
	for i, e := range sel {
		pc := PathCount{Customers: e.count, Share: float64(e.count) / n}
		b := e.key
		for len(b) > 0 {
			if b[0] == 0 {
				pc.Truncated = true
				break
			}
			c, w := binary.Uvarint(b)
			pc.Touchpoints = append(pc.Touchpoints, a.names[c-1])
			b = b[w:]
		}
		out[i] = pc
	}
	return out
}

func seconds(s float64) time.Duration {
	d := s * 1e9
	if d >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(math.Round(d))
}
