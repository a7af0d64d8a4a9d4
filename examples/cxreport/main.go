// Command cxreport prints a customer-experience report: the Net Promoter Score with its
// uncertainty, monthly trend and breakdowns; CSAT and CES with their intervals; first-response
// and resolution times in business hours with SLAs; churn, survival curves by segment, a
// retention projection, and a Cox regression of churn on the customer's last NPS category,
// support contacts and first-reply time (survey, tickets and subscriptions joined by customer
// ID); customer lifetime value; and the customer journey (scores per
// touchpoint and persona, pain points, funnel, attribution, Mermaid journey). With -html FILE
// it also writes one self-contained page with the charts (inline SVG drawn by gonum/plot).
//
// Run it on the embedded sample data (synthetic, exported on 2026-07-01):
//
//	go run ./examples/cxreport
//
// or on a folder of your own CSV files, named and laid out as `-h` lists them (survey.csv,
// tickets.csv, subscriptions.csv, transactions.csv, and for the journey section touchpoints.csv,
// personas.csv and journey_events.csv; read by package csvload):
//
//	go run ./examples/cxreport -data DIR -asof 2026-07-01 -tz Europe/London -holidays GB
//
// To try it on dirty files, write the sample with 1% bad rows and read it back:
//
//	go run ./examples/cxreport -export-sample /tmp/cx -bad 0.01
//	go run ./examples/cxreport -data /tmp/cx -asof 2026-07-01
//
// Bad rows are skipped and counted (the report's first lines say how many, why, and where);
// -strict stops at the first one instead. The report never reads the machine's clock: the
// "as of" instant is -asof, or the sample's export date, or the latest timestamp in the data.
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/csvload"
	"github.com/cxkit/cxkit/journey"
)

//go:embed data/survey.csv
var sampleSurvey []byte

//go:embed data/tickets.csv
var sampleTickets []byte

//go:embed data/subscriptions.csv
var sampleSubscriptions []byte

//go:embed data/transactions.csv
var sampleTransactions []byte

//go:embed data/touchpoints.csv
var sampleTouchpoints []byte

//go:embed data/personas.csv
var samplePersonas []byte

//go:embed data/journey_events.csv
var sampleEvents []byte

// sampleNow is the instant the embedded sample was exported.
var sampleNow = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// noAnswer marks an unanswered question.
const noAnswer = csvload.NoAnswer

// response and subscription are the loader's rows.
type (
	response     = csvload.Response
	subscription = csvload.Subscription
)

// inputs are the command's settings.
type inputs struct {
	dir                                          string
	survey, tickets, subscriptions, transactions string // "" = embedded sample (or dir's file)
	asOf                                         string
	strict                                       bool
	sched                                        schedule
	minN                                         float64
	cac                                          float64 // customer acquisition cost
	progress                                     io.Writer
	html                                         string // -html FILE: also write the HTML report there
}

func main() {
	in := inputs{progress: os.Stderr}
	flag.StringVar(&in.dir, "data", "", "folder of CSV files, each read by its documented name (see below)")
	flag.StringVar(&in.survey, "survey", "", "survey CSV (overrides -data; default: the embedded sample)")
	flag.StringVar(&in.tickets, "tickets", "", "support tickets CSV (overrides -data)")
	flag.StringVar(&in.subscriptions, "subscriptions", "", "subscriptions CSV (overrides -data)")
	flag.StringVar(&in.transactions, "transactions", "", "purchases CSV (overrides -data)")
	flag.StringVar(&in.asOf, "asof", "", "when the data were exported, YYYY-MM-DD or RFC 3339 (default: the sample's date, or the latest timestamp in the data)")
	flag.BoolVar(&in.strict, "strict", false, "stop at the first bad row instead of skipping and counting bad rows")
	flag.StringVar(&in.sched.tz, "tz", "America/New_York", "support team's time zone (IANA name)")
	flag.StringVar(&in.sched.holidays, "holidays", "US", "support team's country for national holidays: "+countryCodes()+" or none")
	flag.StringVar(&in.sched.hours, "hours", "09:00-17:00", "support team's working hours, Monday to Friday")
	flag.StringVar(&in.html, "html", "", "also write the report with its charts (inline SVG, no network needed) to this HTML file")
	flag.Float64Var(&in.cac, "cac", 40, "customer acquisition cost, for the simple CLV formula")
	flag.Float64Var(&in.minN, "min", 30, "groups with fewer (effective) responses are flagged as too small")
	export := flag.String("export-sample", "", "write the embedded sample's CSV files into this folder (with -bad) and exit")
	badShare := flag.Float64("bad", 0, "with -export-sample: share of rows made bad (e.g. 0.01), chosen with a seeded generator")
	seed := flag.Uint64("seed", 1, "with -export-sample: the generator's seed")
	flag.Usage = usage
	flag.Parse()
	if *export != "" {
		if err := exportSample(*export, *badShare, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "cxreport:", err)
			os.Exit(1)
		}
		return
	}
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "cxreport: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	if err := run(os.Stdout, in); err != nil {
		fmt.Fprintln(os.Stderr, "cxreport:", err)
		os.Exit(1)
	}
}

