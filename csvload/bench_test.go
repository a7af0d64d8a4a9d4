package csvload

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/cxkit/cxkit/clv"
)

// benchRows is the number of data rows of each benchmark file.
const benchRows = 100_000

// benchFile builds a CSV file of the layout's header and n rows from row(i, rng).
func benchFile(header string, n int, row func(i int, r *rand.Rand) string) []byte {
	r := rand.New(rand.NewPCG(16, 5))
	var b bytes.Buffer
	b.WriteString(header + "\n")
	for i := range n {
		b.WriteString(row(i, r))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var benchT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

// benchRead times one Read over a file: MB/s from SetBytes, rows/s as a metric.
func benchRead(b *testing.B, data []byte, rows int, read func(*bytes.Reader) (Summary, error)) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s, err := read(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if s.Rows != rows {
			b.Fatalf("%d rows read, want %d", s.Rows, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRead reads 100,000 rows of each documented layout (journey map files: 300
// touchpoints and 50 personas, the size of a designed map) through the streaming readers,
// with every column filled: MB/s of CSV and rows/s.
func BenchmarkRead(b *testing.B) {
	b.Run("survey", func(b *testing.B) {
		data := benchFile("response_id,date,customer,channel,segment,persona,touchpoint,nps,csat,ces", benchRows, func(i int, r *rand.Rand) string {
			return fmt.Sprintf("R%07d,%s,C%06d,email,smb,p%d,t%d,%d,%d,%d", i, benchT0.AddDate(0, 0, r.IntN(365)).Format(time.DateOnly),
				r.IntN(50000), r.IntN(5), r.IntN(30), r.IntN(11), 1+r.IntN(5), 1+r.IntN(7))
		})
		benchRead(b, data, benchRows, func(x *bytes.Reader) (Summary, error) {
			return ReadSurvey(x, SurveyOptions{}, func(Response) error { return nil })
		})
	})
	b.Run("tickets", func(b *testing.B) {
		data := benchFile("id,received,first_response,resolved,channel,priority,team,agent,customer,touchpoint,persona", benchRows, func(i int, r *rand.Rand) string {
			rec := benchT0.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour)))).Truncate(time.Second)
			fr := rec.Add(time.Duration(r.IntN(86400)) * time.Second)
			res := fr.Add(time.Duration(r.IntN(10*86400)) * time.Second)
			return fmt.Sprintf("T-%07d,%s,%s,%s,chat,normal,billing,a%d,C%06d,t%d,p%d", i, rfc(rec), rfc(fr), rfc(res), r.IntN(40), r.IntN(50000), r.IntN(30), r.IntN(5))
		})
		benchRead(b, data, benchRows, func(x *bytes.Reader) (Summary, error) {
			return ReadTickets(x, Options{}, func(Ticket) error { return nil })
		})
	})
	b.Run("subscriptions", func(b *testing.B) {
		data := benchFile("customer,start,end,segment,plan,persona", benchRows, func(i int, r *rand.Rand) string {
			start := benchT0.AddDate(0, 0, -r.IntN(1000))
			end := ""
			if r.IntN(3) > 0 {
				end = start.AddDate(0, 0, 1+r.IntN(900)).Format(time.DateOnly)
			}
			return fmt.Sprintf("C%07d,%s,%s,smb,basic,p%d", i, start.Format(time.DateOnly), end, r.IntN(5))
		})
		benchRead(b, data, benchRows, func(x *bytes.Reader) (Summary, error) {
			return ReadSubscriptions(x, Options{}, func(Subscription) error { return nil })
		})
	})
	b.Run("transactions", func(b *testing.B) {
		data := benchFile("customer,date,amount", benchRows, func(i int, r *rand.Rand) string {
			return fmt.Sprintf("U%06d,%s,%s", r.IntN(20000), benchT0.AddDate(0, 0, r.IntN(365)).Format(time.DateOnly), strconv.FormatFloat(float64(r.IntN(100000))/100, 'f', 2, 64))
		})
		benchRead(b, data, benchRows, func(x *bytes.Reader) (Summary, error) {
			return ReadTransactions(x, Options{}, func(clv.Transaction) error { return nil })
		})
	})
	b.Run("journey_events", func(b *testing.B) {
		data := benchFile("customer,touchpoint,time,persona", benchRows, func(i int, r *rand.Rand) string {
			return fmt.Sprintf("K%06d,t%d,%s,p%d", i/10, r.IntN(30), rfc(benchT0.Add(time.Duration(r.IntN(365*86400))*time.Second)), r.IntN(5))
		})
		benchRead(b, data, benchRows, func(x *bytes.Reader) (Summary, error) {
			return ReadJourneyEvents(x, Options{}, func(JourneyEvent) error { return nil })
		})
	})
	b.Run("map", func(b *testing.B) {
		stages := []string{"awareness", "consideration", "purchase", "onboarding", "use/support", "renewal", "advocacy"}
		tps := benchFile("stage,id,name,channel", 300, func(i int, r *rand.Rand) string {
			return fmt.Sprintf("%s,t%d,Touchpoint %d,web", stages[i*len(stages)/300], i, i)
		})
		pers := benchFile("id,name,description,needs,attributes", 50, func(i int, r *rand.Rand) string {
			return fmt.Sprintf("p%d,Persona %d,a persona,larger fonts;fewer steps,age=65+;device=tablet", i, i)
		})
		b.SetBytes(int64(len(tps) + len(pers)))
		b.ReportAllocs()
		for b.Loop() {
			m, err := LoadMap(bytes.NewReader(tps), bytes.NewReader(pers), Options{}, "personas.csv")
			if err != nil {
				b.Fatal(err)
			}
			if len(m.Touchpoints) != 300 || len(m.Personas) != 50 {
				b.Fatalf("%d touchpoints, %d personas", len(m.Touchpoints), len(m.Personas))
			}
		}
		b.ReportMetric(350*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
