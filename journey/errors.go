package journey

import "github.com/cxkit/cxkit"

// Sentinel errors, shared with the root package so errors.Is works with either name.
var (
	// ErrOutOfRange reports a value outside its allowed range (a rating off its scale, a
	// negative count, a confidence outside (0, 1)).
	ErrOutOfRange = cxkit.ErrOutOfRange
	// ErrEmpty reports that there is no data to compute a result from.
	ErrEmpty = cxkit.ErrEmpty
	// ErrInvalid reports malformed input: an empty customer or touchpoint, a zero time, a
	// corrupt encoding, a map that does not validate.
	ErrInvalid = cxkit.ErrInvalid
	// ErrIncompatible reports values that cannot be combined (accumulators over different maps).
	ErrIncompatible = cxkit.ErrIncompatible
	// ErrNotConverged reports a numerical procedure that stopped before it converged.
	ErrNotConverged = cxkit.ErrNotConverged
	// ErrUnknown reports a reference to a stage, touchpoint or persona that the map does not hold.
	ErrUnknown = errUnknown
)
