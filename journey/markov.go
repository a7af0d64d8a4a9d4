package journey

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/cxkit/cxkit"
	"gonum.org/v1/gonum/mat"
)

// markovDenseLimit is the largest number of transient states MarkovAttribution solves with a
// dense LU factorisation (gonum mat); above it, it solves the same linear systems by
// Gauss–Seidel iteration on the sparse transition matrix, to a residual below markovTol.
const (
	markovDenseLimit = 600
	markovTol        = 1e-13
	markovMaxSweeps  = 1_000_000
)

// markovChain is the absorbing chain start → states → conversion / null of a set of paths.
type markovChain struct {
	names    []string  // touchpoints
	contains [][]int32 // state → touchpoint codes it contains (distinct)
	start    []float64 // start → state probabilities
	conv     []float64 // state → conversion probabilities
	// CSR of Q: row i's successors colIdx[rowPtr[i]:rowPtr[i+1]] with probabilities val.
	rowPtr []int
	colIdx []int32
	val    []float64
	// base is the full chain's solution once known (the sparse solver's starting point).
	base []float64
}

func buildChain(paths []Path, order int) (*markovChain, float64, float64, error) {
	if order < 1 {
		return nil, 0, 0, fmt.Errorf("journey: Markov order %d must be at least 1: %w", order, ErrOutOfRange)
	}
	if err := checkPaths(paths); err != nil {
		return nil, 0, 0, err
	}
	ch := &markovChain{}
	tcode := map[string]int32{}
	scode := map[string]int32{}
	var start, conv, null, out []float64
	edges := map[[2]int32]float64{}
	var key []byte
	var codes []int32
	var totalConv, totalValue float64
	for i, p := range paths {
		if p.Value > 0 && p.Conversions == 0 {
			return nil, 0, 0, fmt.Errorf("journey: path %d (%s) has value %v but no conversions: %w", i, p, p.Value, ErrInvalid)
		}
		totalConv += p.Conversions
		totalValue += p.Value
		w := p.Conversions + p.Nulls
		if w == 0 {
			continue
		}
		// Touchpoint codes with consecutive repeats collapsed.
		codes = codes[:0]
		for _, t := range p.Touchpoints {
			c, ok := tcode[t]
			if !ok {
				c = int32(len(ch.names))
				tcode[t] = c
				ch.names = append(ch.names, t)
			}
			if len(codes) == 0 || codes[len(codes)-1] != c {
				codes = append(codes, c)
			}
		}
		k := min(order, len(codes))
		prev := int32(-1)
		for j := 0; j+k <= len(codes); j++ {
			key = key[:0]
			for _, c := range codes[j : j+k] {
				key = binary.AppendUvarint(key, uint64(c))
			}
			s, ok := scode[string(key)]
			if !ok {
				s = int32(len(start))
				scode[string(key)] = s
				start, conv, null, out = append(start, 0), append(conv, 0), append(null, 0), append(out, 0)
				set := slices.Clone(codes[j : j+k])
				slices.Sort(set)
				ch.contains = append(ch.contains, slices.Compact(set))
			}
			if prev < 0 {
				start[s] += w
			} else {
				edges[[2]int32{prev, s}] += w
				out[prev] += w
			}
			prev = s
		}
		conv[prev] += p.Conversions
		null[prev] += p.Nulls
		out[prev] += w
	}
	if totalConv == 0 {
		return nil, 0, 0, fmt.Errorf("journey: the %d paths have no conversions to attribute: %w", len(paths), ErrEmpty)
	}
	if math.IsInf(totalConv, 0) || math.IsInf(totalValue, 0) {
		return nil, 0, 0, fmt.Errorf("journey: the paths' total conversions or value overflow: %w", ErrOutOfRange)
	}
	n := len(start)
	var total float64
	for _, v := range start {
		total += v
	}
	for i := range start {
		start[i] /= total
		conv[i] /= out[i]
	}
	ch.start, ch.conv = start, conv
	// CSR rows.
	type e struct {
		to int32
		p  float64
	}
	rows := make([][]e, n)
	for k, v := range edges {
		rows[k[0]] = append(rows[k[0]], e{k[1], v / out[k[0]]})
	}
	ch.rowPtr = make([]int, n+1)
	for i, r := range rows {
		slices.SortFunc(r, func(a, b e) int { return int(a.to - b.to) })
		for _, x := range r {
			ch.colIdx = append(ch.colIdx, x.to)
			ch.val = append(ch.val, x.p)
		}
		ch.rowPtr[i+1] = len(ch.colIdx)
	}
	return ch, totalConv, totalValue, nil
}

// conversionProbability returns the probability of absorption in the conversion state from
// the start when the states containing touchpoint removed (−1: none) are turned into the
// null state.
func (ch *markovChain) conversionProbability(removed int32) (float64, error) {
	n := len(ch.start)
	keep := make([]bool, n)
	for i, set := range ch.contains {
		_, found := slices.BinarySearch(set, removed)
		keep[i] = removed < 0 || !found
	}
	var x []float64
	var err error
	if n <= markovDenseLimit {
		x, err = ch.solveDense(keep)
	} else {
		x, err = ch.solveSparse(keep)
	}
	if err != nil {
		return 0, err
	}
	if removed < 0 {
		ch.base = x
	}
	var p float64
	for i, k := range keep {
		if k {
			p += ch.start[i] * x[i]
		}
	}
	return min(max(p, 0), 1), nil
}

