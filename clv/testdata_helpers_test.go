package clv

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// pbDataDir is the reference data inside the repository (testdata/ at its root, each folder with
// a README naming origin, licence and checksums).
const pbDataDir = "../testdata/"

// pbSummaryRow is one row of cdnow_customers_summary_with_transactions.csv.
type pbSummaryRow struct {
	ID string
	Customer
}

// pbReadCSV reads a comma-separated file with a header, tolerating CRLF and a missing final
// newline, and returns the data rows.
func pbReadCSV(tb testing.TB, path string) [][]string {
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

func pbAtof(tb testing.TB, s string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// pbCDNOWSpend loads cdnow_customers_summary_with_transactions.csv (ID,x,t_x,T,zbar): the
// calibration-period RFM summary of the CDNOW 1/10 sample in weeks, with the mean value of the
// repeat purchases.
func pbCDNOWSpend(tb testing.TB) []pbSummaryRow {
	tb.Helper()
	var out []pbSummaryRow
	for _, r := range pbReadCSV(tb, pbDataDir+"cdnow/cdnow_customers_summary_with_transactions.csv") {
		out = append(out, pbSummaryRow{ID: r[0], Customer: Customer{
			Frequency:     int(pbAtof(tb, r[1])),
			Recency:       pbAtof(tb, r[2]),
			T:             pbAtof(tb, r[3]),
			MonetaryValue: pbAtof(tb, r[4]),
		}})
	}
	return out
}

func pbCustomers(rows []pbSummaryRow) []Customer {
	cs := make([]Customer, len(rows))
	for i, r := range rows {
		cs[i] = r.Customer
	}
	return cs
}

// pbCDNOWTransactions parses CDNOW_sample.txt (master ID, sample ID, YYYYMMDD, CDs, dollars;
// whitespace-separated, CRLF) into transactions keyed by the sample ID without leading zeros,
// the ID of the summary files.
func pbCDNOWTransactions(tb testing.TB) []Transaction {
	tb.Helper()
	b, err := os.ReadFile(pbDataDir + "cdnow/CDNOW_sample.txt")
	if err != nil {
		tb.Fatalf("reference data: %v", err)
	}
	tx, err := pbParseCDNOW(b)
	if err != nil {
		tb.Fatal(err)
	}
	return tx
}
