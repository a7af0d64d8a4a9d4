package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/csvload"
)

// The Cox section's covariates. The NPS category is the customer's last answer (promoters
// 9-10 are the reference); "no NPS answer" holds the subscriptions whose customer never
// answered the NPS question (or has no survey response at all), so that they stay in the fit
// instead of being dropped. Support: contacted = 1 with at least one ticket in the
// subscription; the reply time is log2(1 + median wall-clock hours to the first reply of
// their answered tickets), 0 for customers without tickets, so that the contacted dummy
// carries the effect of contacting support at all and the reply covariate that of slow replies.
const (
	covDetractor = "detractor (0-6)"
	covPassive   = "passive (7-8)"
	covNoNPS     = "no NPS answer"
	covContacted = "contacted support"
	covReply     = "reply log2(1+h)"
)

// coxInput is the subscriptions joined by customer ID to their survey answers and tickets:
// one Cox subject per subscription, and the counts of what could not be linked or used.
type coxInput struct {
	subjects []churn.Subject
	x        [][]float64
	names    []string
	strata   []int
	segments []string // stratum labels (segment/plan), by index

	subs                         int
	useNPS, useTickets           bool // the survey / the tickets carry customer IDs
	withNPS, noNPS, noSurvey     int  // subscriptions with an NPS answer, without one, of which without any survey response
	withTicket, noTicket         int
	unanswered                   int     // excluded: every ticket without a first reply (reply time unknown)
	noRisk                       int     // excluded: ended at (or before) its last record: no time at risk left
	noRecord                     int     // excluded: neither a survey answer nor a ticket
	responsesNoID, ticketsNoID   int     // records without a customer ID
	responsesNoSub, ticketsNoSub int     // with an ID that no subscription has
	responsesOut, ticketsOut     int     // with a subscribed customer, dated outside all their subscriptions (or after the as-of date)
	medianReply                  float64 // median over the linked contacted subscriptions of their median reply hours
}

// record is one survey answer or ticket of a customer, as the join needs it.
type record struct {
	at, known time.Time
	nps       int     // noAnswer for tickets and unanswered NPS questions
	ticket    bool    // a ticket
	hours     float64 // hours to the first reply; NaN when unanswered or not a ticket
}

