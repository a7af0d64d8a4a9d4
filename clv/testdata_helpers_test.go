package clv

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// dataDir is the reference data inside the repository (testdata/ at its root, each folder with
// a README naming origin, licence and checksums).
const dataDir = "../testdata/"

// summaryRow is one row of cdnow_customers_summary_with_transactions.csv.
type summaryRow struct {
	ID string
	Customer
}

// readCSV reads a comma-separated file with a header, tolerating CRLF and a missing final
// newline, and returns the data rows.
func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("reference data: %v", err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		if first {
			first = false
			continue
		}
		rows = append(rows, strings.Split(line, ","))
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

func atof(tb testing.TB, s string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// cdnowSpend loads cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar): the
// calibration-period RFM summary of the CDNOW 1/10 sample in weeks, with the mean value of the
// repeat purchases.
func cdnowSpend(tb testing.TB) []summaryRow {
	tb.Helper()
	var out []summaryRow
	for _, r := range readCSV(tb, dataDir+"cdnow/cdnow_customers_summary_with_transactions.csv") {
		out = append(out, summaryRow{ID: r[0], Customer: Customer{
			Frequency:     int(atof(tb, r[1])),
			Recency:       atof(tb, r[2]),
			T:             atof(tb, r[3]),
			MonetaryValue: atof(tb, r[4]),
		}})
	}
	return out
}

func customersOf(rows []summaryRow) []Customer {
	cs := make([]Customer, len(rows))
	for i, r := range rows {
		cs[i] = r.Customer
	}
	return cs
}

// cdnowTransactions parses CDNOW_sample.txt (master ID, sample ID, YYYYMMDD, CDs, dollars;
// whitespace-separated, CRLF) into transactions keyed by the sample ID without leading zeros,
// the ID of the summary files.
func cdnowTransactions(tb testing.TB) []Transaction {
	tb.Helper()
	b, err := os.ReadFile(dataDir + "cdnow/CDNOW_sample.txt")
	if err != nil {
		tb.Fatalf("reference data: %v", err)
	}
	tx, err := parseCDNOW(b)
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}
