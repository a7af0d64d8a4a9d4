// Command rtbench is the Go side of bench/responsetime: it writes (-gen) or reads 1e7
// first-response durations (int64 nanoseconds, little-endian) and times responsetime.Tracker
// (AddAll on 1e7 queries held in memory, then p50/p90/p95/p99; then the same durations
// streamed, none held: Add on each query as it is built, and AddAll of a reused buffer filled in
// place) against an exact sort of the same durations. See README.md.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"time"

	"github.com/cxkit/cxkit/responsetime"
)

var qs = []float64{0.5, 0.9, 0.95, 0.99}

func main() {
	path := flag.String("o", "/tmp/rt_1e7.i64", "raw int64 nanosecond file")
	gen := flag.Bool("gen", false, "write the data set and exit")
	n := flag.Int("n", 10_000_000, "durations to generate")
	flag.Parse()
	if *gen {
		r := rand.New(rand.NewPCG(2026, 17))
		b := make([]byte, 8**n)
		for i := 0; i < *n; i++ { // log-normal around 2 h
			d := time.Duration(float64(2*time.Hour) * math.Exp(r.NormFloat64()))
			binary.LittleEndian.PutUint64(b[8*i:], uint64(d))
		}
		if err := os.WriteFile(*path, b, 0o644); err != nil {
			log.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(*path)
	if err != nil {
		log.Fatal(err)
	}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	q := make([]responsetime.Query, len(b)/8)
	d := make([]time.Duration, len(q))
	for i := range q {
		d[i] = time.Duration(binary.LittleEndian.Uint64(b[8*i:]))
		q[i] = responsetime.Query{Received: base, FirstResponse: base.Add(d[i])}
	}
	t0 := time.Now()
	var tr responsetime.Tracker
	if err := tr.AddAll(q); err != nil {
		log.Fatal(err)
	}
	got := quantiles(&tr)
	dt := time.Since(t0)
	// The streaming use the Tracker is for: each query built as it is read and passed to Add
	// (copied, as Add's by-value signature does), none held in memory.
	t0 = time.Now()
	var st responsetime.Tracker
	for _, x := range d {
		if err := st.Add(responsetime.Query{Received: base, FirstResponse: base.Add(x)}); err != nil {
			log.Fatal(err)
		}
	}
	sgot := quantiles(&st)
	dst := time.Since(t0)
	if !slices.Equal(got, sgot) {
		log.Fatalf("streamed Tracker gave %v, AddAll %v", sgot, got)
	}
	// The same stream decoded into a reused buffer of 256 queries, filled in place and passed
	// to AddAll: no query held beyond the buffer, none copied or built as a composite literal.
	t0 = time.Now()
	var bt responsetime.Tracker
	buf := make([]responsetime.Query, 256)
	k := 0
	flush := func() {
		if err := bt.AddAll(buf[:k]); err != nil {
			log.Fatal(err)
		}
		k = 0
	}
	for _, x := range d {
		buf[k].Received, buf[k].FirstResponse = base, base.Add(x)
		if k++; k == len(buf) {
			flush()
		}
	}
	flush()
	bgot := quantiles(&bt)
	dbt := time.Since(t0)
	if !slices.Equal(got, bgot) {
		log.Fatalf("batched Tracker gave %v, AddAll %v", bgot, got)
	}
	t0 = time.Now()
	s := slices.Clone(d)
	slices.Sort(s)
	var exact []time.Duration
	for _, p := range qs { // numpy's default (linear) percentile
		h := p * float64(len(s)-1)
		lo := int(h)
		hi := min(lo+1, len(s)-1)
		exact = append(exact, s[lo]+time.Duration((h-float64(lo))*float64(s[hi]-s[lo])))
	}
	ds := time.Since(t0)
	fmt.Printf("go Tracker: %.3f s (%.0f ns an Add)  p50/p90/p95/p99 %v\n", dt.Seconds(), float64(dt.Nanoseconds())/float64(len(q)), got)
	fmt.Printf("go Tracker streamed, Add(Query{...}) each: %.3f s (%.0f ns a query)  same percentiles\n", dst.Seconds(), float64(dst.Nanoseconds())/float64(len(d)))
	fmt.Printf("go Tracker streamed, AddAll of a reused buffer of 256: %.3f s (%.0f ns a query)  same percentiles\n", dbt.Seconds(), float64(dbt.Nanoseconds())/float64(len(d)))
	fmt.Printf("go exact sort: %.3f s  p50/p90/p95/p99 %v\n", ds.Seconds(), exact)
	for i := range got {
		fmt.Printf("  p%g relative error of Tracker: %.4f%%\n", 100*qs[i], 100*float64(got[i]-exact[i])/float64(exact[i]))
	}
}

// quantiles reads the percentiles qs of t.
func quantiles(t *responsetime.Tracker) []time.Duration {
	var out []time.Duration
	for _, p := range qs {
		v, err := t.Quantile(p)
		if err != nil {
			log.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
