package journey

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Event is one touch of one customer at one touchpoint: a page view, an e-mail opened, a call.
// Touchpoint is a touchpoint ID (a Map's Touchpoint.ID when there is a map; any non-empty
// string otherwise). Events may arrive in any order; the functions of this package order each
// customer's events by Time, and events with equal times keep their input order.
type Event struct {
	Customer   string    `json:"customer"`
	Touchpoint string    `json:"touchpoint"`
	Time       time.Time `json:"time"`
}

// Conversion is one conversion of one customer (an order, a sign-up) at a time, with its
// value (revenue; 0 when only counts matter). It is the outcome Paths and the event form of
// HeuristicAttribution take; a customer may convert several times.
type Conversion struct {
	Customer string    `json:"customer"`
	Time     time.Time `json:"time"`
	Value    float64   `json:"value"`
}

func checkEvent(e Event, i int) error {
	switch {
	case e.Customer == "":
		return fmt.Errorf("journey: event %d (touchpoint %q) has an empty customer: %w", i, e.Touchpoint, ErrInvalid)
	case e.Touchpoint == "":
		return fmt.Errorf("journey: event %d (customer %q) has an empty touchpoint: %w", i, e.Customer, ErrInvalid)
	case e.Time.IsZero():
		return fmt.Errorf("journey: event %d (customer %q, touchpoint %q) has a zero time: %w", i, e.Customer, e.Touchpoint, ErrInvalid)
	}
	return nil
}

func checkConversion(c Conversion, i int) error {
	switch {
	case c.Customer == "":
		return fmt.Errorf("journey: conversion %d has an empty customer: %w", i, ErrInvalid)
	case c.Time.IsZero():
		return fmt.Errorf("journey: conversion %d (customer %q) has a zero time: %w", i, c.Customer, ErrInvalid)
	case math.IsNaN(c.Value) || math.IsInf(c.Value, 0) || c.Value < 0:
		return fmt.Errorf("journey: conversion %d (customer %q) has value %v; it must be finite and non-negative: %w", i, c.Customer, c.Value, ErrOutOfRange)
	}
	return nil
}

// sortedByCustomer reports whether events are grouped by customer in ascending order.
func sortedByCustomer(events []Event) bool {
	for i := 1; i < len(events); i++ {
		if events[i].Customer < events[i-1].Customer {
			return false
		}
	}
	return true
}

// byCustomer calls fn once per customer, in ascending customer order, with that customer's
// events in input order (indices into events). Events already grouped in ascending customer
// order are used as they are; otherwise a counting sort over customer numbers (one map look-up
// per event, then a sort of the distinct customers only) groups them in linear time.
func byCustomer(events []Event, fn func(customer string, idx []int32) error) error {
	if len(events) > math.MaxInt32 {
		return fmt.Errorf("journey: %d events exceed the limit of %d per call: %w", len(events), math.MaxInt32, ErrOutOfRange)
	}
	if sortedByCustomer(events) {
		idx := make([]int32, len(events))
		for i := range idx {
			idx[i] = int32(i)
		}
		for lo := 0; lo < len(idx); {
			hi := lo + 1
			for hi < len(idx) && events[hi].Customer == events[lo].Customer {
				hi++
			}
			if err := fn(events[lo].Customer, idx[lo:hi]); err != nil {
				return err
			}
			lo = hi
		}
		return nil
	}
	num := map[string]int32{}
	var names []string
	cust := make([]int32, len(events))
	for i, e := range events {
		c, ok := num[e.Customer]
		if !ok {
			c = int32(len(names))
			num[e.Customer] = c
			names = append(names, e.Customer)
		}
		cust[i] = c
	}
	start := make([]int32, len(names)+1)
	for _, c := range cust {
		start[c+1]++
	}
	for c := range names {
		start[c+1] += start[c]
	}
	idx := make([]int32, len(events))
	next := slices.Clone(start[:len(names)])
	for i, c := range cust {
		idx[next[c]] = int32(i)
		next[c]++
	}
	order := make([]int32, len(names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(names[a], names[b]) })
	for _, c := range order {
		if err := fn(names[c], idx[start[c]:start[c+1]]); err != nil {
			return err
		}
	}
	return nil
}

// stream is the shared state of the streaming analysers: it checks that customers arrive in
// ascending order and buffers the current customer's events.
type stream struct {
	n       int // events added
	current string
	started bool
}

// next validates e and reports whether it starts a new customer. It refuses a customer that
// arrives after a greater one.
func (s *stream) next(e Event) (newCustomer bool, err error) {
	if err := checkEvent(e, s.n); err != nil {
		return false, err
	}
	if s.started && e.Customer == s.current {
		s.n++
		return false, nil
	}
	if s.started && e.Customer < s.current {
		return false, fmt.Errorf("journey: event %d: customer %q arrives after customer %q; a streaming analysis needs events sorted by customer: %w", s.n, e.Customer, s.current, ErrInvalid)
	}
	s.current, s.started = e.Customer, true
	s.n++
	return true, nil
}

// timed is one event of the current customer: its time, its touchpoint code, its input order.
type timed struct {
	t    int64 // Unix nanoseconds, or seconds·1e9 clipped (see unixNano)
	code int32
	seq  int32
}

func sortTimed(b []timed) {
	// Insertion sort for the short runs of one customer, stable by construction; falls back to
	// a stable sort for long runs.
	if len(b) > 32 {
		slices.SortStableFunc(b, func(x, y timed) int { return cmp.Compare(x.t, y.t) })
		return
	}
	for i := 1; i < len(b); i++ {
		for j := i; j > 0 && b[j].t < b[j-1].t; j-- {
			b[j], b[j-1] = b[j-1], b[j]
		}
	}
}

// unixNano converts a time to nanoseconds since 1970, saturating outside 1678..2262 (the
// range of int64 nanoseconds) so that ordering stays correct for every time.Time a caller can
// build; durations between saturated times are then clipped.
func unixNano(t time.Time) int64 {
	const lo, hi = -9223372036, 9223372035 // seconds that fit in int64 nanoseconds
	s := t.Unix()
	if s < lo {
		return math.MinInt64
	}
	if s > hi {
		return math.MaxInt64
	}
	return t.UnixNano()
}

// span returns b − a as a Duration, saturating instead of overflowing.
func span(a, b int64) time.Duration {
	d := b - a
	if (b >= a) != (d >= 0) { // overflow
		if b >= a {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(math.MinInt64)
	}
	return time.Duration(d)
}
