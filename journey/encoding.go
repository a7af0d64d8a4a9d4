package journey

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/internal/wire"
	"github.com/cxkit/cxkit/nps"
	"github.com/cxkit/cxkit/responsetime"
)

const (
	accTag     = "JRNY"
	accVersion = 1
)

// state is the encoded form of an Accumulator, shared by the binary and JSON encodings.
type state struct {
	Map       Map         `json:"map"`
	Options   Options     `json:"options"`
	Counts    [4]int      `json:"counts"` // feedback, contacts, visits, outcomes
	Latest    int64       `json:"latest"` // Unix ns
	Cells     []cellState `json:"cells"`  // touchpoint-major, personas + "none" per touchpoint
	Customers []custState `json:"customers"`
	Rejects   []Reject    `json:"rejects,omitempty"`
}

type cellState struct {
	NPS    *nps.Tally            `json:"nps"`
	CSAT   *csat.Tally           `json:"csat"`
	CES    *ces.Tally            `json:"ces"`
	RT     *responsetime.Tracker `json:"contacts"`
	Visits int                   `json:"visits"`
}

type custState struct {
	ID        string      `json:"id"`
	First     int64       `json:"first"`
	Last      int64       `json:"last"`
	Converted int64       `json:"converted,omitempty"`
	Churned   int64       `json:"churned,omitempty"`
	YSum      float64     `json:"y_sum"`
	YN        float64     `json:"y_n"`
	Links     []linkState `json:"links"`
}

type linkState struct {
	TP      int32   `json:"tp"`
	Persona int32   `json:"persona"`
	XSum    float64 `json:"x_sum"`
	XN      float64 `json:"x_n"`
	Bad     bool    `json:"bad,omitempty"`
	Rated   bool    `json:"rated,omitempty"`
}

func (a *Accumulator) state() state {
	s := state{Map: a.m, Options: a.opt, Counts: a.counts, Latest: a.latest, Rejects: a.rejects}
	s.Cells = make([]cellState, len(a.cells))
	for i := range a.cells {
		c := &a.cells[i]
		s.Cells[i] = cellState{NPS: &c.nps, CSAT: &c.csat, CES: &c.ces, RT: &c.rt, Visits: c.visits}
	}
	s.Customers = make([]custState, len(a.custs))
	for i := range a.custs {
		c := &a.custs[i]
		cs := custState{ID: c.id, First: c.first, Last: c.last, Converted: c.converted, Churned: c.churned, YSum: c.ySum, YN: c.yN}
		// Links in creation order (the list is newest first).
		cs.Links = make([]linkState, c.nlinks)
		k := int(c.nlinks)
		for j := c.head; j >= 0; j = a.links.at(j).next {
			k--
			l := a.links.at(j)
			cs.Links[k] = linkState{TP: l.tp, Persona: l.persona, XSum: l.xSum, XN: l.xN, Bad: l.bad, Rated: l.rated}
		}
		s.Customers[i] = cs
	}
	return s
}

