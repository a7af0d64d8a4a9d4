package responsetime

import "github.com/cxkit/cxkit"

// The sentinels of the root package, re-exported so that errors.Is works with either name.
var (
	// ErrOutOfRange reports a value outside its allowed range, e.g. a response before its query.
	ErrOutOfRange = cxkit.ErrOutOfRange
	// ErrEmpty reports that there is no data to compute a result from.
	ErrEmpty = cxkit.ErrEmpty
	// ErrInvalid reports malformed input: a missing field, an invalid calendar, corrupt bytes.
	ErrInvalid = cxkit.ErrInvalid
	// ErrIncompatible reports trackers that cannot be merged (another calendar), or a
	// Tracker whose Calendar was changed after its first Add.
	ErrIncompatible = cxkit.ErrIncompatible
)
