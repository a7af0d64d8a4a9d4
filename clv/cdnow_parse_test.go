package clv

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseCDNOW parses the CDNOW sample format (see cdnowTransactions).
func parseCDNOW(b []byte) ([]Transaction, error) {
	var tx []Transaction
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 5 {
			return nil, fmt.Errorf("line %d: %d fields", n, len(f))
		}
		id, err := strconv.Atoi(f[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		day, err := time.Parse("20060102", f[2])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		amt, err := strconv.ParseFloat(f[4], 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		tx = append(tx, Transaction{Customer: strconv.Itoa(id), Time: day, Amount: amt})
	}
	return tx, sc.Err()
}
