package responsetime

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzGroupBy: GroupBy fails exactly when Summarize of all queries fails (with a sentinel);
// otherwise the groups partition the queries (their counts add up to the whole), keys ascend,
// and each group's summary is Summarize of its own queries.
func FuzzGroupBy(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0, 0}, byte(2))
	f.Add([]byte("\x10\x00\x00\x00\x20\x00\x01\x00\x30\x00\x02\x00\x05\x00\x00\x00\x11\x00\x00\x00\x40\x00\x00\x00"), byte(3))
	cals := fuzzCalendars(f)
	f.Fuzz(func(t *testing.T, data []byte, groups byte) {
		qs := fuzzQueries(data)
		n := int(groups%4) + 1
		for i := range qs {
			qs[i].Channel = string(rune('a' + (i*7+int(groups))%n))
		}
		for _, c := range cals {
			opts := Options{Calendar: c}
			whole, werr := Summarize(qs, opts)
			gs, err := GroupBy(qs, ByChannel, opts)
			if (err == nil) != (werr == nil) {
				t.Fatalf("GroupBy error %v, Summarize error %v", err, werr)
			}
			if err != nil {
				if !sentinel(err) {
					t.Fatalf("error without sentinel: %v", err)
				}
				continue
			}
			total := 0
			for k, g := range gs {
				if k > 0 && gs[k-1].Key >= g.Key {
					t.Fatalf("keys not ascending: %q, %q", gs[k-1].Key, g.Key)
				}
				var mine []Query
				for _, q := range qs {
					if q.Channel == g.Key {
						mine = append(mine, q)
					}
				}
				s, err := Summarize(mine, opts)
				if err != nil {
					t.Fatalf("group %q: %v", g.Key, err)
				}
				if !reflect.DeepEqual(s, g.Summary) {
					t.Fatalf("group %q summary %+v, Summarize of its queries %+v", g.Key, g.Summary, s)
				}
				total += g.Summary.Queries
			}
			if total != whole.Queries {
				t.Fatalf("groups hold %d queries, the whole %d", total, whole.Queries)
			}
		}
	})
}

// FuzzTrackerMerge: trackers fed any split of the queries (some passed through the binary or
// JSON encoding, which must decode to the same figures) merge to exactly the tracker of one
// pass: the same counts, sums, extremes and sketch, hence the same Result and quantiles.
func FuzzTrackerMerge(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 100, 0, 0, 0, 200, 0, 0, 0, 7, 0, 0, 0, 90, 0, 0, 0, 0, 0, 0, 0}, uint64(0b1011))
	f.Add([]byte("\x10\x00\x00\x00\x20\x00\x01\x00\x30\x00\x02\x00\x05\x00\x00\x00\x11\x00\x00\x00\x40\x00\x00\x00"), uint64(5))
	cals := fuzzCalendars(f)
	f.Fuzz(func(t *testing.T, data []byte, split uint64) {
		qs := fuzzQueries(data)
		for _, c := range cals {
			one := Tracker{Calendar: c}
			parts := [3]Tracker{{Calendar: c}, {Calendar: c}, {Calendar: c}}
			for i, q := range qs {
				if err := one.Add(q); err != nil {
					continue // a rejected query is rejected by every tracker alike
				}
				p := &parts[(split>>(2*(i%32)))%3]
				if err := p.Add(q); err != nil {
					t.Fatalf("part rejected a query the one-pass tracker accepted: %v", err)
				}
			}
			merged := Tracker{Calendar: c}
			for k := range parts {
				p := &parts[k]
				switch (split >> 62) % 3 {
				case 1:
					b, err := p.MarshalBinary()
					if err != nil {
						t.Fatal(err)
					}
					back := Tracker{Calendar: c}
					if err := back.UnmarshalBinary(b); err != nil {
						t.Fatalf("decode of an encoding: %v", err)
					}
					if b2, _ := back.MarshalBinary(); string(b2) != string(b) {
						t.Fatal("binary decode∘encode is not the identity")
					}
					p = &back
				case 2:
					b, err := json.Marshal(p)
					if err != nil {
						t.Fatal(err)
					}
					back := Tracker{Calendar: c}
					if err := json.Unmarshal(b, &back); err != nil {
						t.Fatalf("decode of a JSON encoding: %v", err)
					}
					p = &back
				}
				if err := merged.Merge(p); err != nil {
					t.Fatalf("merge: %v", err)
				}
			}
			want, werr := one.Result()
			got, gerr := merged.Result()
			if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(want, got) {
				t.Fatalf("merged %+v (%v) differs from one pass %+v (%v)", got, gerr, want, werr)
			}
			for _, q := range []float64{0, 0.25, 0.99, 1} {
				a, aerr := one.Quantile(q)
				b, berr := merged.Quantile(q)
				if a != b || (aerr == nil) != (berr == nil) {
					t.Fatalf("quantile %v: merged %v, one pass %v", q, b, a)
				}
				if aerr == nil && (a < want.Min || a > want.Max) {
					t.Fatalf("quantile %v = %v outside [%v, %v]", q, a, want.Min, want.Max)
				}
			}
			if werr == nil && want.Answered > 0 && (want.Mean < want.Min || want.Mean > want.Max) {
				t.Fatalf("mean %v outside [%v, %v]", want.Mean, want.Min, want.Max)
			}
		}
	})
}