// joinCox links each subscription to the customer's survey answers and tickets dated within
// it ([start, end], end = asOf while active) and builds its covariates. Time is in 30-day
// months since the start; each subject enters the risk set when its last record is known (its
// last answer, or its last ticket's first reply), so that the covariates describe the customer
// before the time at risk they explain — a customer who answered in June was certainly still
// there in June, and counting those months would make answering look protective. For the same
// reason the subscriptions with no record at all are left out (and counted): "never surveyed,
// never in contact" is largely "left before anyone asked", a label the future decides.
func joinCox(subs []subscription, responses []response, tickets []csvload.Ticket, asOf time.Time, surveyOK, ticketsOK bool) coxInput {
	in := coxInput{subs: len(subs)}
	bySub := map[string][]int{}
	for i, s := range subs {
		bySub[s.Customer] = append(bySub[s.Customer], i)
	}
	recs := make([][]record, len(subs))
	attach := func(cust string, r record, noID, noSub, out *int) {
		switch is, ok := bySub[cust]; {
		case cust == "":
			*noID++
		case !ok:
			*noSub++
		default:
			for _, i := range is {
				s := subs[i]
				end := asOf
				if !s.End.IsZero() && s.End.Before(asOf) {
					end = s.End
				}
				if !r.at.Before(s.Start) && !r.at.After(end) {
					recs[i] = append(recs[i], r)
					return
				}
			}
			*out++
		}
	}
	if surveyOK {
		for _, r := range responses {
			if r.Customer != "" {
				in.useNPS = true
			}
		}
	}
	if ticketsOK {
		for _, t := range tickets {
			if t.Customer != "" {
				in.useTickets = true
			}
		}
	}
	if in.useNPS {
		for _, r := range responses {
			attach(r.Customer, record{at: r.Time, known: r.Time, nps: r.NPS, hours: math.NaN()},
				&in.responsesNoID, &in.responsesNoSub, &in.responsesOut)
		}
	}
	if in.useTickets {
		for _, t := range tickets {
			r := record{at: t.Received, known: t.Received, nps: noAnswer, ticket: true, hours: math.NaN()}
			if !t.FirstResponse.IsZero() {
				r.known, r.hours = t.FirstResponse, t.FirstResponse.Sub(t.Received).Hours()
			}
			attach(t.Customer, r, &in.ticketsNoID, &in.ticketsNoSub, &in.ticketsOut)
		}
	}
	if in.useNPS {
		in.names = append(in.names, covDetractor, covPassive, covNoNPS)
	}
	if in.useTickets {
		in.names = append(in.names, covContacted, covReply)
	}
	seg := map[string]int{}
	var replies []float64
	for i, s := range subs {
		subj, err := s.Subject(asOf, month)
		if err != nil {
			continue // the churn section reports it
		}
		rs := recs[i]
		slices.SortStableFunc(rs, func(a, b record) int { return a.at.Compare(b.at) })
		last := s.Start
		lastNPS, surveyed, contacted := noAnswer, false, false
		var hours []float64
		for _, r := range rs {
			if r.known.After(last) {
				last = r.known
			}
			if r.ticket {
				contacted = true
				if !math.IsNaN(r.hours) {
					hours = append(hours, r.hours)
				}
				continue
			}
			surveyed = true
			if r.nps != noAnswer {
				lastNPS = r.nps
			}
		}
		if len(rs) == 0 {
			in.noRecord++
			continue
		}
		var x []float64
		if in.useNPS {
			if lastNPS == noAnswer {
				in.noNPS++
				if !surveyed {
					in.noSurvey++
				}
			} else {
				in.withNPS++
			}
			x = append(x, b2f(lastNPS != noAnswer && lastNPS <= 6), b2f(lastNPS == 7 || lastNPS == 8), b2f(lastNPS == noAnswer))
		}
		if in.useTickets {
			if contacted {
				in.withTicket++
			} else {
				in.noTicket++
			}
			if contacted && len(hours) == 0 {
				in.unanswered++
				continue
			}
			reply := 0.0
			if contacted {
				m := median(hours)
				replies = append(replies, m)
				reply = math.Log2(1 + m)
			}
			x = append(x, b2f(contacted), reply)
		}
		subj.Entry = float64(last.Sub(s.Start)) / float64(month)
		if subj.Entry >= subj.Duration && subj.Entry > 0 {
			in.noRisk++
			continue
		}
		label := s.Segment + "/" + s.Plan
		k, ok := seg[label]
		if !ok {
			k = len(in.segments)
			seg[label] = k
			in.segments = append(in.segments, label)
		}
		in.subjects = append(in.subjects, subj)
		in.x = append(in.x, x)
		in.strata = append(in.strata, k)
	}
	if len(replies) > 0 {
		in.medianReply = median(replies)
	}
	return in
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func median(v []float64) float64 {
	s := slices.Sorted(slices.Values(v))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// coxResult is the section's fit, kept for the HTML report.
type coxResult struct {
	in      coxInput
	fit     churn.Cox
	hrs     []churn.HazardRatio
	names   []string // the covariates fitted
	dropped []string // the covariates left out because every fitted subscription has the same value
	err     error    // the fit failed: said in the report instead of a table
	reason  string   // why there is no fit at all ("" when there is one)
}

// fitCox fits the joined subscriptions: stratified by segment and plan (each combination its
// own baseline hazard, so that their different churn rates need no covariates), Efron ties. An indicator that no fitted subject has (or all have) is left out
// before the fit, and said.
func fitCox(in coxInput) *coxResult {
	res := &coxResult{in: in}
	switch {
	case len(in.names) == 0:
		res.reason = "neither the survey nor the tickets carry customer IDs (a customer column), so nothing links them to the subscriptions"
		return res
	case len(in.subjects) == 0:
		res.reason = "no subscription is left to fit"
		return res
	}
	keep := make([]int, 0, len(in.names))
	for j := range in.names {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, row := range in.x {
			lo, hi = min(lo, row[j]), max(hi, row[j])
		}
		if lo < hi {
			keep = append(keep, j)
		} else {
			res.dropped = append(res.dropped, in.names[j])
		}
	}
	if len(keep) == 0 {
		res.reason = "every covariate is the same for all the subscriptions"
		return res
	}
	x := make([][]float64, len(in.x))
	for i, row := range in.x {
		x[i] = make([]float64, len(keep))
		for k, j := range keep {
			x[i][k] = row[j]
		}
	}
	for _, j := range keep {
		res.names = append(res.names, in.names[j])
	}
	var strata []int
	if len(in.segments) > 1 {
		strata = in.strata
	}
	res.fit, res.err = churn.FitCox(in.subjects, x, res.names, churn.CoxOptions{Strata: strata})
	if res.err == nil {
		res.hrs, res.err = res.fit.HazardRatios(0.95)
	}
	return res
}

// coxSection writes the Cox part of the churn section.
func coxSection(w io.Writer, res *coxResult) error {
	in := res.in
	fmt.Fprintf(w, "Why customers leave: Cox proportional hazards, subscriptions linked by customer ID to survey answers and tickets:\n")
	linked := in.subs - in.noRecord
	fmt.Fprintf(w, "  linked: %d of %d subscriptions have a survey answer or a ticket; %d have neither and are left out (customers never surveyed nor in contact are mostly those who left before anyone asked: keeping them would make answering and contacting look protective)\n",
		linked, in.subs, in.noRecord)
	if in.useNPS {
		fmt.Fprintf(w, "  NPS: %d linked subscriptions have an NPS answer (the last one counts); %d have none (%d of them no survey response at all): kept, as the level %q\n",
			in.withNPS, in.noNPS, in.noSurvey, covNoNPS)
		fmt.Fprintf(w, "       survey responses not linked: %d without a customer ID, %d of customers without a subscription, %d dated outside the customer's subscriptions\n",
			in.responsesNoID, in.responsesNoSub, in.responsesOut)
	} else {
		fmt.Fprintf(w, "  NPS: not in the model (no survey responses with a customer ID)\n")
	}
	if in.useTickets {
		fmt.Fprintf(w, "  support: %d linked subscriptions with a ticket, %d without (contacted = 0 and reply time 0: the contacted term carries the difference)\n", in.withTicket, in.noTicket)
		fmt.Fprintf(w, "       tickets not linked: %d without a customer ID, %d of customers without a subscription, %d dated outside the customer's subscriptions\n",
			in.ticketsNoID, in.ticketsNoSub, in.ticketsOut)
	} else {
		fmt.Fprintf(w, "  support: not in the model (no tickets with a customer ID)\n")
	}
	if in.unanswered > 0 || in.noRisk > 0 {
		fmt.Fprintf(w, "  also left out: %d subscriptions whose tickets all lack a first reply (reply time unknown), %d that ended at their last record (no time at risk after it)\n",
			in.unanswered, in.noRisk)
	}
	if res.reason != "" {
		fmt.Fprintf(w, "  (no Cox fit: %s)\n", res.reason)
		return nil
	}
	if res.err != nil {
		if errors.Is(res.err, churn.ErrNotIdentified) || errors.Is(res.err, churn.ErrNotConverged) || errors.Is(res.err, churn.ErrEmpty) {
			fmt.Fprintf(w, "  (no Cox fit on these data: %v)\n", res.err)
			return nil
		}
		return fmt.Errorf("cox: %w", res.err)
	}
	m := res.fit
	strata := "one baseline hazard"
	if len(m.Baseline) > 1 {
		segs := slices.Sorted(slices.Values(in.segments))
		strata = fmt.Sprintf("stratified by segment/plan (%s), each with its own baseline hazard", strings.Join(segs, ", "))
	}
	fmt.Fprintf(w, "  model: months since signup, each subscription at risk from its customer's last answer or ticket reply (late entry); Efron ties; %s\n", strata)
	var docs []string
	if in.useNPS {
		docs = append(docs, "last NPS category (promoters 9-10 the reference)")
	}
	if in.useTickets {
		docs = append(docs, "contacted = any ticket; reply = log2(1 + median wall-clock hours to the first reply of their answered tickets), 0 without tickets")
	}
	fmt.Fprintf(w, "  covariates: %s\n", strings.Join(docs, "; "))
	if len(res.dropped) > 0 {
		fmt.Fprintf(w, "  left out of the model, the same for every fitted subscription: %s\n", strings.Join(res.dropped, ", "))
	}
	fmt.Fprintf(w, "  n = %d subscriptions, %.0f churned; concordance %.3f; likelihood-ratio χ² = %.2f on %d df, %s\n",
		m.N, m.Events, m.Concordance, m.LikelihoodRatio.ChiSquare, m.LikelihoodRatio.DF, pValue(m.LikelihoodRatio.P))
	fmt.Fprintf(w, "  %-20s %6s  %-16s  %s\n", "covariate", "HR", "95% interval", "p (Wald)")
	for _, h := range res.hrs {
		fmt.Fprintf(w, "  %-20s %6.2f  [%5.2f, %5.2f]  %s\n", h.Name, h.Ratio, h.Interval.Lower, h.Interval.Upper, pValue(h.P))
	}
	ph := m.PH
	if math.IsNaN(ph.Global.P) {
		fmt.Fprintf(w, "  proportional hazards (cox.zph, km transform): the test is not defined on these data (e.g. all churn at one time)\n")
	} else {
		fmt.Fprintf(w, "  proportional hazards (cox.zph, km transform): global χ² = %.2f on %d df, %s", ph.Global.ChiSquare, ph.Global.DF, pValue(ph.Global.P))
	}
	var bad []string
	for _, t := range ph.Covariates {
		if t.P < 0.05 {
			bad = append(bad, fmt.Sprintf("%s (%s)", t.Name, pValue(t.P)))
		}
	}
	switch {
	case math.IsNaN(ph.Global.P):
	case len(bad) == 0:
		fmt.Fprintf(w, "; no covariate below p = 0.05: no evidence that the ratios change with tenure\n")
	default:
		fmt.Fprintf(w, "; the ratio may change with tenure for %s: read it as an average over time\n", strings.Join(bad, ", "))
	}
	fmt.Fprintf(w, "  In plain words (the risk of leaving at any given time, the other covariates held fixed):\n")
	for _, h := range res.hrs {
		fmt.Fprintf(w, "  - %s\n", plain(h))
	}
	if c, ok := contactedAt(res, in.medianReply); ok {
		fmt.Fprintf(w, "  - at the median first reply of contacted customers (%.1f h), contacting support goes with %s risk of leaving: %.2f [%.2f, %.2f] times that of customers who never contacted support\n",
			in.medianReply, moreLess(c.Ratio), c.Ratio, c.Interval.Lower, c.Interval.Upper)
	}
	fmt.Fprintf(w, "  These are associations in observational data, not proof that fixing one would keep the customer.\n")
	return nil
}

// plain is a covariate's hazard ratio in a sentence.
func plain(h churn.HazardRatio) string {
	var s string
	switch h.Name {
	case covDetractor, covPassive:
		who := map[string]string{covDetractor: "a detractor (NPS 0-6)", covPassive: "a passive (NPS 7-8)"}[h.Name]
		s = fmt.Sprintf("%s is %.2f times as likely to leave as a promoter (9-10)", who, h.Ratio)
	case covNoNPS:
		s = fmt.Sprintf("a customer with tickets but no NPS answer is %.2f times as likely to leave as a promoter", h.Ratio)
	case covContacted:
		s = fmt.Sprintf("contacting support, with an immediate first reply, goes with %.2f times the risk of never contacting support", h.Ratio)
	case covReply:
		s = fmt.Sprintf("each step of slower first reply (median 0 → 1 → 3 → 7 → 15 h: each step doubles 1 + hours) multiplies the risk by %.2f", h.Ratio)
	default:
		s = fmt.Sprintf("%s: hazard ratio %.2f", h.Name, h.Ratio)
	}
	s += fmt.Sprintf(" (95%% %.2f-%.2f, %s)", h.Interval.Lower, h.Interval.Upper, pValue(h.P))
	if h.Interval.Lower <= 1 && h.Interval.Upper >= 1 {
		s += "; the interval includes 1: no clear difference"
	}
	return s
}

func moreLess(r float64) string {
	if r >= 1 {
		return "a higher"
	}
	return "a lower"
}

// contactedAt is the hazard ratio of a customer who contacted support and got a first reply
// of hours (the contacted and reply terms together), with its Wald interval from the fit's
// covariance.
func contactedAt(res *coxResult, hours float64) (churn.HazardRatio, bool) {
	c, r := slices.Index(res.names, covContacted), slices.Index(res.names, covReply)
	if c < 0 || r < 0 || hours <= 0 {
		return churn.HazardRatio{}, false
	}
	m := res.fit
	v := math.Log2(1 + hours)
	b := m.Coef[c] + v*m.Coef[r]
	se := math.Sqrt(m.Var[c][c] + 2*v*m.Var[c][r] + v*v*m.Var[r][r])
	z := distuv.UnitNormal.Quantile(0.975)
	h := churn.HazardRatio{Name: "contacted at the median reply", Coef: b, StdErr: se, Ratio: math.Exp(b), Z: b / se,
		P: 2 * distuv.UnitNormal.Survival(math.Abs(b/se))}
	h.Interval.Lower, h.Interval.Upper, h.Interval.Confidence = math.Exp(b-z*se), math.Exp(b+z*se), 0.95
	return h, true
}

// phP is a proportional-hazards test's p-value, or "not defined".
func phP(p float64) string {
	if math.IsNaN(p) {
		return "not defined"
	}
	return pValue(p)
}
