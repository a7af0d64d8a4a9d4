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
