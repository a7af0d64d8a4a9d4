package csvload_test

import (
	"fmt"
	"strings"

	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/csvload"
	"github.com/cxkit/cxkit/nps"
)

// Read a survey export with one bad row, skipping and counting it, and score NPS.
func Example() {
	data := "response_id,date,nps,comment\n" +
		"R1,2026-01-02,10,great\n" +
		"R2,2026-01-02,11,typo\n" +
		"R3,2026-01-03,6,slow\n" +
		"R4,2026-01-03,9,\n"
	rs, sum, err := csvload.LoadSurvey(strings.NewReader(data), csvload.SurveyOptions{
		Options: csvload.Options{File: "survey.csv", Policy: csvload.Skip}})
	if err != nil {
		panic(err)
	}
	var t nps.Tally
	for _, r := range rs {
		if r.NPS != csvload.NoAnswer {
			_ = t.Add(r.NPS)
		}
	}
	res, _ := t.Result()
	fmt.Printf("%d rows, %d skipped: %v\n", sum.Rows, sum.Bad, sum.Examples[0])
	fmt.Println(res)
	// Output:
	// 3 rows, 1 skipped: survey.csv:3: column nps: "11": nps rating off 0..10
	// NPS 33.3 (n=3: 67% promoters, 0% passives, 33% detractors)
}

// A strict read stops at the first bad row with an error naming file, line, column and value.
func ExampleReadTransactions() {
	data := "customer,date,amount\nU1,2026-01-02,12.50\nU2,2026-01-03,-4\n"
	var total float64
	_, err := csvload.ReadTransactions(strings.NewReader(data), csvload.Options{File: "transactions.csv"},
		func(t clv.Transaction) error { total += t.Amount; return nil })
	fmt.Println(total, err)
	// Output:
	// 12.5 transactions.csv:3: column amount: "-4": amount is negative
}

// Read a journey map (touchpoints with their stages, and personas) from its two files.
func ExampleLoadMap() {
	tps := "stage,id,name,channel\nawareness,ad,Social ad,social\npurchase,checkout,Checkout,web\n"
	ps := "id,name,needs\nsenior,Careful senior,larger fonts;fewer steps\n"
	m, err := csvload.LoadMap(strings.NewReader(tps), strings.NewReader(ps), csvload.Options{File: "touchpoints.csv"}, "personas.csv")
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Stages, len(m.Touchpoints), m.Personas[0].Label(), m.Personas[0].Needs)
	// Output:
	// [awareness purchase] 2 Careful senior [larger fonts fewer steps]
}
