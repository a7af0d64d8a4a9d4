package clv

import (
	"testing"
)

// BenchmarkEstimates measures the standard errors alone (Estimates) on fitted models, and
// fit plus standard errors on 1 M all-distinct histories (issue 16: lifetimes' fit, which
// includes its standard errors, takes about 15 s there).
func BenchmarkEstimates(b *testing.B) {
	cdnow := loadCDNOWSummaryCM(b)
	bg := BGNBD{R: 0.2426, Alpha: 4.4135, A: 0.7929, B: 2.4258}
	pn := ParetoNBD{R: 0.5533, Alpha: 10.5776, S: 0.6062, Beta: 11.6679}
	b.Run("BGNBD/CDNOW", func(b *testing.B) {
		for b.Loop() {
			if _, err := bg.Estimates(cdnow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ParetoNBD/CDNOW", func(b *testing.B) {
		for b.Loop() {
			if _, err := pn.Estimates(cdnow); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GammaGamma/CDNOW", func(b *testing.B) {
		cs := RepeatBuyers(customersOf(cdnowSpend(b)))
		g := GammaGamma{P: 6.2488, Q: 3.7446, V: 15.4478}
		for b.Loop() {
			if _, err := g.Estimates(cs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BGBB/Donations", func(b *testing.B) {
		ds := loadDonations(b)
		m := BGBB{Alpha: 1.204, Beta: 0.750, Gamma: 0.657, Delta: 2.783}
		for b.Loop() {
			if _, err := m.Estimates(ds); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("BGNBD/Synthetic1M", func(b *testing.B) {
		cs := benchInputsCM(b)["Synthetic1M"]
		m := BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			forgetHistories() // Estimates on customers no fit has seen: it groups them
			if _, err := m.Estimates(cs); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("FitBGNBDWithEstimates/Synthetic1M", func(b *testing.B) {
		cs := benchInputsCM(b)["Synthetic1M"]
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			forgetHistories() // each fit groups its customers; Estimates then reuses them
			m, err := FitBGNBD(cs)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.Estimates(cs); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHistoryCacheCheck measures the check that lets Estimates reuse the fit's
// compressed histories: one parallel pass comparing every customer with its history.
func BenchmarkHistoryCacheCheck(b *testing.B) {
	for _, name := range []string{"CDNOWx425", "Synthetic1M"} {
		b.Run(name, func(b *testing.B) {
			cs := benchInputsCM(b)[name]
			if _, err := countData("bench", cs); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if histories.lookup(cs) == nil {
					b.Fatal("not cached")
				}
			}
		})
	}
}
