package main

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/cxkit/cxkit/churn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A user's subscriptions with no churn at all in their cohorts cannot identify the
// shifted-beta-geometric model (its parameters run off): the churn section says so and the
// report goes on, instead of stopping with an error after half a report was printed.
func TestChurnSectionWithoutIdentifiableSBG(t *testing.T) {
	asOf := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	var subs []subscription
	for i := range 120 {
		start := asOf.AddDate(0, -1-i%12, 0)
		subs = append(subs, subscription{Subscription: churn.Subscription{Customer: fmt.Sprint("C", i), Start: start}})
	}
	var b bytes.Buffer
	require.NoError(t, churnSection(&b, subs, asOf))
	assert.Contains(t, b.String(), "not shown, the monthly cohorts do not identify the model")
	assert.Contains(t, b.String(), "not identified")
}
