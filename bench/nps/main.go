// Command npsbench is the Go side of bench/nps: it writes (-gen) or reads 1e8 ratings 0..10 as
// raw bytes and times nps.Score on them, and a plain copy of the same slice (the bandwidth
// reference). See README.md.
//
//	go run ./bench/nps -gen -o /tmp/nps_1e8.u8
//	go run ./bench/nps -o /tmp/nps_1e8.u8 -reps 1
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"runtime"
	"time"

	"github.com/cxkit/cxkit/nps"
)

func main() {
	path := flag.String("o", "/tmp/nps_1e8.u8", "raw uint8 file")
	gen := flag.Bool("gen", false, "write the data set and exit")
	n := flag.Int("n", 100_000_000, "ratings to generate")
	reps := flag.Int("reps", 1, "timed runs")
	flag.Parse()
	if *gen {
		r := rand.New(rand.NewPCG(2026, 16))
		x := make([]uint8, *n)
		for i := range x {
			x[i] = uint8(r.IntN(11))
		}
		if err := os.WriteFile(*path, x, 0o644); err != nil {
			log.Fatal(err)
		}
		return
	}
	x, err := os.ReadFile(*path)
	if err != nil {
		log.Fatal(err)
	}
	dst := make([]uint8, len(x))
	copy(dst, x) // fault the pages in before timing
	if _, err := nps.Score(x); err != nil {
		log.Fatal(err)
	}
	for range *reps {
		t0 := time.Now()
		res, err := nps.Score(x)
		ds := time.Since(t0)
		if err != nil {
			log.Fatal(err)
		}
		procs := runtime.GOMAXPROCS(1) // the serial count, for the parallel path's speed-up
		t0 = time.Now()
		if _, err := nps.Score(x); err != nil {
			log.Fatal(err)
		}
		d1 := time.Since(t0)
		runtime.GOMAXPROCS(procs)
		t0 = time.Now()
		copy(dst, x)
		dc := time.Since(t0)
		fmt.Printf("go nps.Score: %.4f s (%.2f GB/s; on 1 core %.4f s, %.2fx)  copy: %.4f s (%.2f GB/s read+write)  score fraction of copy bandwidth: %.0f%%  NPS %.6f\n",
			ds.Seconds(), float64(len(x))/ds.Seconds()/1e9, d1.Seconds(), d1.Seconds()/ds.Seconds(), dc.Seconds(), 2*float64(len(x))/dc.Seconds()/1e9,
			100*dc.Seconds()/2/ds.Seconds(), res.Score)
	}
}
