package responsetime

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConversationQuery derives queries from message logs following Zendesk's definitions
// (Zendesk help centre, "Calculating first reply time" and "Understanding native duration
// metrics": first reply = creation to first public agent comment, bots and automations excluded;
// for an agent-created ticket whose first comment is public, the second public agent comment;
// first resolution = first solve; full resolution = latest solve; requester wait time excludes
// pending). Expected instants are read off each log by hand.
func TestConversationQuery(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 23, h, m, 0, 0, time.UTC) }
	email := Conversation{ID: "E", Created: at(9, 0), Priority: "high",
		Messages: []Message{
			{at(9, 0), Customer, true},
			{at(9, 0), Bot, true},     // auto-acknowledgement: does not stop the clock
			{at(9, 10), Agent, false}, // internal note: does not stop the clock
			{at(9, 30), Agent, true},  // first reply
			{at(10, 0), Customer, true},
			{at(10, 5), Customer, true}, // same wait
			{at(10, 10), Bot, true},
			{at(10, 40), Agent, true},   // ends the wait 10:00–10:40
			{at(11, 0), Customer, true}, // a wait still open
		},
		Statuses: []StatusChange{
			{at(9, 0), New}, {at(9, 30), Open}, {at(10, 40), Pending}, {at(11, 0), Open},
			{at(12, 0), Solved}, {at(13, 0), Open}, {at(13, 30), OnHold}, {at(15, 0), Solved}, {at(16, 0), Closed},
		}}
	outbound := Conversation{ID: "O", Created: at(9, 0), CreatedByAgent: true, Messages: []Message{
		{at(9, 0), Agent, true}, {at(10, 0), Customer, true}, {at(11, 0), Agent, true}}}
	outboundNote := Conversation{ID: "N", Created: at(9, 0), CreatedByAgent: true, Messages: []Message{
		{at(9, 0), Agent, false}, {at(9, 20), Agent, true}}}
	reopened := Conversation{ID: "R", Created: at(9, 0), Statuses: []StatusChange{
		{at(10, 0), Solved}, {at(11, 0), Open}, {at(12, 0), Pending}}}

	tests := []struct {
		name string
		c    Conversation
		opts ConversationOptions
		want Query
	}{
		{"customer email, pauses excluded", email, ConversationOptions{ExcludePending: true, ExcludeOnHold: true},
			Query{ID: "E", Priority: "high", Received: at(9, 0), FirstResponse: at(9, 30), FirstResolved: at(12, 0), Resolved: at(15, 0),
				Waits:   []Span{{at(10, 0), at(10, 40)}, {From: at(11, 0)}},
				Paused:  []Span{{at(10, 40), at(11, 0)}, {at(13, 30), at(15, 0)}},
				Pending: []Span{{at(10, 40), at(11, 0)}}, OnHold: []Span{{at(13, 30), at(15, 0)}}}},
		{"customer email, only pending excluded", email, ConversationOptions{ExcludePending: true},
			Query{ID: "E", Priority: "high", Received: at(9, 0), FirstResponse: at(9, 30), FirstResolved: at(12, 0), Resolved: at(15, 0),
				Waits:   []Span{{at(10, 0), at(10, 40)}, {From: at(11, 0)}},
				Paused:  []Span{{at(10, 40), at(11, 0)}},
				Pending: []Span{{at(10, 40), at(11, 0)}}, OnHold: []Span{{at(13, 30), at(15, 0)}}}},
		{"agent-created: second public agent comment", outbound, ConversationOptions{},
			Query{ID: "O", Received: at(9, 0), FirstResponse: at(11, 0), CreatedByAgent: true}},
		{"agent-created with an internal first comment", outboundNote, ConversationOptions{},
			Query{ID: "N", Received: at(9, 0), FirstResponse: at(9, 20), CreatedByAgent: true}},
		{"reopened and pending", reopened, ConversationOptions{ExcludePending: true},
			Query{ID: "R", Received: at(9, 0), FirstResolved: at(10, 0), Paused: []Span{{From: at(12, 0)}}, Pending: []Span{{From: at(12, 0)}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := tc.c.Query(0, tc.opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want, q)
			require.NoError(t, q.validate(0))
		})
	}

	// The email's figures: resolution 15:00 − 09:00 − 20m pending − 1h30m on hold = 4h10m;
	// first resolution 12:00 − 09:00 − 20m = 2h40m; next reply 40m; all replies 30m and 40m;
	// agent wait (pending) 20m; on hold 1h30m.
	q, err := email.Query(0, ConversationOptions{ExcludePending: true, ExcludeOnHold: true})
	require.NoError(t, err)
	s, err := Summarize([]Query{q}, Options{})
	require.NoError(t, err)
	assert.Equal(t, 30*time.Minute, s.Mean)
	assert.Equal(t, 4*time.Hour+10*time.Minute, s.Resolution.Mean)
	assert.Equal(t, 2*time.Hour+40*time.Minute, s.FirstResolution.Mean)
	assert.Equal(t, 40*time.Minute, s.NextReply.Mean)
	assert.Equal(t, 2, s.Replies.Count)
	assert.Equal(t, 35*time.Minute, s.Replies.Mean)
	assert.Equal(t, 20*time.Minute, s.AgentWait.Mean)
	assert.Equal(t, 90*time.Minute, s.OnHold.Mean)
	assert.Contains(t, s.String(), "agent wait (pending): n 1, mean 20m0s")

	// A resolved query without status periods before it counts as zero wait: (0 + 20m) / 2.
	plain := Query{Received: at(9, 0), Resolved: at(10, 0)}
	s, err = Summarize([]Query{plain, q}, Options{})
	require.NoError(t, err)
	assert.Equal(t, 2, s.AgentWait.Count)
	assert.Equal(t, 10*time.Minute, s.AgentWait.Mean)
	assert.Equal(t, 45*time.Minute, s.OnHold.Mean)
	// With no status periods at all the wait figures are not reported.
	s, err = Summarize([]Query{plain}, Options{})
	require.NoError(t, err)
	assert.Equal(t, 0, s.AgentWait.Count)
}

