package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"
)

// Common time units for [RFMOptions] and [Projection]. A month or a year is not a fixed
// duration; pass the length you mean (e.g. 365.25/12 days as 730*time.Hour + 30*time.Minute).
const (
	// Day is 24 hours.
	Day = 24 * time.Hour
	// Week is 7 days, the unit of the CDNOW studies.
	Week = 7 * Day
)

// Transaction is one purchase in a transaction log, the raw input of [Summarize].
type Transaction struct {
	Customer string    `json:"customer"` // customer ID; must not be empty
	Time     time.Time `json:"time"`     // when the purchase happened; must not be the zero time
	Amount   float64   `json:"amount"`   // its value (revenue or margin); finite and ≥ 0
}

// RFMOptions says how [Summarize] turns a transaction log into RFM histories.
type RFMOptions struct {
	// Unit is the time unit of Recency, T and the holdout duration, and so of the models fitted
	// to the summary (e.g. Week). Required.
	Unit time.Duration
	// Period is the purchase period: purchases by one customer in the same period count as
	// one purchase whose amount is their sum (lifetimes and BTYD do the same). 0 means Day.
	// It must be a whole number of seconds. Periods are counted in Location's wall-clock time
	// from Monday 1970-01-05 00:00, so days start at midnight and weeks on Monday.
	Period time.Duration
	// Location is the time zone whose calendar defines the periods; nil means UTC.
	Location *time.Location
	// CalibrationEnd ends the calibration (estimation) period: purchases in its period or
	// before make up the histories, and T runs to the start of its period. The zero value
	// means the period of the last transaction.
	CalibrationEnd time.Time
	// HoldoutEnd, when set, ends a holdout period that starts after CalibrationEnd: the
	// purchases in between are reported in the RFM's Holdout fields (for validating
	// predictions). It needs an explicit CalibrationEnd before it.
	HoldoutEnd time.Time
}

// RFM is one customer's summary: the calibration-period history as a [Customer] (in the
// summary's unit) and, when a holdout period was asked for, what the customer did in it.
type RFM struct {
	// ID is the customer's ID from the transactions.
	ID string `json:"id"`
	// Customer is the calibration-period history: repeat purchases, recency and age in the
	// summary's unit, and the mean amount of the repeat purchases.
	Customer
	// First is the start of the period of the customer's first purchase.
	First time.Time `json:"first"`
	// HoldoutFrequency is the number of purchase periods in the holdout period.
	HoldoutFrequency int `json:"holdout_frequency,omitempty"`
	// HoldoutMonetaryValue is the mean amount of those purchases (0 without any).
	HoldoutMonetaryValue float64 `json:"holdout_monetary_value,omitempty"`
	// HoldoutDuration is the length of the holdout period in the summary's unit (the same for
	// every customer; 0 without a holdout period).
	HoldoutDuration float64 `json:"holdout_duration,omitempty"`
}

// RFMSummary is the result of [Summarize].
type RFMSummary struct {
	// Customers holds one RFM per customer with a calibration history, sorted by ID.
	Customers []RFM `json:"customers"`
	// Unit is the time unit of the histories.
	Unit time.Duration `json:"unit"`
	// CalibrationEnd and HoldoutEnd are the starts of the end periods actually used (T is
	// measured to CalibrationEnd). HoldoutEnd is zero without a holdout period.
	CalibrationEnd time.Time `json:"calibration_end"`
	HoldoutEnd     time.Time `json:"holdout_end,omitzero"`
	// Transactions is the number of transactions summarised (calibration and holdout).
	Transactions int `json:"transactions"`
	// AfterEnd counts the transactions after the observation end (HoldoutEnd, or
	// CalibrationEnd without holdout), which are outside the window and not summarised.
	AfterEnd int `json:"after_end"`
	// NoHistory lists, sorted, the customers left out because their first purchase is in the
	// last calibration period or later (up to the observation end): their age T would be 0 or
	// negative and the models cannot use them. With a holdout period they include the
	// customers acquired in it. (Customers seen only after the observation end appear only in
	// AfterEnd.)
	NoHistory []string `json:"no_history,omitempty"`
}

// Histories returns the calibration histories of the summary's customers, in order: the
// input of the purchase and spend models.
func (s RFMSummary) Histories() []Customer {
	out := make([]Customer, len(s.Customers))
	for i, r := range s.Customers {
		out[i] = r.Customer
	}
	return out
}

// pbEpoch is the origin of the periods: a Monday, at midnight.
var pbEpoch = time.Date(1970, 1, 5, 0, 0, 0, 0, time.UTC).Unix()

// pbPeriodOf returns the index of the period holding t, in loc's wall-clock time.
func pbPeriodOf(t time.Time, loc *time.Location, periodSec int64) int64 {
	t = t.In(loc)
	_, off := t.Zone()
	s := t.Unix() + int64(off) - pbEpoch
	q := s / periodSec
	if s%periodSec != 0 && s < 0 {
		q--
	}
	return q
}

