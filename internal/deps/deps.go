// Package deps pins, during development, the modules that packages under construction import.
// It is removed once they do.
package deps

import (
	_ "github.com/DataDog/sketches-go/ddsketch"
	_ "github.com/rickar/cal/v2"
	_ "github.com/rickar/cal/v2/de"
	_ "github.com/rickar/cal/v2/us"
	_ "golang.org/x/exp/constraints"
	_ "gonum.org/v1/gonum/mathext"
	_ "gonum.org/v1/gonum/optimize"
)
