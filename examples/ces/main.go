// Command ces scores Customer Effort Score answers with package ces: CES 2.0 on a 1-7
// agreement scale and the seed's 1-5 top-box form.
//
//	go run ./examples/ces
package main

import (
	"fmt"
	"os"

	"github.com/cxkit/cxkit/ces"
)

func main() {
	r, err := ces.Score(ces.SevenPoint, []int{7, 6, 5, 5, 4, 2, 6, 7, 3, 6})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(r)
	fmt.Println("95% interval (Wilson):", r.Interval(0.95))
	five, _ := ces.Score(ces.FivePoint, []int{5, 4, 4, 3, 2, 5, 1, 4})
	fmt.Println(five)
	if _, err := ces.Score(ces.SevenPoint, []int{0}); err != nil {
		fmt.Println("a bad rating is an error:", err)
	}
}
