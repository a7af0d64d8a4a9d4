package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// corruptions are the bad cells exportSample writes: per file, a column and the values a
// dirty export typically holds there.
var corruptions = map[string]struct {
	column string
	values []string
}{
	"survey.csv":         {"nps", []string{"11", "n/a", "7.5", "-1"}},
	"tickets.csv":        {"first_response", []string{"yesterday", "2020-01-01T00:00:00Z"}},
	"subscriptions.csv":  {"start", []string{"soon", "2026-13-01"}},
	"transactions.csv":   {"amount", []string{"ten", "-5", "NaN"}},
	"journey_events.csv": {"time", []string{"later", ""}},
}

// exportSample writes the embedded sample's files into dir (the journey map's two files clean), replacing a cell of a share
// bad of the data rows (chosen with a seeded generator) by a bad value, and dropping the last
// cell of one bad row in five, so that the -data mode can be tried on dirty files.
func exportSample(dir string, bad float64, seed uint64) error {
	if bad < 0 || bad > 1 {
		return fmt.Errorf("-bad %v: want a share between 0 and 1", bad)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(seed, 13))
	for _, f := range []struct {
		name string
		data []byte
	}{{"survey.csv", sampleSurvey}, {"tickets.csv", sampleTickets},
		{"subscriptions.csv", sampleSubscriptions}, {"transactions.csv", sampleTransactions},
		{"journey_events.csv", sampleEvents}, {"touchpoints.csv", sampleTouchpoints}, {"personas.csv", samplePersonas}} {
		name, data := f.name, f.data
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			return err
		}
		col := -1
		for i, h := range recs[0] {
			if h == corruptions[name].column {
				col = i
			}
		}
		n := 0
		for i, rec := range recs {
			if col < 0 {
				break // the journey map: a designed file, read strictly, left clean
			}
			if i == 0 {
				continue // the header
			}
			if rnd.Float64() >= bad {
				continue
			}
			n++
			vs := corruptions[name].values
			rec[col] = vs[rnd.IntN(len(vs))]
			if rnd.IntN(5) == 0 {
				recs[i] = rec[:len(rec)-1]
			}
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		if err := w.WriteAll(recs); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "cxreport: wrote %s (%d rows, %d made bad)\n", filepath.Join(dir, name), len(recs)-1, n)
	}
	return nil
}
