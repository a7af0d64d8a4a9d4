// Command clv walks through customer lifetime value on real data: it summarises a transaction
// log into RFM histories, fits the BG/NBD purchase model and the Gamma-Gamma spend model,
// checks the purchase predictions against a holdout period, and ranks customers by their
// projected one-year value.
//
// Run it on the embedded sample (the first 600 customers of the CDNOW 1/10 sample, 1997-1998):
//
//	go run ./examples/clv
//
// or on a file in the same format (customer ID columns, YYYYMMDD date, quantity, amount;
// whitespace-separated, see data/README.md), e.g. the whole CDNOW sample:
//
//	go run ./examples/clv -transactions testdata/cdnow/CDNOW_sample.txt
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/clv"
)

//go:embed data/cdnow_sample_first600.txt
var sample []byte

func main() {
	path := flag.String("transactions", "", "transaction file in the CDNOW sample format (default: the embedded sample)")
	top := flag.Int("top", 10, "number of customers to list")
	flag.Parse()
	if err := run(os.Stdout, *path, *top); err != nil {
		fmt.Fprintln(os.Stderr, "clv:", err)
		os.Exit(1)
	}
}

// readTransactions parses the CDNOW sample format: master ID, sample ID, YYYYMMDD, CDs,
// dollars. The sample ID is the customer.
func readTransactions(r io.Reader) ([]clv.Transaction, error) {
	var tx []clv.Transaction
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields, want 5", line, len(f))
		}
		day, err := time.Parse("20060102", f[2])
		if err != nil {
			return nil, fmt.Errorf("line %d: date: %w", line, err)
		}
		amount, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: amount: %w", line, err)
		}
		tx = append(tx, clv.Transaction{Customer: f[1], Time: day, Amount: amount})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(tx) == 0 {
		return nil, fmt.Errorf("no transactions")
	}
	return tx, nil
}

func run(w io.Writer, path string, top int) error {
	var in io.Reader = bytes.NewReader(sample)
	source := "embedded CDNOW sample (first 600 customers)"
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		in, source = f, path
	}
	tx, err := readTransactions(in)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}

	// 1. RFM summary: daily purchase periods, weeks as the unit, calibration to the end of
	// September 1997 (39 weeks, as in Fader, Hardie & Lee 2005), holdout to the end of June 1998.
	calEnd := time.Date(1997, 9, 30, 0, 0, 0, 0, time.UTC)
	holdEnd := time.Date(1998, 6, 30, 0, 0, 0, 0, time.UTC)
	sum, err := clv.Summarize(tx, clv.RFMOptions{Unit: cxkit.Week, Period: cxkit.Day, CalibrationEnd: calEnd, HoldoutEnd: holdEnd})
	if err != nil {
		return err
	}
	customers := sum.Histories()
	repeats := 0
	for _, c := range customers {
		repeats += c.Frequency
	}
	fmt.Fprintf(w, "CLV WALKTHROUGH — %d transactions from %s\n\n", len(tx), source)
	fmt.Fprintf(w, "RFM summary (weeks, calibration to %s): %d customers, %d repeat purchases\n",
		sum.CalibrationEnd.Format("2006-01-02"), len(customers), repeats)
	if len(sum.NoHistory) > 0 || sum.AfterEnd > 0 {
		fmt.Fprintf(w, "  left out: %d customers first seen at the calibration end, %d transactions after %s\n",
			len(sum.NoHistory), sum.AfterEnd, sum.HoldoutEnd.Format("2006-01-02"))
	}

	// 2. Purchase model.
	bg, err := clv.FitBGNBD(customers)
	if err != nil {
		return fmt.Errorf("BG/NBD: %w", err)
	}
	fmt.Fprintf(w, "\nBG/NBD: r=%.3f α=%.3f a=%.3f b=%.3f (LL %.1f, %s, %d iterations)\n",
		bg.R, bg.Alpha, bg.A, bg.B, bg.Fit.LogLikelihood, bg.Fit.Method, bg.Fit.Iterations)

	// 3. Holdout check: predicted against actual repeat purchases in the 39 holdout weeks.
	holdWeeks := sum.Customers[0].HoldoutDuration
	var predicted float64
	actual := 0
	for _, r := range sum.Customers {
		e, err := bg.ConditionalExpectedPurchases(holdWeeks, r.Customer)
		if err != nil {
			return fmt.Errorf("customer %s: %w", r.ID, err)
		}
		predicted += e
		actual += r.HoldoutFrequency
	}
	fmt.Fprintf(w, "Holdout (%.0f weeks): predicted %.0f repeat purchases, actual %d\n", holdWeeks, predicted, actual)

	// 4. Spend model, fitted on repeat buyers with a positive mean spend.
	var buyers []clv.Customer
	for _, c := range clv.RepeatBuyers(customers) {
		if c.MonetaryValue > 0 {
			buyers = append(buyers, c)
		}
	}
	corr, err := clv.SpendFrequencyCorrelation(buyers)
	if err != nil {
		return err
	}
	gg, err := clv.FitGammaGamma(buyers)
	if err != nil {
		return fmt.Errorf("Gamma-Gamma: %w", err)
	}
	mean, err := gg.ExpectedSpend()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Gamma-Gamma: p=%.2f q=%.2f γ=%.2f, mean spend $%.2f (corr(x, z̄) = %.2f among %d repeat buyers)\n",
		gg.P, gg.Q, gg.V, mean, corr, len(buyers))

	// 5. One-year value: 13 four-week steps (Step and Horizon are in the model's unit, weeks),
	// 1% discount per step.
	proj := clv.Projection{Purchases: bg, Spend: gg, Unit: cxkit.Week, Step: 4, Horizon: 52, DiscountRate: 0.01}
	values := make([]float64, len(customers))
	total := 0.0
	for i, r := range sum.Customers {
		if r.Frequency > 0 && r.MonetaryValue == 0 {
			// A repeat buyer whose repeat purchases were all free: the spend model has no
			// meaning for them; value them at 0 and say so.
			fmt.Fprintf(w, "  customer %s: repeat purchases of $0, valued at 0\n", r.ID)
			continue
		}
		v, err := proj.Value(r.Customer)
		if err != nil {
			return fmt.Errorf("customer %s: %w", r.ID, err)
		}
		values[i] = v
		total += v
	}
	fmt.Fprintf(w, "\nProjected revenue over the next 52 weeks (1%% per 4 weeks): $%.0f in total, $%.2f per customer\n",
		total, total/float64(len(customers)))
	order := make([]int, len(customers))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case values[a] > values[b]:
			return -1
		case values[a] < values[b]:
			return 1
		}
		return 0
	})
	fmt.Fprintf(w, "\n%-8s %4s %7s %7s %8s %8s %9s\n", "customer", "x", "t_x", "T", "z̄", "P(alive)", "CLV 1y")
	for _, i := range order[:min(top, len(order))] {
		r := sum.Customers[i]
		alive, err := bg.ProbabilityAlive(r.Customer)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-8s %4d %7.2f %7.2f %8.2f %8.2f %9.2f\n", r.ID, r.Frequency, r.Recency, r.T, r.MonetaryValue, alive, values[i])
	}
	return nil
}