// restore rebuilds an accumulator from a decoded state, checking its consistency.
func restore(s state) (*Accumulator, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("journey.Accumulator: "+format+": %w", append(args, ErrInvalid)...)
	}
	if err := s.Map.Validate(); err != nil {
		return nil, bad("map: %v", err)
	}
	o, err := s.Options.resolved()
	if err != nil {
		return nil, bad("options: %v", err)
	}
	if want := len(s.Map.Touchpoints) * (len(s.Map.Personas) + 1); len(s.Cells) != want {
		return nil, bad("%d cells, the map needs %d", len(s.Cells), want)
	}
	a := &Accumulator{}
	a.init(s.Map, o)
	var tot [4]int
	for i, c := range s.Cells {
		if c.NPS == nil || c.CSAT == nil || c.CES == nil || c.RT == nil || c.Visits < 0 {
			return nil, bad("cell %d is incomplete or negative", i)
		}
		d := &a.cells[i]
		d.nps = *c.NPS
		if c.CSAT.Responses() > 0 && c.CSAT.Scale() != o.CSATScale || c.CES.Responses() > 0 && c.CES.Scale() != o.CESScale {
			return nil, bad("cell %d has a tally on another scale", i)
		}
		if err := d.csat.Merge(c.CSAT); err != nil {
			return nil, bad("cell %d: %v", i, err)
		}
		if err := d.ces.Merge(c.CES); err != nil {
			return nil, bad("cell %d: %v", i, err)
		}
		if err := d.rt.Merge(c.RT); err != nil {
			return nil, bad("cell %d: %v", i, err)
		}
		d.visits = c.Visits
		tot[kFeedback] += d.nps.Responses() + d.csat.Responses() + d.ces.Responses()
		if s, err := d.rt.Result(); err == nil {
			tot[kContact] += s.Queries
		}
		tot[kVisit] += c.Visits
	}
	for k := 0; k < 3; k++ {
		if tot[k] != s.Counts[k] {
			return nil, bad("%d %s counted, the cells hold %d", s.Counts[k], kindNames[k], tot[k])
		}
	}
	if s.Counts[kOutcome] < 0 {
		return nil, bad("negative outcome count")
	}
	a.counts = s.Counts
	latest := int64(0)
	for i, c := range s.Customers {
		if c.ID == "" {
			return nil, bad("customer %d has an empty ID", i)
		}
		if _, dup := a.custIdx[c.ID]; dup {
			return nil, bad("customer %q appears twice", c.ID)
		}
		if c.First == 0 || c.Last < c.First || c.Converted < 0 || c.Churned < 0 {
			return nil, bad("customer %q has impossible times", c.ID)
		}
		if !finiteNonNeg(c.YSum) || !finiteNonNeg(c.YN) || c.YSum > 10*c.YN {
			return nil, bad("customer %q has an impossible NPS sum", c.ID)
		}
		a.custIdx[c.ID] = int32(len(a.custs))
		a.custs = append(a.custs, customer{id: c.ID, first: c.First, last: c.Last, converted: c.Converted, churned: c.Churned,
			ySum: c.YSum, yN: c.YN, head: -1})
		cu := &a.custs[len(a.custs)-1]
		for _, l := range c.Links {
			if l.TP < 0 || int(l.TP) >= a.nT || l.Persona < 0 || int(l.Persona) >= a.nP {
				return nil, bad("customer %q links to cell (%d, %d) outside the map", c.ID, l.TP, l.Persona)
			}
			if !finiteNonNeg(l.XSum) || !finiteNonNeg(l.XN) || l.XSum > l.XN {
				return nil, bad("customer %q has an impossible experience sum", c.ID)
			}
			for j := cu.head; j >= 0; j = a.links.at(j).next {
				if a.links.at(j).tp == l.TP && a.links.at(j).persona == l.Persona {
					return nil, bad("customer %q links to cell (%d, %d) twice", c.ID, l.TP, l.Persona)
				}
			}
			nl := a.link(cu, l.TP, l.Persona)
			nl.xSum, nl.xN, nl.bad, nl.rated = l.XSum, l.XN, l.Bad, l.Rated
		}
		latest = max(latest, c.Last)
	}
	if latest != s.Latest {
		return nil, bad("latest time %d is not the customers' latest %d", s.Latest, latest)
	}
	a.latest = s.Latest
	for i, r := range s.Rejects {
		if r.Reason == "" || r.Count < 1 {
			return nil, bad("reject %d is empty", i)
		}
	}
	if len(s.Rejects) > 0 && !o.SkipInvalid {
		return nil, bad("rejects without SkipInvalid")
	}
	a.rejects = s.Rejects
	return a, nil
}

func finiteNonNeg(x float64) bool { return x >= 0 && !math.IsInf(x, 1) }

// MarshalBinary encodes the accumulator: a 5-byte header (tag "JRNY", version 1), the map
// and options as JSON, every cell's tallies in their own binary encodings, the customers and
// the rejects, checksummed with a CRC-32 by internal/wire. The Calendar is not encoded.
func (a *Accumulator) MarshalBinary() ([]byte, error) {
	if !a.hasMap {
		return nil, errNoMap
	}
	s := a.state()
	w := wire.NewWriter(accTag, accVersion, 64*len(s.Cells)+64*len(s.Customers))
	mj, err := json.Marshal(struct {
		Map     Map      `json:"map"`
		Options Options  `json:"options"`
		Rejects []Reject `json:"rejects"`
	}{s.Map, s.Options, s.Rejects})
	if err != nil {
		return nil, err
	}
	w.Bytes(mj)
	for _, c := range s.Counts {
		w.Uint64(uint64(c))
	}
	w.Uint64(uint64(s.Latest))
	for _, c := range s.Cells {
		for _, m := range []interface{ MarshalBinary() ([]byte, error) }{c.NPS, c.CSAT, c.CES, c.RT} {
			b, err := m.MarshalBinary()
			if err != nil {
				return nil, err
			}
			w.Bytes(b)
		}
		w.Uint64(uint64(c.Visits))
	}
	w.Uint64(uint64(len(s.Customers)))
	for _, c := range s.Customers {
		w.Bytes([]byte(c.ID))
		w.Uint64(uint64(c.First))
		w.Uint64(uint64(c.Last))
		w.Uint64(uint64(c.Converted))
		w.Uint64(uint64(c.Churned))
		w.Float64(c.YSum)
		w.Float64(c.YN)
		w.Uint64(uint64(len(c.Links)))
		for _, l := range c.Links {
			w.Uint64(uint64(l.TP)<<32 | uint64(uint32(l.Persona)))
			w.Float64(l.XSum)
			w.Float64(l.XN)
			f := uint64(0)
			if l.Bad {
				f |= 1
			}
			if l.Rated {
				f |= 2
			}
			w.Uint64(f)
		}
	}
	return w.B, nil
}

