// Command coxbench is the Go side of bench/cox: with -gen it writes a synthetic
// proportional-hazards sample (n subjects × 5 covariates) as a binary file that R reads with
// readBin; without it, it reads the file and times one churn.FitCox, printing the time and the
// coefficients to 17 digits so that run.sh can compare them with R's coxph on the same data.
//
// The file is n·7 little-endian float64 values, column after column: time, status (0/1), x1..x5.
// The design is that of churn's BenchmarkFitCox1M: β = (0.5, −0.3, 0.2, 0.1, −0.4), covariates
// uniform on (−1, 1), exponential event times with rate exp(βᵀx), censoring uniform on (0, 2).
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"github.com/cxkit/cxkit/churn"
)

const p = 5

func main() {
	path := flag.String("o", "/tmp/cox_1m.bin", "binary data file")
	gen := flag.Bool("gen", false, "write the data set and exit")
	n := flag.Int("n", 1_000_000, "subjects")
	flag.Parse()
	if *gen {
		if err := write(*path, *n); err != nil {
			log.Fatal(err)
		}
		return
	}
	subs, x, err := read(*path)
	if err != nil {
		log.Fatal(err)
	}
	names := []string{"x1", "x2", "x3", "x4", "x5"}
	t0 := time.Now()
	m, err := churn.FitCox(subs, x, names, churn.CoxOptions{})
	el := time.Since(t0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("go FitCox (n %d, events %.0f; incl. concordance, cox.zph test, baseline hazard): %.3f s  iterations %d  loglik %.10g  concordance %.6f\n",
		m.N, m.Events, el.Seconds(), m.Fit.Iterations, m.LogLik, m.Concordance)
	fmt.Print("go coef")
	for _, b := range m.Coef {
		fmt.Printf(" %.17g", b)
	}
	fmt.Println()
}

func write(path string, n int) error {
	r := rand.New(rand.NewPCG(2026, 15))
	beta := [p]float64{0.5, -0.3, 0.2, 0.1, -0.4}
	cols := make([][]float64, 2+p)
	for j := range cols {
		cols[j] = make([]float64, n)
	}
	for i := range n {
		eta := 0.0
		for j := range p {
			v := 2*r.Float64() - 1
			cols[2+j][i] = v
			eta += beta[j] * v
		}
		t := -math.Log(1-r.Float64()) / math.Exp(eta)
		c := 2 * r.Float64()
		cols[0][i] = math.Min(t, c)
		if t <= c {
			cols[1][i] = 1
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, c := range cols {
		if err := binary.Write(w, binary.LittleEndian, c); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func read(path string) ([]churn.Subject, [][]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size()%(8*(2+p)) != 0 {
		return nil, nil, fmt.Errorf("%s: %d bytes is not a whole number of %d-column rows", path, st.Size(), 2+p)
	}
	n := int(st.Size() / (8 * (2 + p)))
	all := make([]float64, n*(2+p))
	if err := binary.Read(bufio.NewReader(f), binary.LittleEndian, all); err != nil && err != io.EOF {
		return nil, nil, err
	}
	subs := make([]churn.Subject, n)
	x := make([][]float64, n)
	flat := make([]float64, n*p)
	for i := range n {
		subs[i] = churn.Subject{Duration: all[i], Churned: all[n+i] == 1}
		row := flat[i*p : (i+1)*p : (i+1)*p]
		for j := range p {
			row[j] = all[(2+j)*n+i]
		}
		x[i] = row
	}
	return subs, x, nil
}
