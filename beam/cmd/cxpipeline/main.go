// Command cxpipeline runs a CX pipeline on Apache Beam: it generates survey answers (NPS
// ratings and CSAT ratings on 1-5, keyed by touchpoint), combines them with the cxbeam
// combiners globally and per touchpoint, and prints the results and the throughput.
//
// Locally it runs on prism, Beam's in-process runner (the default here):
//
//	go run ./cmd/cxpipeline -n 1000000
//
// On a real runner, pass Beam's usual flags (see beam/README.md), e.g. Dataflow or Flink:
//
//	go run ./cmd/cxpipeline --runner=dataflow --project=P --region=R \
//	    --staging_location=gs://B/staging --output=gs://B/cx/results.txt
//	go run ./cmd/cxpipeline --runner=flink --endpoint=localhost:8099 \
//	    --environment_type=LOOPBACK --output=/tmp/cx/results.txt
//
// The ratings come from a seeded generator inside the pipeline (one DoFn call per shard), so
// the job reads no input and the same flags give the same answers on every runner.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	cxbeam "github.com/cxkit/cxkit/beam"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/nps"
)

var (
	n      = flag.Int("n", 1_000_000, "survey answers to generate")
	shards = flag.Int("shards", 32, "generator shards (parallel DoFn calls)")
	mode   = flag.String("mode", "both", "which combines to run: global, perkey or both")
	output = flag.String("output", "", "write the results to this text file (any Beam filesystem) instead of stdout")
	clvRun = flag.Bool("clv", false, "run the CLV pipeline instead: generate transactions of -customers customers, build their histories, fit BG/NBD, Pareto/NBD and Gamma-Gamma")
	clvFit = flag.Bool("fit", true, "with -clv, fit the models (false: only the histories and the distinct triples)")
	nCust  = flag.Int("customers", 100_000, "customers of the CLV pipeline's generated transactions (-clv)")
)

// touchpoints are the keys of the per-key combine.
var touchpoints = []string{"ad", "site", "checkout", "welcome", "setup", "app", "support-chat", "support-phone", "billing", "referral"}

// genFn emits the answers of one shard: (touchpoint, NPS rating) and (touchpoint, CSAT rating).
type genFn struct {
	N, Shards int
}

// ProcessElement generates shard's share of the answers from a seed fixed by the shard.
func (g *genFn) ProcessElement(shard int, npsOut, csatOut func(string, int)) {
	r := rand.New(rand.NewPCG(2026, uint64(shard)))
	count := g.N / g.Shards
	if shard < g.N%g.Shards {
		count++
	}
	for range count {
		tp := touchpoints[r.IntN(len(touchpoints))]
		// Billing and the phone line are the painful touchpoints.
		bad := tp == "billing" || tp == "support-phone"
		score := r.IntN(11)
		if bad && score > 6 && r.Float64() < 0.4 {
			score = r.IntN(7)
		}
		npsOut(tp, score)
		c := 1 + r.IntN(5)
		if bad && c > 3 && r.Float64() < 0.4 {
			c = 1 + r.IntN(3)
		}
		csatOut(tp, c)
	}
}

func formatNPS(key string, r nps.Result) string   { return fmt.Sprintf("NPS  %-14s %v", key, r) }
func formatCSAT(key string, r csat.Result) string { return fmt.Sprintf("CSAT %-14s %v", key, r) }
func formatNPSGlobal(r nps.Result) string         { return formatNPS("(all)", r) }
func formatCSATGlobal(r csat.Result) string       { return formatCSAT("(all)", r) }
func printLine(line string)                       { fmt.Println(line) }

// writeAndRun writes the result lines to -output (or prints them), runs the pipeline with the
// chosen runner and returns its wall time; a failed run ends the program.
func writeAndRun(p *beam.Pipeline, s beam.Scope, lines []beam.PCollection) time.Duration {
	all := beam.Flatten(s, lines...)
	if *output != "" {
		textio.Write(s, *output, all)
	} else {
		beam.ParDo0(s, printLine, all)
	}
	start := time.Now()
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatalf("cxpipeline: %v", err)
	}
	return time.Since(start)
}

func init() {
	register.DoFn3x0[int, func(string, int), func(string, int)](&genFn{})
	register.Emitter2[string, int]()
	register.Function2x1(formatNPS)
	register.Function2x1(formatCSAT)
	register.Function1x1(formatNPSGlobal)
	register.Function1x1(formatCSATGlobal)
	register.Function1x0(printLine)
}

func main() {
	flag.Parse()
	if *runners.Runner == "" {
		*runners.Runner = "prism"
	}
	beam.Init()
	if *clvRun {
		runCLV()
		return
	}
	if *n < 1 || *shards < 1 {
		log.Fatalf("cxpipeline: -n %d and -shards %d must be positive", *n, *shards)
	}
	p, s := beam.NewPipelineWithRoot()
	seeds := make([]int, *shards)
	for i := range seeds {
		seeds[i] = i
	}
	npsKV, csatKV := beam.ParDo2(s, &genFn{N: *n, Shards: *shards}, beam.CreateList(s, seeds))
	var lines []beam.PCollection
	if *mode == "global" || *mode == "both" {
		lines = append(lines,
			beam.ParDo(s, formatNPSGlobal, beam.Combine(s, cxbeam.NPS{}, beam.DropKey(s, npsKV))),
			beam.ParDo(s, formatCSATGlobal, beam.Combine(s, cxbeam.CSAT{Scale: csat.FivePoint}, beam.DropKey(s, csatKV))))
	}
	if *mode == "perkey" || *mode == "both" {
		lines = append(lines,
			beam.ParDo(s, formatNPS, beam.CombinePerKey(s, cxbeam.NPS{}, npsKV)),
			beam.ParDo(s, formatCSAT, beam.CombinePerKey(s, cxbeam.CSAT{Scale: csat.FivePoint}, csatKV)))
	}
	if len(lines) == 0 {
		log.Fatalf("cxpipeline: -mode %q is not global, perkey or both", *mode)
	}
	el := writeAndRun(p, s, lines)
	elements := 2 * *n // an NPS and a CSAT answer per respondent
	fmt.Fprintf(os.Stderr, "cxpipeline: %d elements (%s combine) on %s in %v: %.0f elements/s (wall time, including pipeline start)\n",
		elements, *mode, *runners.Runner, el.Round(time.Millisecond), float64(elements)/el.Seconds())
}
