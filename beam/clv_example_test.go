package cxbeam_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/beam"
	"github.com/cxkit/cxkit/clv"
)

// readCDNOWSample emits the transactions of the CDNOW 1/10 sample (customer ID in the sample,
// YYYYMMDD, CDs, dollars after the master ID).
func readCDNOWSample(_ []byte, emit func(clv.Transaction)) error {
	f, err := os.Open("../testdata/cdnow/CDNOW_sample.txt")
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 5 {
			return fmt.Errorf("CDNOW sample: line %q", sc.Text())
		}
		day, err := time.Parse("20060102", fs[2])
		if err != nil {
			return err
		}
		var amount float64
		if _, err := fmt.Sscan(fs[4], &amount); err != nil {
			return err
		}
		emit(clv.Transaction{Customer: strings.TrimLeft(fs[1], "0"), Time: day, Amount: amount})
	}
	return sc.Err()
}

// printFit prints the BG/NBD fit and the size of the histogram it was fitted on.
func printFit(m cxbeam.CountModels, h cxbeam.Histogram) {
	fmt.Printf("%d customers, %d distinct (x, t_x, T)\n", h.Customers, len(h.Histories))
	fmt.Printf("BG/NBD r=%.4f alpha=%.4f a=%.4f b=%.4f\n", m.BGNBD.R, m.BGNBD.Alpha, m.BGNBD.A, m.BGNBD.B)
}

func init() {
	register.Function2x1(readCDNOWSample)
	register.Emitter1[clv.Transaction]()
	register.Function2x0(printFit)
}

// The CDNOW 1/10 sample through the CLV pipeline on prism: per-customer histories, the
// histogram of distinct (x, t_x, T) triples, and BG/NBD fitted on one worker. The estimates
// are those published by Fader, Hardie & Lee (2005, Marketing Science 24(2), p. 280: r = 0.243,
// α = 4.414, a = 0.793, b = 2.426).
func ExampleCustomerHistories() {
	p, s := beam.NewPipelineWithRoot()
	txns := beam.ParDo(s, readCDNOWSample, beam.Impulse(s))
	opt := clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Day, CalibrationEnd: time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)}
	hs, err := cxbeam.CustomerHistories(s, opt, txns)
	if err != nil {
		fmt.Println(err)
		return
	}
	hist := cxbeam.DistinctHistories(s, hs.Customers)
	models := cxbeam.FitCountModels(s, opt, hist)
	beam.ParDo0(s, printFit, models, beam.SideInput{Input: hist})
	if _, err := prism.Execute(context.Background(), p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 2357 customers, 1016 distinct (x, t_x, T)
	// BG/NBD r=0.2426 alpha=4.4136 a=0.7929 b=2.4259
}
