// Command cxreport prints a customer-experience report from survey responses: the Net Promoter
// Score with its uncertainty, its monthly trend and its breakdown by channel and segment; CSAT
// (1-5, satisfied = 4-5) and CES 2.0 (1-7, easy = 5-7) with their Wilson and Student t
// intervals, monthly trends and channel breakdowns; and the sections of the other cxkit
// packages.
//
// Run it on the embedded sample data (733 synthetic survey responses, January to June 2026):
//
//	go run ./examples/cxreport
//
// or on your own CSV file with the same header
// (response_id,date,channel,segment,nps,csat,ces; date as YYYY-MM-DD; an empty rating cell means
// the question was not answered):
//
//	go run ./examples/cxreport -survey responses.csv
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/responsetime"
)

//go:embed data/survey.csv
var sampleSurvey []byte

//go:embed data/tickets.csv
var sampleTickets []byte

//go:embed data/subscriptions.csv
var sampleSubscriptions []byte

//go:embed data/transactions.csv
var sampleTransactions []byte

// sampleNow is the instant the embedded sample was exported: SLA clocks still open are read
// at it.
var sampleNow = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// inputs names the data files; an empty path means the embedded sample.
type inputs struct {
	survey, tickets, subscriptions, transactions string
	now                                          time.Time // when open SLA clocks are read
	minN                                         float64
	cac                                          float64 // customer acquisition cost
}

func main() {
	in := inputs{now: sampleNow}
	flag.StringVar(&in.survey, "survey", "", "survey CSV (default: the embedded sample)")
	flag.StringVar(&in.tickets, "tickets", "", "support tickets CSV (default: the embedded sample)")
	flag.StringVar(&in.subscriptions, "subscriptions", "", "subscriptions CSV (default: the embedded sample)")
	flag.StringVar(&in.transactions, "transactions", "", "purchases CSV (default: the embedded sample)")
	flag.Float64Var(&in.cac, "cac", 40, "customer acquisition cost, for the simple CLV formula")
	flag.Float64Var(&in.minN, "min", 30, "groups with fewer (effective) responses are flagged as too small")
	flag.Parse()
	if in.tickets != "" || in.subscriptions != "" || in.transactions != "" {
		in.now = time.Now()
	}

	if err := run(os.Stdout, in); err != nil {
		fmt.Fprintln(os.Stderr, "cxreport:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, in inputs) error {
	var responses []response
	source, err := load(in.survey, sampleSurvey, func(r io.Reader) (err error) {
		responses, err = readSurvey(r)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "CX REPORT — %d survey responses from %s\n", len(responses), source)
	if err := npsSection(w, responses, in.minN); err != nil {
		return err
	}
	if err := csatSection(w, responses, in.minN); err != nil {
		return err
	}
	if err := cesSection(w, responses, in.minN); err != nil {
		return err
	}

	var tickets []responsetime.Query
	if _, err := load(in.tickets, sampleTickets, func(r io.Reader) (err error) {
		tickets, err = readTickets(r)
		return err
	}); err != nil {
		return err
	}
	if err := responseTimeSection(w, tickets, in.now); err != nil {
		return err
	}

	var subs []subscription
	if _, err := load(in.subscriptions, sampleSubscriptions, func(r io.Reader) (err error) {
		subs, err = readSubscriptions(r)
		return err
	}); err != nil {
		return err
	}
	if err := churnSection(w, subs, in.now); err != nil {
		return err
	}

	var tx []clv.Transaction
	if _, err := load(in.transactions, sampleTransactions, func(r io.Reader) (err error) {
		tx, err = readTransactions(r)
		return err
	}); err != nil {
		return err
	}
	return clvSection(w, tx, in.now, in.cac)
}

// load parses the file at path, or the embedded sample when path is empty, and returns the
// name of the source. Errors name the source.
func load(path string, sample []byte, parse func(io.Reader) error) (string, error) {
	var r io.Reader = bytes.NewReader(sample)
	source := "embedded sample (synthetic)"
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		r, source = f, path
	}
	if err := parse(r); err != nil {
		return "", fmt.Errorf("%s: %w", source, err)
	}
	return source, nil
}