// pbPeriodStart returns the start, in loc, of period p.
func pbPeriodStart(p int64, loc *time.Location, periodSec int64) time.Time {
	w := time.Unix(pbEpoch+p*periodSec, 0).UTC()
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
}

// pbEntry is a transaction reduced to what the summary needs.
type pbEntry struct {
	slot   int32
	count  int64 // transactions merged into this entry
	period int64
	amount float64
}

// Summarize turns a transaction log into per-customer RFM histories: for each customer, the
// number of repeat purchases (purchase periods after the first), the time from the first to the
// last purchase, the age T at the end of calibration, all in opt.Unit, and the mean amount of
// the repeat purchases (the first purchase is excluded, as the Gamma-Gamma model requires).
// Times are measured between period starts, so with daily periods and weekly units a purchase
// 3 days after the first has recency 3/7.
//
// With opt.HoldoutEnd set, the purchases after the calibration end and up to the holdout end
// are counted per customer in the holdout fields, for comparing the models' predictions with
// what happened. Transactions after the observation end are counted in AfterEnd, not used;
// customers first seen in the last calibration period or later are listed in NoHistory.
//
// A transaction with an empty customer ID, a zero time, or a negative or non-finite amount is
// an error naming its index and wrapping [ErrOutOfRange] (or [ErrInvalid] for the ID and time);
// bad options wrap ErrInvalid; an empty log is [ErrEmpty].
//
// On the CDNOW 1/10 sample with daily periods, weeks as the unit and a calibration end of
// 1997-09-30 it reproduces the summary of Fader, Hardie & Lee (2005): 2,357 customers with
// 2,457 repeat purchases.
func Summarize(tx []Transaction, opt RFMOptions) (RFMSummary, error) {
	ps, loc, err := pbCheckRFMOptions("Summarize", opt)
	if err != nil {
		return RFMSummary{}, err
	}
	if len(tx) == 0 {
		return RFMSummary{}, fmt.Errorf("clv: Summarize: no transactions: %w", ErrEmpty)
	}

	slots := make(map[string]int32, min(len(tx), 1<<16))
	var ids []string
	entries := make([]pbEntry, 0, len(tx))
	lastP := int64(0)
	for i, t := range tx {
		if err := pbCheckTransaction(t); err != nil {
			return RFMSummary{}, fmt.Errorf("clv: Summarize: transaction at index %d%w", i, err)
		}
		s, ok := slots[t.Customer]
		if !ok {
			s = int32(len(ids))
			slots[t.Customer] = s
			ids = append(ids, t.Customer)
		}
		p := pbPeriodOf(t.Time, loc, ps)
		if i == 0 || p > lastP {
			lastP = p
		}
		entries = append(entries, pbEntry{slot: s, count: 1, period: p, amount: t.Amount})
	}
	return pbFinish("Summarize", ids, entries, lastP, opt, ps, loc)
}

