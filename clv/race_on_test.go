//go:build race

package clv

// raceEnabled reports a test binary built with -race, where the slowest tests check fewer
// cases.
const raceEnabled = true
