package cxkit_test

import (
	"fmt"

	"github.com/cxkit/cxkit"
)

func ExampleInterval() {
	iv := cxkit.Interval{Lower: 14.05, Upper: 44.2, Confidence: 0.95}
	fmt.Println(iv, iv.Contains(30), iv.Width())
	// Output: [14.05, 44.20] (95%) true 30.150000000000002
}

func ExampleEstimate() {
	// BG/NBD's r on CDNOW with its standard error (see clv.BGNBD.Estimates).
	e := cxkit.Estimate{Name: "R", Value: 0.242593, StdErr: 0.012557}
	fmt.Println(e)
	// 0.242593 ± 1.959964 × 0.012557; lifetimes prints [0.217981, 0.267205] from the
	// unrounded estimate.
	iv := e.Interval(0.95)
	fmt.Printf("[%.5f, %.5f]\n", iv.Lower, iv.Upper)
	fmt.Println(e.Interval(1.5).Lower) // not a confidence level
	// Output:
	// R = 0.2426 (SE 0.013)
	// [0.21798, 0.26720]
	// NaN
}
