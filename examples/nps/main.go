// Command nps scores a handful of likelihood-to-recommend answers, compares two months and
// plans the next survey, with package nps.
//
//	go run ./examples/nps
package main

import (
	"fmt"
	"os"

	"github.com/cxkit/cxkit/nps"
)

func main() {
	may := []int{10, 9, 9, 8, 7, 10, 6, 3, 9, 10, 8, 9, 10, 9, 5, 9, 10, 8, 9, 9}
	june := []int{9, 6, 7, 8, 4, 10, 6, 3, 9, 5, 8, 7, 10, 6, 5, 9, 2, 8, 9, 6}
	a, err := nps.Score(may)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, _ := nps.Score(june) // same kind of data, checked above
	fmt.Println("May: ", a)
	fmt.Println("      95% interval (adjusted Wald):", a.Interval(0.95))
	fmt.Println("June:", b)
	c, _ := nps.Compare(b, a)
	fmt.Printf("June − May: %+.1f points (SE %.1f), p = %.3f\n", c.Difference, c.StdErr, c.P)
	n, _ := nps.SampleSizeExpected(a.PctPromoters, a.PctDetractors, 5, 0.95)
	fmt.Printf("responses needed for ±5 points at 95%% with May's shares: %d\n", n)
	if _, err := nps.Score([]int{9, 11}); err != nil {
		fmt.Println("a bad rating is an error:", err)
	}
}