func usage() {
	w := flag.CommandLine.Output()
	fmt.Fprintf(w, "Usage: cxreport [flags]\n\nWith no flags, the report on the embedded sample. Flags:\n")
	flag.PrintDefaults()
	fmt.Fprintf(w, "\nFiles (in -data DIR, or named by their flag). Columns are found by name in the header\n"+
		"(any order; extra columns ignored; BOM and CRLF accepted); * marks a required column.\n")
	for _, l := range csvload.Layouts() {
		fmt.Fprintf(w, "\n%s — %s\n", l.File, l.Kind)
		for _, c := range l.Columns {
			mark := " "
			if c.Required {
				mark = "*"
			}
			fmt.Fprintf(w, "  %s %-15s %s\n", mark, c.Name, c.Doc)
		}
		fmt.Fprintf(w, "  example:\n    %s\n", strings.ReplaceAll(l.Example, "\n", "\n    "))
	}
}

// source is one input file: the flag's path, the -data folder's file, or the embedded sample.
type source struct {
	name   string // shown in the report and in bad-row examples
	path   string // "" = embedded
	sample []byte
	absent bool // in -data mode, the folder has no such file: the section is skipped
}

func pick(flagPath, dir, file string, sample []byte) (source, error) {
	switch {
	case flagPath != "":
		return source{name: flagPath, path: flagPath}, nil
	case dir != "":
		p := filepath.Join(dir, file)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			return source{name: p, absent: true}, nil
		} else if err != nil {
			return source{}, err
		}
		return source{name: p, path: p}, nil
	}
	return source{name: "embedded " + file, sample: sample}, nil
}

// open calls read on the source's content.
func (s source) open(read func(io.Reader) error) error {
	if s.path == "" {
		return read(bytes.NewReader(s.sample))
	}
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f)
}

// data is every input, read before anything is printed.
type data struct {
	responses []response
	tickets   []csvload.Ticket
	subs      []subscription
	tx        []clv.Transaction
	jmap      *journey.Map // nil without touchpoints.csv
	events    []csvload.JourneyEvent
	jrep      *journey.Report // the journey analysis, once the report has run
	cox       *coxResult      // the churn section's Cox fit, once the report has run
	sources   [7]source       // survey, tickets, subscriptions, transactions, touchpoints, personas, journey events
	sums      []csvload.Summary
}

