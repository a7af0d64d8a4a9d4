// Command cxreport prints a customer-experience report from survey responses: the Net Promoter
// Score with its uncertainty, its monthly trend and its breakdown by channel and segment, and the
// sections of the other cxkit packages.
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
)

//go:embed data/survey.csv
var sampleSurvey []byte

func main() {
	surveyPath := flag.String("survey", "", "survey CSV (default: the embedded sample)")
	minN := flag.Float64("min", 30, "groups with fewer (effective) responses are flagged as too small")
	flag.Parse()

	if err := run(os.Stdout, *surveyPath, *minN); err != nil {
		fmt.Fprintln(os.Stderr, "cxreport:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, surveyPath string, minN float64) error {
	var in io.Reader = bytes.NewReader(sampleSurvey)
	source := "embedded sample (synthetic)"
	if surveyPath != "" {
		f, err := os.Open(surveyPath)
		if err != nil {
			return err
		}
		defer f.Close()
		in, source = f, surveyPath
	}
	responses, err := readSurvey(in)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	fmt.Fprintf(w, "CX REPORT — %d survey responses from %s\n", len(responses), source)
	return npsSection(w, responses, minN)
}