// UnmarshalBinary replaces a with an accumulator encoded by MarshalBinary. Bytes of another
// type or version, a checksum mismatch, truncated bytes and impossible contents are errors
// wrapping ErrInvalid; a is then unchanged. The Calendar is kept from a.
func (a *Accumulator) UnmarshalBinary(data []byte) error {
	body := data
	r := wire.NewReader(body, accTag, accVersion, "journey.Accumulator")
	var s state
	var hdr struct {
		Map     Map      `json:"map"`
		Options Options  `json:"options"`
		Rejects []Reject `json:"rejects"`
	}
	if err := json.Unmarshal(r.Bytes(), &hdr); err != nil {
		if e := r.Done(); e != nil {
			return e
		}
		return fmt.Errorf("journey.Accumulator: header: %v: %w", err, ErrInvalid)
	}
	s.Map, s.Options, s.Rejects = hdr.Map, hdr.Options, hdr.Rejects
	for k := range s.Counts {
		s.Counts[k] = int(r.Uint64())
	}
	s.Latest = int64(r.Uint64())
	nCells := len(hdr.Map.Touchpoints) * (len(hdr.Map.Personas) + 1)
	if nCells > len(body) {
		return fmt.Errorf("journey.Accumulator: %d cells in %d bytes: %w", nCells, len(body), ErrInvalid)
	}
	for i := 0; i < nCells; i++ {
		c := cellState{NPS: &nps.Tally{}, CSAT: &csat.Tally{}, CES: &ces.Tally{}, RT: &responsetime.Tracker{}}
		for _, u := range []interface{ UnmarshalBinary([]byte) error }{c.NPS, c.CSAT, c.CES, c.RT} {
			b := r.Bytes()
			if err := u.UnmarshalBinary(b); err != nil {
				return fmt.Errorf("journey.Accumulator: cell %d: %w", i, err)
			}
		}
		c.Visits = int(r.Uint64())
		s.Cells = append(s.Cells, c)
	}
	n := r.Uint64()
	if n > uint64(len(body)) {
		return fmt.Errorf("journey.Accumulator: %d customers in %d bytes: %w", n, len(body), ErrInvalid)
	}
	for i := uint64(0); i < n; i++ {
		c := custState{ID: string(r.Bytes())}
		c.First, c.Last, c.Converted, c.Churned = int64(r.Uint64()), int64(r.Uint64()), int64(r.Uint64()), int64(r.Uint64())
		c.YSum, c.YN = r.Float64(), r.Float64()
		nl := r.Uint64()
		if nl > uint64(len(body)) {
			return fmt.Errorf("journey.Accumulator: %d links in %d bytes: %w", nl, len(body), ErrInvalid)
		}
		for j := uint64(0); j < nl; j++ {
			tp := r.Uint64()
			l := linkState{TP: int32(tp >> 32), Persona: int32(uint32(tp)), XSum: r.Float64(), XN: r.Float64()}
			f := r.Uint64()
			if f > 3 || tp>>32 > math.MaxInt32 || uint32(tp) > math.MaxInt32 {
				return fmt.Errorf("journey.Accumulator: bad link flags: %w", ErrInvalid)
			}
			l.Bad, l.Rated = f&1 != 0, f&2 != 0
			c.Links = append(c.Links, l)
		}
		s.Customers = append(s.Customers, c)
	}
	if err := r.Done(); err != nil {
		return err
	}
	for k := range s.Counts {
		if s.Counts[k] < 0 {
			return fmt.Errorf("journey.Accumulator: negative count: %w", ErrInvalid)
		}
	}
	b, err := restore(s)
	if err != nil {
		return err
	}
	a.adopt(b)
	return nil
}

// adopt replaces a with b, keeping a's Calendar if b has none.
func (a *Accumulator) adopt(b *Accumulator) {
	cal := a.opt.Calendar
	*a = *b
	if cal != nil && a.opt.Calendar == nil {
		a.opt.Calendar = cal
		for i := range a.cells {
			a.cells[i].rt.Calendar = cal
		}
	}
}

// MarshalJSON encodes the accumulator's full state as JSON (the map, options, every cell's
// tallies in their JSON forms, the customers and the rejects).
func (a *Accumulator) MarshalJSON() ([]byte, error) {
	if !a.hasMap {
		return nil, errNoMap
	}
	return json.Marshal(a.state())
}

// UnmarshalJSON decodes the form written by MarshalJSON; malformed or impossible contents are
// errors wrapping ErrInvalid and leave a unchanged.
func (a *Accumulator) UnmarshalJSON(data []byte) error {
	var s state
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("journey.Accumulator: %v: %w", err, ErrInvalid)
	}
	b, err := restore(s)
	if err != nil {
		return err
	}
	a.adopt(b)
	return nil
}
