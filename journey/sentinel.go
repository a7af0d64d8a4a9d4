package journey

import "errors"

var errUnknown = errors.New("unknown journey element")
