// Command gen writes the journey part of cxreport's embedded sample, from a seeded generator,
// into ../data (run it from examples/cxreport/gen: `go run .`):
//
//   - touchpoints.csv: 12 touchpoints across the seven default stages;
//   - personas.csv: 4 personas;
//   - survey.csv: the existing responses with persona, touchpoint and customer columns added (the
//     ratings and dates are unchanged; low ratings are assigned more often to the two
//     touchpoints that the sample makes painful, "billing" and "support-phone", so that the
//     report has pain points to find); the customer IDs are those of subscriptions.csv, and
//     the segment column is the customer's subscription's;
//   - tickets.csv and subscriptions.csv (link.go): the tickets get a customer column (the
//     same IDs), and every subscription's end is redrawn from a planted churn model in which
//     detractors, customers who contacted support and slow first replies raise the hazard of
//     leaving — what the report's Cox section finds (the tickets' times and the
//     subscriptions' starts, segments and plans are unchanged);
//   - journey_events.csv: 1,500 customers' event paths through the touchpoints, of which
//     reaching "checkout" is the conversion.
package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

var touchpoints = [][4]string{ // stage, id, name, channel
	{"awareness", "ad", "Social ad", "social"},
	{"awareness", "search", "Search result", "web"},
	{"consideration", "site", "Product pages", "web"},
	{"consideration", "reviews", "Reviews", "web"},
	{"purchase", "checkout", "Checkout", "web"},
	{"onboarding", "welcome", "Welcome e-mail", "email"},
	{"onboarding", "setup", "Account setup", "app"},
	{"use/support", "app", "Daily use in the app", "app"},
	{"use/support", "support-chat", "Support chat", "chat"},
	{"use/support", "support-phone", "Support hotline", "phone"},
	{"renewal", "billing", "Renewal invoice", "email"},
	{"advocacy", "referral", "Referral programme", "email"},
}

var personas = [][5]string{ // id, name, description, needs, attributes
	{"pragmatist", "Busy pragmatist", "wants it done fast", "few steps;self-service", "age=30-50"},
	{"senior", "Careful senior", "reads everything, calls when unsure", "larger fonts;fewer steps;phone support", "age=65+"},
	{"techie", "Power user", "explores every feature", "API;keyboard shortcuts", "age=20-40"},
	{"buyer", "Procurement buyer", "buys for a team", "invoices;volume pricing", "segment=enterprise"},
}

func main() {
	rnd := rand.New(rand.NewPCG(2026, 7))
	dir := filepath.Join("..", "data")
	write := func(name string, rows [][]string) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			panic(err)
		}
		w := csv.NewWriter(f)
		if err := w.WriteAll(rows); err != nil {
			panic(err)
		}
		if err := f.Close(); err != nil {
			panic(err)
		}
	}
	rows := [][]string{{"stage", "id", "name", "channel"}}
	for _, t := range touchpoints {
		rows = append(rows, t[:])
	}
	write("touchpoints.csv", rows)
	rows = [][]string{{"id", "name", "description", "needs", "attributes"}}
	for _, p := range personas {
		rows = append(rows, p[:])
	}
	write("personas.csv", rows)

	// The survey: keep every column, add persona and touchpoint (replacing earlier ones).
	f, err := os.Open(filepath.Join(dir, "survey.csv"))
	if err != nil {
		panic(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		panic(err)
	}
	head := recs[0][:7] // response_id,date,channel,segment,nps,csat,ces
	out := [][]string{append(append([]string{}, head...), "persona", "touchpoint")}
	surveyed := []string{"site", "checkout", "welcome", "setup", "app", "support-chat", "support-phone", "billing", "referral"}
	for _, r := range recs[1:] {
		r = r[:7]
		persona := personas[rnd.IntN(len(personas))][0]
		tp := surveyed[rnd.IntN(len(surveyed))]
		low := r[4] != "" && r[4] <= "6" && len(r[4]) == 1 // an NPS detractor
		if low && rnd.Float64() < 0.35 {
			tp = []string{"billing", "support-phone"}[rnd.IntN(2)]
			if tp == "support-phone" && rnd.Float64() < 0.5 {
				persona = "senior"
			}
		}
		out = append(out, append(r, persona, tp))
	}
	// Customers: the k-th answer at each touchpoint comes from panel customer k (k ≤ 35),
	// so the panel has rated every surveyed
	// touchpoint — what the key-driver analysis needs (the relation between each touchpoint's
	// satisfaction and the likelihood to recommend); every further answer comes from a customer
	// of its own. link then gives these customers subscriptions and tickets.
	seen := map[string]int{}
	rank := make([]int, len(out))
	for i := 1; i < len(out); i++ {
		tp := out[i][8]
		seen[tp]++
		rank[i] = seen[tp]
	}
	// 35 panel customers: enough for the key drivers (the report's -min is 30); the more
	// customers of their own, the more surveyed customers the Cox section has.
	panel := 35
	for _, tp := range surveyed {
		panel = min(panel, seen[tp])
	}
	keys := make([]string, len(out))
	for i := 1; i < len(out); i++ {
		if rank[i] <= panel {
			keys[i] = fmt.Sprintf("panel %d", rank[i])
		} else {
			keys[i] = fmt.Sprintf("single %d", i)
		}
	}
	out[0] = append(out[0], "customer")
	subs, tickets := link(dir, out, keys)
	write("survey.csv", out)
	write("tickets.csv", tickets)
	write("subscriptions.csv", subs)

	// Journey events: awareness → consideration → checkout (conversion) → onboarding → use.
	rows = [][]string{{"customer", "persona", "touchpoint", "time"}}
	start := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	for c := 1; c <= 1500; c++ {
		id := fmt.Sprintf("K%04d", c)
		persona := personas[rnd.IntN(len(personas))][0]
		t := start.Add(time.Duration(rnd.IntN(150*24)) * time.Hour)
		step := func(tp string) {
			t = t.Add(time.Duration(1+rnd.IntN(72)) * time.Hour)
			rows = append(rows, []string{id, persona, tp, t.Format(time.RFC3339)})
		}
		step([]string{"ad", "search"}[rnd.IntN(2)])
		if rnd.Float64() < 0.3 {
			step([]string{"ad", "search"}[rnd.IntN(2)])
		}
		if rnd.Float64() < 0.25 {
			continue
		}
		step("site")
		if rnd.Float64() < 0.5 {
			step("reviews")
		}
		pBuy := map[string]float64{"pragmatist": 0.55, "senior": 0.35, "techie": 0.5, "buyer": 0.6}[persona]
		if rows[len(rows)-1][2] == "reviews" {
			pBuy += 0.15
		}
		if rnd.Float64() > pBuy {
			continue
		}
		step("checkout")
		step("welcome")
		if rnd.Float64() < 0.8 {
			step("setup")
			step("app")
		}
	}
	write("journey_events.csv", rows)
}
