package churn

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/cxkit/cxkit"
)

// benchSubjects draws n customers with exponential lifetimes (mean 24 months) censored by a
// uniform end of observation within 36 months, as continuous durations (so almost every
// duration is distinct, the hard case for Kaplan–Meier).
func benchSubjects(n int) []Subject {
	rng := rand.New(rand.NewPCG(2026, 6))
	s := make([]Subject, n)
	for i := range s {
		life := -24 * math.Log(1-rng.Float64())
		obs := 36 * rng.Float64()
		s[i] = Subject{Duration: math.Min(life, obs), Churned: life <= obs}
	}
	return s
}

func BenchmarkKaplanMeier1M(b *testing.B) {
	subjects := benchSubjects(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KaplanMeier(subjects); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKaplanMeier1MWholeDays(b *testing.B) {
	subjects := benchSubjects(1_000_000)
	for i := range subjects {
		subjects[i].Duration = math.Ceil(subjects[i].Duration * 30)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := KaplanMeier(subjects); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTallyAdd(b *testing.B) {
	subjects := benchSubjects(100_000)
	for i := range subjects {
		subjects[i].Duration = math.Ceil(subjects[i].Duration * 30)
	}
	b.ReportAllocs()
	for b.Loop() {
		var t Tally
		if err := t.AddAll(subjects); err != nil {
			b.Fatal(err)
		}
		if _, err := t.Result(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLogRank(b *testing.B) {
	s := benchSubjects(200_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LogRankTest(s[:100_000], s[100_000:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFitSBG(b *testing.B) {
	alive := []float64{1000, 869, 743, 653, 593, 551, 517, 491}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FitSBG(alive); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDERL(b *testing.B) {
	m := SBG{Alpha: 0.668, Beta: 3.806}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.DERL(0.1, 7); err != nil {
			b.Fatal(err)
		}
	}
}

// benchLog draws n subscriptions started during 2024 with exponential lifetimes (mean 300
// days), observed until 1 January 2026.
func benchLog(n int) []Subscription {
	rng := rand.New(rand.NewPCG(3, 4))
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	subs := make([]Subscription, n)
	for i := range subs {
		start := origin.Add(time.Duration(rng.Float64() * 366 * 24 * float64(time.Hour)))
		end := start.Add(time.Duration(-300 * 24 * float64(time.Hour) * math.Log(1-rng.Float64())))
		subs[i] = Subscription{Customer: "c", Start: start}
		if end.Before(asOf) {
			subs[i].End = end
		}
	}
	return subs
}

func BenchmarkCohortRetentionDaily(b *testing.B) {
	subs := benchLog(100_000)
	origin := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CohortRetention(subs, origin, cxkit.Day, asOf); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRatesFromLogMonthly(b *testing.B) {
	subs := benchLog(100_000)
	periods, err := Periods(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), cxkit.Month, 24)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RatesFromLog(subs, periods); err != nil {
			b.Fatal(err)
		}
	}
}
