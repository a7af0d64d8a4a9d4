// Command csat scores satisfaction answers on a 1-5 scale with package csat: the top-box
// share with its Wilson interval and the mean with its Student t interval.
//
//	go run ./examples/csat
package main

import (
	"fmt"
	"os"

	"github.com/cxkit/cxkit/csat"
)

func main() {
	ratings := []int{5, 4, 3, 2, 1, 5, 4, 4, 5, 5, 4, 3}
	r, err := csat.Score(csat.FivePoint, ratings)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(r)
	fmt.Println("95% interval of the score (Wilson):", r.Interval(0.95))
	fmt.Println("95% interval of the mean (Student t):", r.MeanInterval(0.95))
	ten, _ := csat.Score(csat.TenPoint, []int{10, 9, 8, 7, 10, 6, 9})
	fmt.Println(ten)
	if _, err := csat.Score(csat.FivePoint, []int{4, 6}); err != nil {
		fmt.Println("a bad rating is an error:", err)
	}
}