func TestConversationErrors(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 23, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		c       Conversation
		want    error
		message string
	}{
		{"no creation time", Conversation{ID: "X"}, ErrInvalid, `conversation "X" (index 3): Created is missing`},
		{"message before creation", Conversation{Created: at(9), Messages: []Message{{at(8), Customer, true}}}, ErrOutOfRange, "Messages[0]"},
		{"messages out of order", Conversation{Created: at(9), Messages: []Message{{at(11), Customer, true}, {at(10), Agent, true}}}, ErrOutOfRange, "Messages[1]"},
		{"message without time", Conversation{Created: at(9), Messages: []Message{{Author: Agent}}}, ErrInvalid, "Messages[0].At"},
		{"unknown author", Conversation{Created: at(9), Messages: []Message{{at(10), Author(9), true}}}, ErrInvalid, "unknown author 9"},
		{"unknown status", Conversation{Created: at(9), Statuses: []StatusChange{{at(10), "archived"}}}, ErrInvalid, `unknown status "archived"`},
		{"status before creation", Conversation{Created: at(9), Statuses: []StatusChange{{at(8), Open}}}, ErrOutOfRange, "Statuses[0]"},
		{"status without time", Conversation{Created: at(9), Statuses: []StatusChange{{Status: Open}}}, ErrInvalid, "Statuses[0].At"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Query(3, ConversationOptions{})
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.want), "%v", err)
			assert.Contains(t, err.Error(), tc.message)
		})
	}
	assert.Equal(t, "agent", Agent.String())
	assert.Equal(t, "customer", Customer.String())
	assert.Equal(t, "bot", Bot.String())
	assert.Equal(t, "Author(0)", Author(0).String())
}
