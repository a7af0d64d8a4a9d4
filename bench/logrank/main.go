// Command logrankbench is the Go side of bench/logrank: it writes (-gen) 1e6 subjects in two
// groups as CSV (duration,churned,group), or reads them and times churn.LogRankTest on the two
// groups and churn.KaplanMeier on all subjects, alternately, in one run. See README.md.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit/churn"
)

func main() {
	path := flag.String("o", "/tmp/logrank_1m.csv", "CSV file")
	gen := flag.Bool("gen", false, "write the data set and exit")
	n := flag.Int("n", 1_000_000, "subjects (half in each group)")
	flag.Parse()
	if *gen {
		r := rand.New(rand.NewPCG(2026, 18))
		f, err := os.Create(*path)
		if err != nil {
			log.Fatal(err)
		}
		w := bufio.NewWriter(f)
		fmt.Fprintln(w, "duration,churned,group")
		for i := 0; i < *n; i++ {
			g := i % 2
			mean := 24.0 + 4*float64(g) // group 1 lives a little longer
			life := -mean * math.Log(1-r.Float64())
			obs := 36 * r.Float64()
			e := 0
			if life <= obs {
				e = 1
			}
			fmt.Fprintf(w, "%s,%d,%d\n", strconv.FormatFloat(math.Min(life, obs), 'g', -1, 64), e, g)
		}
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
		return
	}
	f, err := os.Open(*path)
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	var groups [2][]churn.Subject
	var all []churn.Subject
	for line := 1; sc.Scan(); line++ {
		if line == 1 {
			continue
		}
		p := strings.Split(sc.Text(), ",")
		if len(p) != 3 {
			log.Fatalf("%s:%d: want duration,churned,group", *path, line)
		}
		d, err := strconv.ParseFloat(p[0], 64)
		if err != nil {
			log.Fatalf("%s:%d: %v", *path, line, err)
		}
		s := churn.Subject{Duration: d, Churned: p[1] == "1"}
		g := 0
		if p[2] == "1" {
			g = 1
		}
		groups[g] = append(groups[g], s)
		all = append(all, s)
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	t0 := time.Now()
	lr, err := churn.LogRankTest(groups[0], groups[1])
	dl := time.Since(t0)
	if err != nil {
		log.Fatal(err)
	}
	t0 = time.Now()
	if _, err := churn.KaplanMeier(all); err != nil {
		log.Fatal(err)
	}
	dk := time.Since(t0)
	fmt.Printf("go LogRankTest: %.4f s  KaplanMeier (all %d): %.4f s  logrank/KM %.2f  chisq %.6f p %.3g\n",
		dl.Seconds(), len(all), dk.Seconds(), dl.Seconds()/dk.Seconds(), lr.ChiSquare, lr.P)
}
