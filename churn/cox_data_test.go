package churn

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// coxFrame is a model frame exported by bench/cox/reference.R (see testdata/cox/README.md):
// columns entry, stop, event, weight, stratum, then the covariates.
type coxFrame struct {
	subjects []Subject
	x        [][]float64
	strata   []int
	names    []string
}

func readCoxFrame(t testing.TB, name string) coxFrame {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "cox", name+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	fr := coxFrame{names: rows[0][5:]}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	for _, r := range rows[1:] {
		fr.subjects = append(fr.subjects, Subject{Entry: num(r[0]), Duration: num(r[1]), Churned: r[2] == "1", Weight: num(r[3])})
		fr.strata = append(fr.strata, int(num(r[4])))
		x := make([]float64, len(r)-5)
		for j := range x {
			x[j] = num(r[5+j])
		}
		fr.x = append(fr.x, x)
	}
	return fr
}