// pbCheckRFMOptions validates the options and returns the period in seconds and the location.
func pbCheckRFMOptions(who string, opt RFMOptions) (int64, *time.Location, error) {
	if opt.Unit <= 0 {
		return 0, nil, fmt.Errorf("clv: %s: unit %v must be positive: %w", who, opt.Unit, ErrInvalid)
	}
	period := opt.Period
	if period == 0 {
		period = Day
	}
	if period < time.Second || period%time.Second != 0 {
		return 0, nil, fmt.Errorf("clv: %s: period %v must be a positive whole number of seconds: %w", who, period, ErrInvalid)
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	if !opt.HoldoutEnd.IsZero() && opt.CalibrationEnd.IsZero() {
		return 0, nil, fmt.Errorf("clv: %s: a holdout end needs a calibration end: %w", who, ErrInvalid)
	}
	return int64(period / time.Second), loc, nil
}

// pbCheckTransaction validates one transaction; the error text continues a sentence such as
// "transaction at index 3".
func pbCheckTransaction(t Transaction) error {
	switch {
	case t.Customer == "":
		return fmt.Errorf(" has an empty customer ID: %w", ErrInvalid)
	case t.Time.IsZero():
		return fmt.Errorf(" (customer %q) has a zero time: %w", t.Customer, ErrInvalid)
	case !finite(t.Amount) || t.Amount < 0:
		return fmt.Errorf(" (customer %q) has amount %v: must be finite and non-negative: %w", t.Customer, t.Amount, ErrOutOfRange)
	}
	return nil
}

// pbFinish turns the customers' period entries into the summary. lastP is the latest period
// of any entry.
func pbFinish(who string, ids []string, entries []pbEntry, lastP int64, opt RFMOptions, ps int64, loc *time.Location) (RFMSummary, error) {
	calP := lastP
	if !opt.CalibrationEnd.IsZero() {
		calP = pbPeriodOf(opt.CalibrationEnd, loc, ps)
	}
	endP := calP
	holdout := !opt.HoldoutEnd.IsZero()
	if holdout {
		endP = pbPeriodOf(opt.HoldoutEnd, loc, ps)
		if endP <= calP {
			return RFMSummary{}, fmt.Errorf("clv: %s: holdout end %v is not after the calibration period ending %v: %w",
				who, opt.HoldoutEnd, opt.CalibrationEnd, ErrInvalid)
		}
	}
	scale := float64(ps) * float64(time.Second) / float64(opt.Unit) // unit per period

	sum := RFMSummary{Unit: opt.Unit, CalibrationEnd: pbPeriodStart(calP, loc, ps), Customers: make([]RFM, 0, len(ids))}
	if holdout {
		sum.HoldoutEnd = pbPeriodStart(endP, loc, ps)
	}
	// Order customers by ID, and each customer's transactions by period.
	rank := make([]int32, len(ids))
	order := make([]int32, len(ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(ids[a], ids[b]) })
	for r, s := range order {
		rank[s] = int32(r)
	}
	slices.SortFunc(entries, func(a, b pbEntry) int {
		if c := cmp.Compare(rank[a.slot], rank[b.slot]); c != 0 {
			return c
		}
		return cmp.Compare(a.period, b.period)
	})

	for i := 0; i < len(entries); {
		j := i
		for j < len(entries) && entries[j].slot == entries[i].slot {
			j++
		}
		pbSummarizeOne(&sum, ids[entries[i].slot], entries[i:j], calP, endP, holdout, scale, loc, ps)
		i = j
	}
	return sum, nil
}

// pbSummarizeOne adds one customer's transactions, sorted by period, to the summary.
func pbSummarizeOne(sum *RFMSummary, id string, es []pbEntry, calP, endP int64, holdout bool, scale float64, loc *time.Location, ps int64) {
	first := es[0].period
	// Count what lies outside the window first.
	used := 0
	for _, e := range es {
		if e.period > endP {
			sum.AfterEnd += int(e.count)
		} else {
			used += int(e.count)
		}
	}
	sum.Transactions += used
	if first >= calP {
		if first <= endP {
			sum.NoHistory = append(sum.NoHistory, id)
		}
		return
	}
	r := RFM{ID: id, First: pbPeriodStart(first, loc, ps)}
	r.Customer.ID = id
	r.T = float64(calP-first) * scale
	if holdout {
		r.HoldoutDuration = float64(endP-calP) * scale
	}
	var calSum, holdSum float64
	for k := 0; k < len(es); {
		p := es[k].period
		amt := 0.0
		for k < len(es) && es[k].period == p {
			amt += es[k].amount
			k++
		}
		switch {
		case p == first:
			// The first purchase: it starts the history and is not a repeat purchase.
		case p <= calP:
			r.Frequency++
			r.Recency = float64(p-first) * scale
			calSum += amt
		case p <= endP:
			r.HoldoutFrequency++
			holdSum += amt
		}
	}
	if r.Frequency > 0 {
		r.MonetaryValue = calSum / float64(r.Frequency)
	}
	if r.HoldoutFrequency > 0 {
		r.HoldoutMonetaryValue = holdSum / float64(r.HoldoutFrequency)
	}
	sum.Customers = append(sum.Customers, r)
}

// Discrete returns the summary's histories as discrete-time histories for the BG/BB model:
// with Period equal to Unit (e.g. one opportunity a year, or a week), Recency and T are whole
// numbers of periods, and each customer's T is the number of opportunities after the first
// purchase. A non-integer Recency or T (periods finer than the unit) is an error naming the
// customer and wrapping [ErrInvalid]; so is a T beyond the BG/BB limit of 1,000,000.
func (s RFMSummary) Discrete() ([]Discrete, error) {
	if len(s.Customers) == 0 {
		return nil, fmt.Errorf("clv: summary has no customers: %w", ErrEmpty)
	}
	out := make([]Discrete, len(s.Customers))
	for i, r := range s.Customers {
		tx, n := math.Round(r.Recency), math.Round(r.T)
		if math.Abs(r.Recency-tx) > 1e-9*math.Max(1, tx) || math.Abs(r.T-n) > 1e-9*math.Max(1, n) {
			return nil, fmt.Errorf("clv: customer %q at index %d has recency %v and T %v: not whole periods (use Period = Unit): %w",
				r.ID, i, r.Recency, r.T, ErrInvalid)
		}
		d := Discrete{Frequency: r.Frequency, Recency: int(tx), Periods: int(n), Weight: r.Weight}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("clv: customer %q at index %d: %v: %w", r.ID, i, err, ErrInvalid)
		}
		out[i] = d
	}
	return out, nil
}