func load(in inputs) (*data, error) {
	var d data
	var err error
	for i, s := range []struct{ flag, file string }{{in.survey, "survey.csv"}, {in.tickets, "tickets.csv"},
		{in.subscriptions, "subscriptions.csv"}, {in.transactions, "transactions.csv"},
		{"", "touchpoints.csv"}, {"", "personas.csv"}, {"", "journey_events.csv"}} {
		sample := [][]byte{sampleSurvey, sampleTickets, sampleSubscriptions, sampleTransactions,
			sampleTouchpoints, samplePersonas, sampleEvents}[i]
		if d.sources[i], err = pick(s.flag, in.dir, s.file, sample); err != nil {
			return nil, err
		}
	}
	if in.dir != "" && d.sources[0].absent && d.sources[1].absent && d.sources[2].absent && d.sources[3].absent && d.sources[4].absent {
		return nil, fmt.Errorf("-data %s: none of survey.csv, tickets.csv, subscriptions.csv, transactions.csv is there (see -h)", in.dir)
	}
	opt := func(s source) csvload.Options {
		o := csvload.Options{File: s.name, Policy: csvload.Skip}
		if in.strict {
			o.Policy = csvload.Strict
		}
		return o
	}
	steps := []func(io.Reader) (csvload.Summary, error){
		func(r io.Reader) (s csvload.Summary, err error) {
			d.responses, s, err = csvload.LoadSurvey(r, csvload.SurveyOptions{Options: opt(d.sources[0]), CSATScale: csatScale, CESScale: cesScale})
			return s, err
		},
		func(r io.Reader) (s csvload.Summary, err error) {
			d.tickets, s, err = csvload.LoadTickets(r, opt(d.sources[1]))
			return s, err
		},
		func(r io.Reader) (s csvload.Summary, err error) {
			d.subs, s, err = csvload.LoadSubscriptions(r, opt(d.sources[2]))
			return s, err
		},
		func(r io.Reader) (s csvload.Summary, err error) {
			d.tx, s, err = csvload.LoadTransactions(r, opt(d.sources[3]))
			return s, err
		},
	}
	if !d.sources[6].absent {
		steps = append(steps, nil, nil, func(r io.Reader) (s csvload.Summary, err error) {
			d.events, s, err = csvload.LoadJourneyEvents(r, opt(d.sources[6]))
			return s, err
		})
	}
	for i, step := range steps {
		src := d.sources[i]
		if src.absent || step == nil {
			continue
		}
		if src.path != "" {
			fmt.Fprintf(in.progress, "cxreport: reading %s\n", src.name)
		}
		if err := src.open(func(r io.Reader) error {
			s, err := step(r)
			if err == nil && s.Rows == 0 {
				err = fmt.Errorf("%s: no usable rows (%d bad)", src.name, s.Bad)
			}
			d.sums = append(d.sums, s)
			return err
		}); err != nil {
			return nil, err
		}
	}
	if tp := d.sources[4]; !tp.absent {
		err := tp.open(func(r io.Reader) error {
			var personas io.Reader
			ps := d.sources[5]
			if !ps.absent {
				if ps.path == "" {
					personas = bytes.NewReader(ps.sample)
				} else {
					f, err := os.Open(ps.path)
					if err != nil {
						return err
					}
					defer f.Close()
					personas = f
				}
			}
			m, err := csvload.LoadMap(r, personas, csvload.Options{File: tp.name}, ps.name)
			d.jmap = &m
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return &d, nil
}

// asOf is the -asof flag, or the sample's export date when every input is the embedded
// sample, or the latest timestamp in the data; the second result says which.
func asOf(flagValue string, loc *time.Location, d *data) (time.Time, string, error) {
	if flagValue != "" {
		t, err := time.ParseInLocation(time.DateOnly, flagValue, loc)
		if err != nil {
			if t, err = time.Parse(time.RFC3339, flagValue); err != nil {
				return time.Time{}, "", fmt.Errorf("-asof %q: want YYYY-MM-DD or an RFC 3339 instant", flagValue)
			}
		}
		return t, "-asof", nil
	}
	embedded := true
	for _, s := range d.sources {
		if s.path != "" || s.absent {
			embedded = false
		}
	}
	if embedded {
		return sampleNow, "the sample's export date", nil
	}
	var latest time.Time
	for _, s := range d.sums {
		if s.Latest.After(latest) {
			latest = s.Latest
		}
	}
	return latest, "the latest timestamp in the data; set -asof to the export date", nil
}

func run(w io.Writer, in inputs) error {
	if err := in.sched.build(); err != nil {
		return err
	}
	if in.progress == nil {
		in.progress = io.Discard
	}
	d, err := load(in)
	if err != nil {
		return err
	}
	now, why, err := asOf(in.asOf, in.sched.hrs.Location, d)
	if err != nil {
		return err
	}
	// The report is built in memory and written only when every section succeeded.
	var b bytes.Buffer
	fmt.Fprintf(&b, "CX REPORT — as of %s (%s)\n", now.Format(time.DateOnly), why)
	badRows(&b, d.sums, in.strict)
	if !d.sources[0].absent {
		fmt.Fprintf(&b, "\n%d survey responses from %s\n", len(d.responses), d.sources[0].name)
		var answered [3]int
		for _, r := range d.responses {
			for i, v := range []int{r.NPS, r.CSAT, r.CES} {
				if v != noAnswer {
					answered[i]++
				}
			}
		}
		for i, sec := range []func(io.Writer, []response, float64) error{npsSection, csatSection, cesSection} {
			if answered[i] == 0 {
				fmt.Fprintf(&b, "\n(no %s answers in %s)\n", []string{"NPS", "CSAT", "CES"}[i], d.sources[0].name)
				continue
			}
			if err := sec(&b, d.responses, in.minN); err != nil {
				return err
			}
		}
	}
	if !d.sources[1].absent {
		if err := responseTimeSection(&b, csvload.Queries(d.tickets), now, in.sched); err != nil {
			return err
		}
	}
	if !d.sources[2].absent {
		if err := churnSection(&b, d.subs, now); err != nil {
			return err
		}
		d.cox = fitCox(joinCox(d.subs, d.responses, d.tickets, now, !d.sources[0].absent, !d.sources[1].absent))
		if err := coxSection(&b, d.cox); err != nil {
			return err
		}
	}
	if !d.sources[3].absent {
		fmt.Fprintf(in.progress, "cxreport: fitting the lifetime-value models\n")
		if err := clvSection(&b, d.tx, now, in.cac); err != nil {
			return err
		}
	}
	if d.jmap != nil {
		fmt.Fprintf(in.progress, "cxreport: analysing the journey\n")
		if d.jrep, err = journeySection(&b, *d.jmap, d.responses, d.events, now, in.minN, in.strict); err != nil {
			return err
		}
	}
	for _, s := range d.sources[:4] {
		if s.absent {
			fmt.Fprintf(&b, "\n(%s not found: its section is left out)\n", s.name)
		}
	}
	if in.html != "" {
		fmt.Fprintf(in.progress, "cxreport: drawing the charts\n")
		var h bytes.Buffer
		if err := writeHTML(&h, b.String(), d, now, in.minN); err != nil {
			return err
		}
		if err := os.WriteFile(in.html, h.Bytes(), 0o644); err != nil {
			return err
		}
	}
	_, err = w.Write(b.Bytes())
	return err
}

// badRows writes the bad-row summary: how many rows each file lost, why, and where.
func badRows(w io.Writer, sums []csvload.Summary, strict bool) {
	total, bad := 0, 0
	for _, s := range sums {
		total += s.Rows + s.Bad
		bad += s.Bad
	}
	if strict {
		fmt.Fprintf(w, "Bad rows: none (-strict: the first bad row would have stopped the report)\n")
		return
	}
	if bad == 0 {
		fmt.Fprintf(w, "Bad rows: none in %d rows read\n", total)
		return
	}
	fmt.Fprintf(w, "Bad rows: %d of %d rows read (%.1f%%) skipped and counted; -strict stops at the first instead\n",
		bad, total, 100*float64(bad)/float64(total))
	for _, s := range sums {
		if s.Bad == 0 {
			continue
		}
		var why []string
		for _, r := range s.Reasons {
			why = append(why, fmt.Sprintf("%s (%d)", r.Reason, r.Count))
		}
		fmt.Fprintf(w, "  %s: %d of %d rows skipped: %s\n", s.File, s.Bad, s.Rows+s.Bad, strings.Join(why, ", "))
		for i, e := range s.Examples {
			if i == 3 {
				break
			}
			fmt.Fprintf(w, "    %v\n", e)
		}
	}
}

// pValue prints a p-value, as "p < 0.001" below 0.001.
func pValue(p float64) string {
	if p < 0.001 {
		return "p < 0.001"
	}
	return fmt.Sprintf("p = %.3f", p)
}
