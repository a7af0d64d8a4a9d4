package clv

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/cxkit/cxkit"
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
	// to the summary (cxkit.Week for the CDNOW studies). Required. The count models measure
	// time as a real number of units, so a unit is its nominal length ([cxkit.Period.Nominal]):
	// a day is 24 hours and a week 7 days exactly, while a month is a twelfth of the mean
	// Gregorian year (365.2425/12 = 30.436875 days), a quarter a fourth and a year 365.2425 days.
	Unit cxkit.Period
	// Period is the purchase period, a calendar period in Location: purchases by one customer
	// in the same period count as one purchase whose amount is their sum (lifetimes and BTYD do
	// the same). A Day is a calendar day from midnight, a Week an ISO 8601 week from Monday, a
	// Month, Quarter or Year starts on the 1st (see [cxkit.Period.Truncate]). Zero means
	// cxkit.Day.
	Period cxkit.Period
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
	// Unit is the time unit of the histories (encoded as its name, "week").
	Unit cxkit.Period `json:"unit"`
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

// epochDay is the origin of the period indices, Monday 1970-01-05, in days since 1970-01-01.
const epochDay = 4

// periodOf returns the index of the calendar period that holds t on loc's wall clock,
// counted from the period that holds Monday 1970-01-05 (so day 0 is that Monday, week 0 its
// ISO week, month 0 January 1970, quarter 0 its first quarter, year 0 1970). It agrees with
// [cxkit.Period.Truncate]: periodStart(periodOf(t)) is p.Truncate(t, loc). The caller
// bounds t (checkTransaction).
func periodOf(t time.Time, loc *time.Location, p cxkit.Period) int64 {
	y, m, d := t.In(loc).Date()
	switch p {
	case cxkit.Month:
		return int64(y-1970)*12 + int64(m-1)
	case cxkit.Quarter:
		return int64(y-1970)*4 + int64(m-1)/3
	case cxkit.Year:
		return int64(y - 1970)
	}
	days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 - epochDay
	if p == cxkit.Week {
		q := days / 7
		if days%7 != 0 && days < 0 {
			q--
		}
		return q
	}
	return days
}

// periodStart returns the start, in loc, of period i (as periodOf counts them): the
// period's Truncate, so a day whose midnight falls in a daylight-saving gap starts at the
// change.
func periodStart(i int64, loc *time.Location, p cxkit.Period) time.Time {
	n := int(i)
	var noon time.Time // an instant in the period: noon of its first day
	switch p {
	case cxkit.Week:
		noon = time.Date(1970, 1, 5+7*n, 12, 0, 0, 0, loc)
	case cxkit.Month:
		noon = time.Date(1970, time.Month(1+n), 1, 12, 0, 0, 0, loc)
	case cxkit.Quarter:
		noon = time.Date(1970, time.Month(1+3*n), 1, 12, 0, 0, 0, loc)
	case cxkit.Year:
		noon = time.Date(1970+n, 1, 1, 12, 0, 0, 0, loc)
	default:
		noon = time.Date(1970, 1, 5+n, 12, 0, 0, 0, loc)
	}
	return p.Truncate(noon, loc)
}

// unitsPer returns the nominal length of period p in unit u (1/7 for a day in weeks,
// 30.436875/7 for a month in weeks, 1 when p = u).
func unitsPer(p, u cxkit.Period) float64 {
	if p == u {
		return 1
	}
	pn, _ := p.Nominal()
	un, _ := u.Nominal()
	return float64(pn) / float64(un)
}

// maxIndex bounds the period indices of period p: periods starting within ±maxSeconds of
// 1970, and a margin of two for the periods holding those limits.
func maxIndex(p cxkit.Period) int64 {
	n, _ := p.Nominal()
	return maxSeconds/int64(n/time.Second) + 2
}

// txEntry is a transaction reduced to what the summary needs.
type txEntry struct {
	slot   int32
	count  int64 // transactions merged into this entry
	period int64
	amount float64
}

// Summarize turns a transaction log into per-customer RFM histories: for each customer, the
// number of repeat purchases (purchase periods after the first), the time from the first to the
// last purchase, the age T at the end of calibration, all in opt.Unit, and the mean amount of
// the repeat purchases (the first purchase is excluded, as the Gamma-Gamma model requires).
// Times are counted in whole purchase periods between period starts and converted to the unit
// at nominal lengths ([cxkit.Period.Nominal]): with daily periods and weekly units a purchase
// 3 days after the first has recency 3/7; with monthly periods and weekly units a purchase in
// the next calendar month has recency 30.436875/7 = 4.348 weeks, whatever that month's length;
// with Period = Unit every time is a whole number (as [RFMSummary.Discrete] needs).
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
	opt, loc, err := checkRFMOptions("Summarize", opt)
	if err != nil {
		return RFMSummary{}, err
	}
	if len(tx) == 0 {
		return RFMSummary{}, fmt.Errorf("clv: Summarize: no transactions: %w", ErrEmpty)
	}

	slots := make(map[string]int32, min(len(tx), 1<<16))
	var ids []string
	entries := make([]txEntry, 0, len(tx))
	lastP := int64(0)
	for i, t := range tx {
		if err := checkTransaction(t); err != nil {
			return RFMSummary{}, fmt.Errorf("clv: Summarize: transaction at index %d%w", i, err)
		}
		s, ok := slots[t.Customer]
		if !ok {
			s = int32(len(ids))
			slots[t.Customer] = s
			ids = append(ids, t.Customer)
		}
		p := periodOf(t.Time, loc, opt.Period)
		if i == 0 || p > lastP {
			lastP = p
		}
		entries = append(entries, txEntry{slot: s, count: 1, period: p, amount: t.Amount})
	}
	return finish("Summarize", ids, entries, lastP, opt, loc)
}

