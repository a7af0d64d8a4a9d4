package churn_test

import (
	"fmt"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/churn"
)

// ExampleRevenueRetention: three months of monthly recurring revenue. In February one customer
// upgrades, one downgrades, one leaves and one joins.
func ExampleRevenueRetention() {
	at := func(m time.Month) time.Time { return time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC) }
	mrr := []churn.RevenueRecord{
		{Customer: "acme", Time: at(1), Revenue: 100},
		{Customer: "globex", Time: at(1), Revenue: 50},
		{Customer: "initech", Time: at(1), Revenue: 30},
		{Customer: "acme", Time: at(2), Revenue: 120},  // expansion +20
		{Customer: "globex", Time: at(2), Revenue: 40}, // contraction −10
		{Customer: "hooli", Time: at(2), Revenue: 60},  // new
		{Customer: "acme", Time: at(3), Revenue: 120},  // flat
		{Customer: "globex", Time: at(3), Revenue: 40}, // flat
		{Customer: "hooli", Time: at(3), Revenue: 90},  // expansion +30
	}
	rows, err := churn.RevenueRetention(mrr, cxkit.Month, nil)
	if err != nil {
		panic(err)
	}
	for _, r := range rows {
		fmt.Printf("%s base %3.0f  +%2.0f −%2.0f churned %2.0f new %2.0f → %3.0f  GRR %5.1f%%  NRR %5.1f%%\n",
			r.Key, r.Starting, r.Expansion, r.Contraction, r.Churned, r.New, r.Ending, 100*r.GRR, 100*r.NRR)
	}
	// Output:
	// 2026-02 base 180  +20 −10 churned 30 new 60 → 220  GRR  77.8%  NRR  88.9%
	// 2026-03 base 220  +30 − 0 churned  0 new  0 → 250  GRR 100.0%  NRR 113.6%
}
