package cxbeam

import (
	"fmt"
	"sync/atomic"

	"github.com/cxkit/cxkit"
)

// acc is the pointer type PA of an accumulator A that satisfies the cxkit contract.
type acc[In, Out, A any] interface {
	*A
	cxkit.Accumulator[In, Out, *A]
}

// adapter is the one generic bridge between the cxkit accumulator contract and Beam's
// CombineFn protocol. Every combiner of this package forwards its four CombineFn methods to
// it, supplying only how to make its empty accumulator (its options).
type adapter[In, Out, A any, PA acc[In, Out, A]] struct {
	name  string
	empty func() (PA, error)
}

func (f adapter[In, Out, A, PA]) create() (PA, error) {
	a, err := f.empty()
	if err != nil {
		return nil, fmt.Errorf("cxbeam.%s: %w", f.name, err)
	}
	return a, nil
}

func (f adapter[In, Out, A, PA]) add(a PA, in In) (PA, error) {
	if err := a.Add(in); err != nil {
		return nil, fmt.Errorf("cxbeam.%s: %w", f.name, err)
	}
	return a, nil
}

func (f adapter[In, Out, A, PA]) merge(a, b PA) (PA, error) {
	if err := a.Merge(b); err != nil {
		return nil, fmt.Errorf("cxbeam.%s: %w", f.name, err)
	}
	return a, nil
}

func (f adapter[In, Out, A, PA]) extract(a PA) (Out, error) {
	out, err := a.Result()
	if err != nil {
		var zero Out
		return zero, fmt.Errorf("cxbeam.%s: %w", f.name, err)
	}
	return out, nil
}

// zero returns a constructor of the zero accumulator, for accumulators without options.
func zero[A any, PA interface{ *A }]() func() (PA, error) {
	return func() (PA, error) { return PA(new(A)), nil }
}

// encodings counts the accumulator encodings made by the registered coders, so that tests can
// prove the binary coder, not a default one, carried the accumulators between stages.
var encodings atomic.Int64

// encode is the body of every registered accumulator encoder.
func encode[A any, PA interface {
	*A
	MarshalBinary() ([]byte, error)
}](a PA) ([]byte, error) {
	encodings.Add(1)
	if a == nil {
		a = new(A)
	}
	return a.MarshalBinary()
}

// decode is the body of every registered accumulator decoder.
func decode[A any, PA interface {
	*A
	UnmarshalBinary([]byte) error
}](b []byte) (PA, error) {
	a := PA(new(A))
	if err := a.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return a, nil
}
