// Package csvload reads the documented CSV layouts of cxkit's input kinds — survey responses,
// support tickets, subscriptions and transactions — into the typed inputs of the metric
// packages (nps and csat/ces ratings on their scales, responsetime.Query, churn.Subscription,
// clv.Transaction).
//
// # Layouts
//
// Each kind has a [Layout]: its conventional file name (survey.csv, tickets.csv,
// subscriptions.csv, transactions.csv), its columns, which of them are required, and an
// example row. [Layouts] lists them all, for help texts. Columns are found by name in the
// header row: their order does not matter, extra columns are ignored, names are compared
// after trimming spaces and ignoring case, a byte-order mark before the first name is
// dropped, and lines may end in CRLF. A header that lacks a required column, or names a column
// twice, is an error (wrapping [ErrHeader]) that names the column and lists the expected ones.
//
// Dates are YYYY-MM-DD (midnight in Options.Location, UTC by default); instants are RFC 3339
// (2026-05-27T18:23:00Z) or "YYYY-MM-DD hh:mm[:ss]" in Options.Location. An empty cell in an
// optional column means "not given" (an unanswered question, a ticket not yet answered, a
// subscription still active).
//
// # Streaming
//
// Every reader is a Read function that takes an io.Reader and calls a function for each good
// row (ReadSurvey, ReadTickets, ReadSubscriptions, ReadTransactions): rows are parsed one at a
// time with encoding/csv, reusing its record buffer, so a file of any size is never held in
// memory. The Load functions collect the rows into a slice for the common case.
//
// # Bad rows
//
// The caller chooses what a bad row does (Options.Policy):
//
//   - [Strict] (the zero value): the first bad row stops the read with a *[RowError] naming
//     the file, line, column and value, wrapping [ErrBadRow] and the reason's sentinel
//     (cxkit.ErrOutOfRange for a rating off its scale, cxkit.ErrInvalid for a malformed cell);
//   - [Skip]: bad rows are skipped and counted. The returned [Summary] counts them by reason
//     and keeps the first few as examples (Options.Examples, default 5), beside the data.
//
// A header problem, an I/O error or an error returned by the callback always stops the read.
// Nothing is dropped silently: Summary.Rows + Summary.Bad is the number of data records read.
package csvload
