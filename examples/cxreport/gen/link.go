package main

import (
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// The churn model planted in the sample (issue 15), which cxreport's Cox section should find
// again: every subscription's hazard of ending is constant in time once its customer's last
// survey answer or ticket is known (before that the customer is known to be still there),
//
//	h = base[segment/plan] · exp(β · x)   per 30-day month,
//
// with x the customer's last NPS category (detractor, passive, or not surveyed; promoters are
// the reference), whether they contacted support, and log2(1 + median first-reply hours) of
// their answered tickets (0 without tickets). Before its records a customer has the hazard
// of one not surveyed and not in contact; only customers still subscribed at their first
// record are surveyed and open tickets, they stay until their last record, and after it they
// leave at their own hazard. A Cox model stratified by segment and plan,
// with late entry at the last record, is then the true model, and its hazard ratios should
// come out near these. The spread of the base hazards makes churn fall with tenure in the
// pooled cohorts, as the shifted-beta-geometric projection assumes.
var (
	base = map[string]float64{ // by segment and plan
		"enterprise/premium": 0.03, "enterprise/basic": 0.05, "smb/premium": 0.045,
		"smb/basic": 0.08, "consumer/premium": 0.08, "consumer/basic": 0.15}
	hrNPS     = map[string]float64{"detractor": 3, "passive": 1.6, "promoter": 1, "": 1.3}
	hrContact = 1.5 // contacted support, at an instant first reply
	hrReply   = 1.3 // per unit of log2(1 + median first-reply hours)
	// The chance that a surveyed customer has contacted support, by their last NPS category.
	pContact = map[string]float64{"detractor": 0.7, "passive": 0.55, "promoter": 0.45}
)

var asOf = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) // the sample's export date

const month = 30 * 24 * time.Hour

// customer is a customer of the survey or the tickets, linked to one subscription.
type customer struct {
	responses   []int // rows of the survey
	tickets     []int // rows of tickets.csv
	npsCategory string
	first, last time.Time // first record, and the instant the last record was known
	reply       float64   // log2(1 + median first-reply hours), 0 without answered tickets
	sub         int       // row of subscriptions.csv
}

