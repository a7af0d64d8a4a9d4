// Package keyorder is internal to cxkit: the natural order of group keys that the grouped
// reports (nps, csat, ces Groups; churn segments) share, so that every report lists its
// groups in the same deterministic order.
package keyorder

import (
	"cmp"
	"reflect"
)

// Natural returns the natural order of keys of type K: by K's Compare method when it has one
// (time.Time: chronological), ascending for integer, float and string kinds (including named
// types such as a persona ID; NaN float keys sort first, as cmp.Compare does), and nil when
// K has no natural order (structs, pointers, booleans), for the caller to choose a fallback.
func Natural[K comparable]() func(a, b K) int {
	var zero K
	if _, ok := any(zero).(interface{ Compare(K) int }); ok {
		return func(a, b K) int { return any(a).(interface{ Compare(K) int }).Compare(b) }
	}
	switch reflect.TypeFor[K]().Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(a, b K) int { return cmp.Compare(reflect.ValueOf(a).Int(), reflect.ValueOf(b).Int()) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(a, b K) int { return cmp.Compare(reflect.ValueOf(a).Uint(), reflect.ValueOf(b).Uint()) }
	case reflect.Float32, reflect.Float64:
		return func(a, b K) int { return cmp.Compare(reflect.ValueOf(a).Float(), reflect.ValueOf(b).Float()) }
	case reflect.String:
		return func(a, b K) int { return cmp.Compare(reflect.ValueOf(a).String(), reflect.ValueOf(b).String()) }
	}
	return nil
}
