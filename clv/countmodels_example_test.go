package clv_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"

	"github.com/cxkit/cxkit/clv"
)

// loadCDNOWExampleCM reads the CDNOW calibration summary (2,357 customers, times in weeks).
func loadCDNOWExampleCM() ([]clv.Customer, error) {
	f, err := os.Open("../testdata/cdnow/cdnow_customers_summary.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, err
	}
	var out []clv.Customer
	for _, row := range rows[1:] { // header ID,frequency,recency,T
		x, _ := strconv.Atoi(row[1])
		tx, _ := strconv.ParseFloat(row[2], 64)
		T, _ := strconv.ParseFloat(row[3], 64)
		out = append(out, clv.Customer{Frequency: x, Recency: tx, T: T})
	}
	return out, nil
}

func ExampleFitBGNBD() {
	customers, err := loadCDNOWExampleCM()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := clv.FitBGNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("r=%.3f alpha=%.3f a=%.3f b=%.3f LL=%.1f\n", m.R, m.Alpha, m.A, m.B, m.Fit.LogLikelihood)

	// A customer with 2 repeat purchases, the last in week 30.43, observed for 38.86 weeks.
	c := clv.Customer{Frequency: 2, Recency: 30.43, T: 38.86}
	alive, _ := m.ProbabilityAlive(c)
	next, _ := m.ConditionalExpectedPurchases(39, c) // next 39 weeks
	fmt.Printf("P(alive)=%.3f E[purchases in next 39 weeks]=%.3f\n", alive, next)

	// A new customer over 78 weeks.
	e, _ := m.ExpectedPurchases(78)
	p0, _ := m.ProbabilityOfPurchases(0, 78)
	fmt.Printf("E[X(78)]=%.3f P(X(78)=0)=%.3f\n", e, p0)
	// Output:
	// r=0.243 alpha=4.414 a=0.793 b=2.426 LL=-9582.4
	// P(alive)=0.727 E[purchases in next 39 weeks]=1.226
	// E[X(78)]=1.858 P(X(78)=0)=0.492
}

func ExampleFitParetoNBD() {
	customers, err := loadCDNOWExampleCM()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := clv.FitParetoNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("r=%.3f alpha=%.2f s=%.3f LL=%.1f\n", m.R, m.Alpha, m.S, m.Fit.LogLikelihood)

	c := clv.Customer{Frequency: 26, Recency: 30.86, T: 31} // a heavy buyer
	alive, _ := m.ProbabilityAlive(c)
	next, _ := m.ConditionalExpectedPurchases(52, c)
	fmt.Printf("P(alive)=%.3f E[purchases in next 52 weeks]=%.1f\n", alive, next)
	// Output:
	// r=0.553 alpha=10.58 s=0.606 LL=-9595.0
	// P(alive)=0.998 E[purchases in next 52 weeks]=25.5
}

func ExampleFitMBGNBD() {
	customers, err := loadCDNOWExampleCM()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := clv.FitMBGNBD(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("r=%.3f alpha=%.3f a=%.3f b=%.3f\n", m.R, m.Alpha, m.A, m.B)
	// Unlike BG/NBD, a customer with no repeat purchase may already be gone.
	alive, _ := m.ProbabilityAlive(clv.Customer{Frequency: 0, T: 38.86})
	fmt.Printf("P(alive | no repeat purchase in 38.86 weeks)=%.3f\n", alive)
	// Output:
	// r=0.525 alpha=6.183 a=0.891 b=1.614
	// P(alive | no repeat purchase in 38.86 weeks)=0.390
}

func ExampleCompress() {
	customers := []clv.Customer{
		{Frequency: 0, T: 39},
		{Frequency: 2, Recency: 30.5, T: 39},
		{Frequency: 0, T: 39},
		{Frequency: 0, T: 39, Weight: 3}, // already stands for three customers
	}
	compressed, err := clv.Compress(customers)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range compressed {
		fmt.Printf("x=%d t_x=%v T=%v weight=%v\n", c.Frequency, c.Recency, c.T, c.Weight)
	}
	// Output:
	// x=0 t_x=0 T=39 weight=5
	// x=2 t_x=30.5 T=39 weight=1
}

func ExampleBGNBD_Predict() {
	m := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426} // FHL 2005, CDNOW, weeks
	customers := []clv.Customer{
		{Frequency: 0, T: 38.86},
		{Frequency: 2, Recency: 30.43, T: 38.86},
		{Frequency: 2000, Recency: 38.85, T: 38.86}, // heavy buyer: no overflow
	}
	expected := make([]float64, len(customers))
	alive := make([]float64, len(customers))
	if err := m.Predict(52, customers, expected, alive); err != nil {
		fmt.Println(err)
		return
	}
	for i := range customers {
		fmt.Printf("P(alive)=%.3f E[next 52 weeks]=%.2f\n", alive[i], expected[i])
	}
	// Output:
	// P(alive)=1.000 E[next 52 weeks]=0.25
	// P(alive)=0.727 E[next 52 weeks]=1.56
	// P(alive)=0.999 E[next 52 weeks]=1714.21
}
