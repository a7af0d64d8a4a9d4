// Command pngcheck checks that a screenshot shows drawn charts rather than a blank page: it
// fails unless at least -min-ink of the pixels are not near-white and the luminance has a
// standard deviation of at least -min-sd (0..255). It prints both figures.
//
//	go run ./examples/cxreport/pngcheck shot.png
package main

import (
	"flag"
	"fmt"
	"image/png"
	"math"
	"os"
)

func main() {
	minInk := flag.Float64("min-ink", 0.03, "smallest share of non-white pixels")
	minSD := flag.Float64("min-sd", 20, "smallest standard deviation of the luminance")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: pngcheck [-min-ink 0.03] [-min-sd 20] FILE.png")
		os.Exit(2)
	}
	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "pngcheck:", err)
		os.Exit(1)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "pngcheck:", flag.Arg(0), err)
		os.Exit(1)
	}
	b := img.Bounds()
	var n, ink, sum, sum2 float64
	colored := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			n++
			sum += l
			sum2 += l * l
			if l < 240 {
				ink++
			}
			if max(r, g, bl)-min(r, g, bl) > 40*257 {
				colored++
			}
		}
	}
	mean := sum / n
	sd := math.Sqrt(max(sum2/n-mean*mean, 0))
	fmt.Printf("%s: %dx%d, non-white %.1f%%, coloured %.1f%%, luminance sd %.1f\n", flag.Arg(0), b.Dx(), b.Dy(),
		100*ink/n, 100*float64(colored)/n, sd)
	if ink/n < *minInk || sd < *minSD || colored == 0 {
		fmt.Println("pngcheck: the page looks blank (or has no coloured chart)")
		os.Exit(1)
	}
}