// solveDense solves (I − Q)x = r over the kept states with gonum's LU-based Solve.
func (ch *markovChain) solveDense(keep []bool) ([]float64, error) {
	n := len(keep)
	pos := make([]int, n)
	m := 0
	for i, k := range keep {
		pos[i] = -1
		if k {
			pos[i] = m
			m++
		}
	}
	x := make([]float64, n)
	if m == 0 {
		return x, nil
	}
	a := mat.NewDense(m, m, nil)
	r := mat.NewVecDense(m, nil)
	for i := range n {
		if pos[i] < 0 {
			continue
		}
		a.Set(pos[i], pos[i], 1)
		r.SetVec(pos[i], ch.conv[i])
		for j := ch.rowPtr[i]; j < ch.rowPtr[i+1]; j++ {
			if c := pos[ch.colIdx[j]]; c >= 0 {
				a.Set(pos[i], c, a.At(pos[i], c)-ch.val[j])
			}
		}
	}
	var y mat.VecDense
	if err := y.SolveVec(a, r); err != nil {
		return nil, fmt.Errorf("journey: the Markov chain's linear system is singular (%v): %w", err, cxkit.ErrNotIdentified)
	}
	for i := range n {
		if pos[i] >= 0 {
			x[i] = y.AtVec(pos[i])
		}
	}
	return x, nil
}

// solveSparse solves x = Qx + r over the kept states by Gauss–Seidel sweeps in reverse state
// order (states are numbered as they first appear along the paths, so successors mostly come
// later and are updated first). I − Q is a nonsingular M-matrix (every state reaches an
// absorbing state), so the iteration converges; it stops when the residual is below markovTol.
func (ch *markovChain) solveSparse(keep []bool) ([]float64, error) {
	n := len(keep)
	x := make([]float64, n)
	if ch.base != nil { // removing states only lowers x: start from the full chain's solution
		copy(x, ch.base)
	}
	for sweep := 0; sweep < markovMaxSweeps; sweep++ {
		var delta float64
		for i := n - 1; i >= 0; i-- {
			if !keep[i] {
				continue
			}
			v := ch.conv[i]
			for j := ch.rowPtr[i]; j < ch.rowPtr[i+1]; j++ {
				if c := ch.colIdx[j]; keep[c] {
					v += ch.val[j] * x[c]
				}
			}
			delta = max(delta, math.Abs(v-x[i]))
			x[i] = v
		}
		if delta <= markovTol {
			return x, nil
		}
	}
	return nil, fmt.Errorf("journey: the Markov chain's linear solve did not reach a residual of %g in %d sweeps: %w", markovTol, markovMaxSweeps, ErrNotConverged)
}

// MarkovAttribution attributes the paths' conversions and value to touchpoints by the removal
// effects of an absorbing Markov chain (Anderl, Becker, von Wangenheim & Schumann 2016), as R's
// ChannelAttribution does, but exactly: the conversion probability of the chain
// start → states → conversion / null, and of the chain with each touchpoint removed (its states
// turned into the null state), are absorption probabilities s₀ᵀ(I − Q)⁻¹r computed by a linear
// solve, not by simulating paths. States are the touchpoints (order 1) or the order-grams of
// consecutive touchpoints (order k > 1; a path shorter than k is one state); consecutive
// repeats of a touchpoint in a path collapse first, as in ChannelAttribution. Paths with
// neither conversions nor nulls carry no weight.
//
// A touchpoint's removal effect is 1 − P(conversion without it) / P(conversion); its credit is
// the total conversions times its removal effect over the sum of all removal effects, and the
// same for value.
//
// It returns an error wrapping ErrOutOfRange for order < 1 or a negative or non-finite count,
// ErrEmpty for no paths or no conversions, ErrInvalid for a path without touchpoints, with an
// empty touchpoint, or with value but no conversions.
func MarkovAttribution(paths []Path, order int) (Attribution, error) {
	ch, totalConv, totalValue, err := buildChain(paths, order)
	if err != nil {
		return Attribution{}, err
	}
	base, err := ch.conversionProbability(-1)
	if err != nil {
		return Attribution{}, err
	}
	if !(base > 0) {
		return Attribution{}, fmt.Errorf("journey: the Markov chain has conversion probability %v: %w", base, ErrEmpty)
	}
	probs := make([]float64, len(ch.names))
	errs := make([]error, len(ch.names))
	var wg sync.WaitGroup
	work := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(ch.names)) {
		wg.Go(func() {
			for t := range work {
				probs[t], errs[t] = ch.conversionProbability(int32(t))
			}
		})
	}
	for t := range ch.names {
		work <- t
	}
	close(work)
	wg.Wait()
	a := Attribution{
		Model:                 "markov order " + strconv.Itoa(order),
		Credit:                make(map[string]float64, len(ch.names)),
		Value:                 make(map[string]float64, len(ch.names)),
		RemovalEffect:         make(map[string]float64, len(ch.names)),
		ConversionProbability: base,
		Conversions:           totalConv,
		TotalValue:            totalValue,
	}
	var sum float64
	for t, name := range ch.names {
		if errs[t] != nil {
			return Attribution{}, errs[t]
		}
		re := min(max(1-probs[t]/base, 0), 1)
		a.RemovalEffect[name] = re
		sum += re
	}
	if !(sum > 0) {
		return Attribution{}, fmt.Errorf("journey: no touchpoint's removal changes the conversion probability: %w", cxkit.ErrNotIdentified)
	}
	for _, name := range ch.names {
		w := a.RemovalEffect[name] / sum
		a.Credit[name] = totalConv * w
		a.Value[name] = totalValue * w
	}
	return a, nil
}