// checkRFMOptions validates the options and returns them with the period set (a zero
// Period is Day), and the location (nil is UTC).
func checkRFMOptions(who string, opt RFMOptions) (RFMOptions, *time.Location, error) {
	if !opt.Unit.Valid() {
		return RFMOptions{}, nil, fmt.Errorf("clv: %s: unit: %w", who, opt.Unit.Check())
	}
	if opt.Period == 0 {
		opt.Period = cxkit.Day
	}
	if !opt.Period.Valid() {
		return RFMOptions{}, nil, fmt.Errorf("clv: %s: purchase period: %w", who, opt.Period.Check())
	}
	loc := opt.Location
	if loc == nil {
		loc = time.UTC
	}
	for _, e := range []struct {
		name string
		t    time.Time
	}{{"calibration end", opt.CalibrationEnd}, {"holdout end", opt.HoldoutEnd}} {
		if !e.t.IsZero() && outOfRange(e.t) {
			return RFMOptions{}, nil, fmt.Errorf("clv: %s: %s %v is more than 10^13 s from 1970: %w", who, e.name, e.t, ErrOutOfRange)
		}
	}
	if !opt.HoldoutEnd.IsZero() && opt.CalibrationEnd.IsZero() {
		return RFMOptions{}, nil, fmt.Errorf("clv: %s: a holdout end needs a calibration end: %w", who, ErrInvalid)
	}
	return opt, loc, nil
}

// outOfRange reports whether t lies beyond ±maxSeconds (about 317,000 years) of 1970,
// outside the periods the summaries and encodings hold.
func outOfRange(t time.Time) bool { return t.Unix() > maxSeconds || t.Unix() < -maxSeconds }

// checkTransaction validates one transaction; the error text continues a sentence such as
// "transaction at index 3".
func checkTransaction(t Transaction) error {
	switch {
	case t.Customer == "":
		return fmt.Errorf(" has an empty customer ID: %w", ErrInvalid)
	case t.Time.IsZero():
		return fmt.Errorf(" (customer %q) has a zero time: %w", t.Customer, ErrInvalid)
	case outOfRange(t.Time):
		return fmt.Errorf(" (customer %q) has time %v, more than 10^13 s from 1970: %w", t.Customer, t.Time, ErrOutOfRange)
	case !finite(t.Amount) || t.Amount < 0:
		return fmt.Errorf(" (customer %q) has amount %v: must be finite and non-negative: %w", t.Customer, t.Amount, ErrOutOfRange)
	}
	return nil
}

// finish turns the customers' period entries into the summary. lastP is the latest period
// of any entry; opt has passed checkRFMOptions.
func finish(who string, ids []string, entries []txEntry, lastP int64, opt RFMOptions, loc *time.Location) (RFMSummary, error) {
	calP := lastP
	if !opt.CalibrationEnd.IsZero() {
		calP = periodOf(opt.CalibrationEnd, loc, opt.Period)
	}
	endP := calP
	holdout := !opt.HoldoutEnd.IsZero()
	if holdout {
		endP = periodOf(opt.HoldoutEnd, loc, opt.Period)
		if endP <= calP {
			return RFMSummary{}, fmt.Errorf("clv: %s: holdout end %v is not after the calibration period ending %v: %w",
				who, opt.HoldoutEnd, opt.CalibrationEnd, ErrInvalid)
		}
	}
	scale := unitsPer(opt.Period, opt.Unit) // units per purchase period

	sum := RFMSummary{Unit: opt.Unit, CalibrationEnd: periodStart(calP, loc, opt.Period), Customers: make([]RFM, 0, len(ids))}
	if holdout {
		sum.HoldoutEnd = periodStart(endP, loc, opt.Period)
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
	slices.SortFunc(entries, func(a, b txEntry) int {
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
		summarizeOne(&sum, ids[entries[i].slot], entries[i:j], calP, endP, holdout, scale, loc, opt.Period)
		i = j
	}
	return sum, nil
}

// summarizeOne adds one customer's transactions, sorted by period, to the summary.
func summarizeOne(sum *RFMSummary, id string, es []txEntry, calP, endP int64, holdout bool, scale float64, loc *time.Location, period cxkit.Period) {
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
	r := RFM{ID: id, First: periodStart(first, loc, period)}
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
