// Command gen writes the shared benchmark data set of bench/churn as CSV.
//
//	go run ./bench/churn/gen -n 1000000 -seed 2026 -o /tmp/churn_1m.csv
package main

import (
	"flag"
	"log"
	"os"

	churnbench "github.com/cxkit/cxkit/bench/churn"
)

func main() {
	n := flag.Int("n", 1_000_000, "number of subjects")
	seed := flag.Uint64("seed", 2026, "random seed")
	out := flag.String("o", "/tmp/churn_1m.csv", "output CSV path")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := churnbench.WriteCSV(f, churnbench.Generate(*n, *seed)); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
