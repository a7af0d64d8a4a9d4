// Package churnbench holds the side-by-side benchmark of churn.KaplanMeier against R
// survival's survfit: a generator for the shared data set and a Go benchmark that reads it.
// See README.md for the commands and the figures.
package churnbench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"github.com/cxkit/cxkit/churn"
)

// Generate draws n customers with exponential lifetimes (mean 24 months) censored by a uniform
// end of observation within 36 months; durations are continuous (months), so nearly every
// duration is distinct. The same seed gives the same subjects.
func Generate(n int, seed uint64) []churn.Subject {
	rng := rand.New(rand.NewPCG(seed, 6))
	s := make([]churn.Subject, n)
	for i := range s {
		life := -24 * math.Log(1-rng.Float64())
		obs := 36 * rng.Float64()
		s[i] = churn.Subject{Duration: math.Min(life, obs), Churned: life <= obs}
	}
	return s
}

// WriteCSV writes subjects as "duration,churned" rows (churned 1 or 0) with a header; the
// durations use the shortest representation that parses back to the same float64.
func WriteCSV(w io.Writer, subjects []churn.Subject) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "duration,churned")
	for _, s := range subjects {
		e := 0
		if s.Churned {
			e = 1
		}
		bw.WriteString(strconv.FormatFloat(s.Duration, 'g', -1, 64))
		fmt.Fprintf(bw, ",%d\n", e)
	}
	return bw.Flush()
}

// ReadCSV reads a file written by WriteCSV.
func ReadCSV(path string) ([]churn.Subject, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var out []churn.Subject
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue
		}
		d, e, ok := strings.Cut(sc.Text(), ",")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want duration,churned", path, line+1)
		}
		v, err := strconv.ParseFloat(d, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line+1, err)
		}
		out = append(out, churn.Subject{Duration: v, Churned: e == "1"})
	}
	return out, sc.Err()
}
