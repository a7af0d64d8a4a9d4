package clv

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// fuzzTransactions decodes bytes into a small transaction log: 4 bytes a transaction
// (customer, day offset (two bytes), whole amount), so that sums are exact in any order.
func fuzzTransactions(b []byte) []Transaction {
	base := time.Date(2023, 12, 25, 0, 0, 0, 0, time.UTC)
	var tx []Transaction
	for ; len(b) >= 4; b = b[4:] {
		tx = append(tx, Transaction{
			Customer: string(rune('a' + b[0]%6)),
			Time:     base.Add(time.Duration(int(b[1])|int(b[2]&3)<<8) * 7 * time.Hour),
			Amount:   float64(b[3]),
		})
	}
	return tx
}

// FuzzRFMAccumulatorMerge checks the accumulator contract on arbitrary logs: adding the log in
// two pieces (split at any point) and merging them, in either order, gives the same state
// (byte for byte) and the same Result as one pass, and that state survives both encodings.
func FuzzRFMAccumulatorMerge(f *testing.F) {
	f.Add([]byte{0, 1, 0, 5, 0, 30, 0, 7, 1, 2, 0, 1, 1, 200, 1, 9}, uint8(2), uint8(1))
	f.Add([]byte{3, 0, 0, 0}, uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, split, kinds uint8) {
		tx := fuzzTransactions(b)
		// Every unit and purchase period: the default (a day), then Day to Year.
		opt := RFMOptions{Unit: cxkit.Period(kinds%5 + 1), Period: cxkit.Period(kinds / 5 % 6)}
		k := 0
		if len(tx) > 0 {
			k = int(split) % (len(tx) + 1)
		}
		one := RFMAccumulator{Options: opt}
		if err := one.AddAll(tx); err != nil {
			t.Fatalf("valid log refused: %v", err)
		}
		for order := 0; order < 2; order++ {
			x, y := RFMAccumulator{Options: opt}, RFMAccumulator{Options: opt}
			if err := x.AddAll(tx[:k]); err != nil {
				t.Fatal(err)
			}
			if err := y.AddAll(tx[k:]); err != nil {
				t.Fatal(err)
			}
			if order == 1 {
				x, y = y, x
			}
			if err := x.Merge(&y); err != nil {
				t.Fatalf("merge: %v", err)
			}
			want, _ := one.MarshalBinary()
			got, _ := x.MarshalBinary()
			if !bytes.Equal(want, got) {
				t.Fatalf("merge of a split at %d (order %d) differs from one pass", k, order)
			}
			r1, err1 := one.Result()
			r2, err2 := x.Result()
			if (err1 == nil) != (err2 == nil) || err1 == nil && len(r1.Customers) != len(r2.Customers) {
				t.Fatalf("results differ: %v / %v", err1, err2)
			}
			if err1 != nil && !errors.Is(err1, ErrEmpty) {
				t.Fatalf("result of a valid log: %v", err1)
			}
			// ...and it is Summarize's (whole amounts: the sums are exact in any order).
			s, err := Summarize(tx, opt)
			if (err == nil) != (err1 == nil) || err == nil && !reflect.DeepEqual(s, r2) {
				t.Fatalf("merged result differs from Summarize (%v / %v)", err, err1)
			}
		}
		// decode ∘ encode = identity, for both encodings.
		bin, _ := one.MarshalBinary()
		js, _ := one.MarshalJSON()
		var fromBin, fromJSON RFMAccumulator
		if err := fromBin.UnmarshalBinary(bin); err != nil {
			t.Fatalf("binary round trip: %v", err)
		}
		if err := fromJSON.UnmarshalJSON(js); err != nil {
			t.Fatalf("JSON round trip: %v (%s)", err, js)
		}
		for _, d := range []*RFMAccumulator{&fromBin, &fromJSON} {
			again, _ := d.MarshalBinary()
			if !bytes.Equal(again, bin) {
				t.Fatal("decoded state differs")
			}
		}
	})
}

// FuzzRFMAccumulatorUnmarshalJSON feeds arbitrary JSON to UnmarshalJSON: errors wrap
// ErrInvalid and leave the target unchanged; what decodes re-encodes to JSON that decodes to
// the same state, merges into an accumulator with its options (doubling its transactions),
// and gives a Result or a sentinel error.
func FuzzRFMAccumulatorUnmarshalJSON(f *testing.F) {
	a := RFMAccumulator{Options: RFMOptions{Unit: cxkit.Week}}
	_ = a.AddAll(fuzzTransactions([]byte{0, 1, 0, 5, 0, 30, 0, 7, 1, 2, 0, 1}))
	js, _ := a.MarshalJSON()
	f.Add(js)
	f.Add([]byte(`{"unit":"week","period":"day","location":"UTC","calibration_end":"2024-03-01T00:00:00Z","holdout_end":"2024-04-01T00:00:00Z","customers":[{"id":"a","periods":[{"period":2,"amount":1,"count":1},{"period":9,"amount":2,"count":3}]}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"unit":"month","period":"quarter","location":"Europe/Paris","customers":[{"id":"x","periods":[{"period":-5,"amount":0,"count":1}]}]}`))
	f.Add([]byte(`{"unit":"year","period":"year","location":"UTC","calibration_end":"2030-01-01T00:00:00Z","customers":[{"id":"x","periods":[{"period":54,"amount":3,"count":1}]}]}`))
	// An encoding from before units were named is refused.
	f.Add([]byte(`{"unit":604800000000000,"period_seconds":86400,"location":"UTC","customers":[{"id":"a","periods":[{"period":2,"amount":1,"count":1}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		target := a
		before, _ := target.MarshalBinary()
		err := target.UnmarshalJSON(b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			if after, _ := target.MarshalBinary(); !bytes.Equal(before, after) {
				t.Fatal("failed decode changed the target")
			}
			return
		}
		bin, _ := target.MarshalBinary()
		again, err := target.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back RFMAccumulator
		if err := back.UnmarshalJSON(again); err != nil {
			t.Fatalf("re-encoded JSON does not decode: %v", err)
		}
		if b2, _ := back.MarshalBinary(); !bytes.Equal(bin, b2) {
			t.Fatal("decode ∘ encode is not the identity")
		}
		if _, err := target.Result(); err != nil && !knownErr(err) {
			t.Fatalf("result error without a sentinel: %v", err)
		}
		n := target.Transactions()
		other := RFMAccumulator{Options: target.Options}
		if err := other.Merge(&target); err != nil {
			t.Fatalf("merge into the same options: %v", err)
		}
		if err := other.Merge(&target); err != nil {
			if !errors.Is(err, ErrOutOfRange) {
				t.Fatalf("second merge: %v", err)
			}
			if other.Transactions() != n {
				t.Fatal("failed merge changed the receiver")
			}
		} else if other.Transactions() != 2*n {
			t.Fatalf("merged %d transactions twice: %d", n, other.Transactions())
		}
	})
}