// link gives the survey's customers (keys, one per survey row; row 0 is the header)
// subscriptions and tickets, and redraws every subscription's end from the planted model. It
// sets the survey's customer and segment columns, and returns subscriptions.csv and tickets.csv
// (with a customer column) as rows. Only the subscriptions' start, segment and plan, the
// tickets' times and the survey's ratings and dates are kept; the draws come from their own
// seeded generator, so the rest of the sample is unchanged.
func link(dir string, survey [][]string, keys []string) (subs, tickets [][]string) {
	rnd := rand.New(rand.NewPCG(2026, 15))
	subs, tickets = readCSV(dir, "subscriptions.csv"), readCSV(dir, "tickets.csv")
	if i := slices.Index(tickets[0], "customer"); i >= 0 { // a rerun: drop the earlier link
		for k, r := range tickets {
			tickets[k] = slices.Delete(r, i, i+1)
		}
	}
	col := func(rows [][]string, name string) int {
		i := slices.Index(rows[0], name)
		if i < 0 {
			panic(fmt.Sprintf("no column %q", name))
		}
		return i
	}
	cDate, cNPS, cSeg := col(survey, "date"), col(survey, "nps"), col(survey, "segment")
	cRec, cFirst := col(tickets, "received"), col(tickets, "first_response")
	cStart, cEnd, cSubSeg := col(subs, "start"), col(subs, "end"), col(subs, "segment")
	parse := func(layout, v string) time.Time {
		t, err := time.Parse(layout, v)
		if err != nil {
			panic(err)
		}
		return t
	}

	// Survey customers, with the category of their last NPS answer.
	byKey := map[string]*customer{}
	var custs []*customer
	for i := 1; i < len(survey); i++ {
		c := byKey[keys[i]]
		if c == nil {
			c = &customer{}
			byKey[keys[i]] = c
			custs = append(custs, c)
		}
		c.responses = append(c.responses, i)
	}
	for _, c := range custs {
		var lastT time.Time
		for _, i := range c.responses {
			t := parse(time.DateOnly, survey[i][cDate])
			c.record(t, t)
			if v := survey[i][cNPS]; v != "" && !t.Before(lastT) {
				n, _ := strconv.Atoi(v)
				c.npsCategory, lastT = category(n), t
			}
		}
	}

	// Tickets: surveyed customers contact support more often the less they recommend; the
	// tickets left over go to customers who never answered the survey.
	order := rnd.Perm(len(tickets) - 1)
	next := 0
	take := func(c *customer, ks []int) { // a number of tickets drawn from ks
		k := ks[rnd.IntN(len(ks))]
		for ; k > 0 && next < len(order); k-- {
			c.tickets = append(c.tickets, order[next]+1)
			next++
		}
	}
	for _, c := range custs {
		if rnd.Float64() < pContact[c.npsCategory] {
			take(c, []int{1, 1, 1, 1, 1, 1, 2, 2, 2, 3})
		}
	}
	for next < len(order) {
		c := &customer{}
		take(c, []int{1, 1, 1, 1, 2, 2, 2, 4, 4, 8})
		custs = append(custs, c)
	}
	for _, c := range custs {
		var hours []float64
		for _, i := range c.tickets {
			rec := parse(time.RFC3339, tickets[i][cRec])
			known := rec
			if v := tickets[i][cFirst]; v != "" {
				known = parse(time.RFC3339, v)
				hours = append(hours, known.Sub(rec).Hours())
			}
			c.record(rec, known)
		}
		if len(hours) > 0 {
			c.reply = math.Log2(1 + median(hours))
		}
	}

	// Every subscription's natural end, at the hazard of a customer never surveyed nor in
	// contact (from its start).
	draw := func(from time.Time, rate float64) time.Time {
		life := time.Duration(-math.Log(1-rnd.Float64()) / rate * float64(month))
		end := from.Add(life).Truncate(24 * time.Hour)
		if !end.After(from) {
			end = from.Truncate(24 * time.Hour).Add(24 * time.Hour)
		}
		return end
	}
	cPlan := col(subs, "plan")
	rateOf := func(i int) float64 {
		r, ok := base[subs[i][cSubSeg]+"/"+subs[i][cPlan]]
		if !ok {
			panic(fmt.Sprintf("subscription %d: no planted hazard for %s/%s", i, subs[i][cSubSeg], subs[i][cPlan]))
		}
		return r
	}
	ends := make([]time.Time, len(subs))
	for i := 1; i < len(subs); i++ {
		ends[i] = draw(parse(time.DateOnly, subs[i][cStart]), rateOf(i)*hrNPS[""])
	}

	// Subscriptions: the customers with the earliest records first, each to a subscription
	// still running at their first record, chosen at random among those — a choice that
	// depends only on the past, so that the lives of the subscriptions not chosen stay draws
	// of the model. A chosen customer stays until their last record (the report's fit starts
	// each subscription's time at risk there) and then leaves at their own hazard.
	slices.SortStableFunc(custs, func(a, b *customer) int { return a.first.Compare(b.first) })
	used := make([]bool, len(subs))
	for k, c := range custs {
		var ok []int
		for i := 1; i < len(subs); i++ {
			if !used[i] && !parse(time.DateOnly, subs[i][cStart]).After(c.first) && ends[i].After(c.first) {
				ok = append(ok, i)
			}
		}
		if len(ok) == 0 {
			panic(fmt.Sprintf("customer %d (records %v to %v): no subscription running then", k, c.first, c.last))
		}
		c.sub = ok[rnd.IntN(len(ok))]
		used[c.sub] = true
		// Life after the last record, at the customer's own hazard.
		eta := math.Log(hrNPS[c.npsCategory])
		if len(c.tickets) > 0 {
			eta += math.Log(hrContact) + c.reply*math.Log(hrReply)
		}
		ends[c.sub] = draw(c.last, rateOf(c.sub)*math.Exp(eta))
	}
	for i := 1; i < len(subs); i++ {
		subs[i][cEnd] = ""
		if !ends[i].After(asOf) {
			subs[i][cEnd] = ends[i].Format(time.DateOnly)
		}
	}

	// The customer IDs, in every file.
	tickets[0] = append(tickets[0], "customer")
	for i := 1; i < len(tickets); i++ {
		tickets[i] = append(tickets[i], "")
	}
	for _, c := range custs {
		id := subs[c.sub][col(subs, "customer")]
		for _, i := range c.responses {
			survey[i] = append(survey[i], id)
			survey[i][cSeg] = subs[c.sub][cSubSeg] // the customer's own segment
		}
		for _, i := range c.tickets {
			tickets[i][len(tickets[i])-1] = id
		}
	}
	return subs, tickets
}

// record notes a survey answer or ticket made at t and known at known.
func (c *customer) record(t, known time.Time) {
	if c.first.IsZero() || t.Before(c.first) {
		c.first = t
	}
	if known.After(c.last) {
		c.last = known
	}
}

func category(nps int) string {
	switch {
	case nps <= 6:
		return "detractor"
	case nps <= 8:
		return "passive"
	}
	return "promoter"
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func readCSV(dir, name string) [][]string {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(err)
	}
	return rows
}
