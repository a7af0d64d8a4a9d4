package cxbeam

import (
	"reflect"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/ces"
	"github.com/cxkit/cxkit/churn"
	"github.com/cxkit/cxkit/clv"
	"github.com/cxkit/cxkit/csat"
	"github.com/cxkit/cxkit/journey"
	"github.com/cxkit/cxkit/nps"
	"github.com/cxkit/cxkit/responsetime"
)

// NPS combines ratings 0..10 into an nps.Result through an nps.Tally.
type NPS struct{}

func (NPS) fn() adapter[int, nps.Result, nps.Tally, *nps.Tally] {
	return adapter[int, nps.Result, nps.Tally, *nps.Tally]{"NPS", zero[nps.Tally]()}
}

// CreateAccumulator returns an empty nps.Tally.
func (c NPS) CreateAccumulator() (*nps.Tally, error) { return c.fn().create() }

// AddInput adds one rating; a rating outside 0..10 fails the bundle with nps's error.
func (c NPS) AddInput(a *nps.Tally, r int) (*nps.Tally, error) { return c.fn().add(a, r) }

// MergeAccumulators merges b into a.
func (c NPS) MergeAccumulators(a, b *nps.Tally) (*nps.Tally, error) { return c.fn().merge(a, b) }

// ExtractOutput returns the score; no ratings is an error wrapping cxkit.ErrEmpty.
func (c NPS) ExtractOutput(a *nps.Tally) (nps.Result, error) { return c.fn().extract(a) }

// CSAT combines ratings on Scale (the zero Scale is csat.FivePoint) into a csat.Result.
type CSAT struct {
	// Scale is the survey's scale.
	Scale csat.Scale
}

func (c CSAT) fn() adapter[int, csat.Result, csat.Tally, *csat.Tally] {
	return adapter[int, csat.Result, csat.Tally, *csat.Tally]{"CSAT", func() (*csat.Tally, error) {
		t, err := csat.NewTally(c.Scale)
		return &t, err
	}}
}

// CreateAccumulator returns an empty csat.Tally on the combiner's scale.
func (c CSAT) CreateAccumulator() (*csat.Tally, error) { return c.fn().create() }

// AddInput adds one rating; a rating off the scale fails the bundle with csat's error.
func (c CSAT) AddInput(a *csat.Tally, r int) (*csat.Tally, error) { return c.fn().add(a, r) }

// MergeAccumulators merges b into a.
func (c CSAT) MergeAccumulators(a, b *csat.Tally) (*csat.Tally, error) { return c.fn().merge(a, b) }

// ExtractOutput returns the score; no ratings is an error wrapping cxkit.ErrEmpty.
func (c CSAT) ExtractOutput(a *csat.Tally) (csat.Result, error) { return c.fn().extract(a) }

// CES combines ratings on Scale (the zero Scale is ces.FivePoint) into a ces.Result.
type CES struct {
	// Scale is the survey's scale.
	Scale ces.Scale
}

func (c CES) fn() adapter[int, ces.Result, ces.Tally, *ces.Tally] {
	return adapter[int, ces.Result, ces.Tally, *ces.Tally]{"CES", func() (*ces.Tally, error) {
		t, err := ces.NewTally(c.Scale)
		return &t, err
	}}
}

// CreateAccumulator returns an empty ces.Tally on the combiner's scale.
func (c CES) CreateAccumulator() (*ces.Tally, error) { return c.fn().create() }

// AddInput adds one rating; a rating off the scale fails the bundle with ces's error.
func (c CES) AddInput(a *ces.Tally, r int) (*ces.Tally, error) { return c.fn().add(a, r) }

// MergeAccumulators merges b into a.
func (c CES) MergeAccumulators(a, b *ces.Tally) (*ces.Tally, error) { return c.fn().merge(a, b) }

// ExtractOutput returns the score; no ratings is an error wrapping cxkit.ErrEmpty.
func (c CES) ExtractOutput(a *ces.Tally) (ces.Result, error) { return c.fn().extract(a) }

// ResponseTimes combines support queries into a responsetime.Summary through a
// responsetime.Tracker on wall-clock time: exact counts, sums and means, and quantiles from
// the tracker's DDSketch (relative error bound as responsetime documents). A business-hours
// calendar is not supported here: a Tracker's encoding does not carry its calendar.
type ResponseTimes struct{}

func (ResponseTimes) fn() adapter[responsetime.Query, responsetime.Summary, responsetime.Tracker, *responsetime.Tracker] {
	return adapter[responsetime.Query, responsetime.Summary, responsetime.Tracker, *responsetime.Tracker]{"ResponseTimes", zero[responsetime.Tracker]()}
}

// CreateAccumulator returns an empty responsetime.Tracker.
func (c ResponseTimes) CreateAccumulator() (*responsetime.Tracker, error) { return c.fn().create() }

// AddInput adds one query; an invalid query fails the bundle with responsetime's error.
func (c ResponseTimes) AddInput(a *responsetime.Tracker, q responsetime.Query) (*responsetime.Tracker, error) {
	return c.fn().add(a, q)
}

// MergeAccumulators merges b into a.
func (c ResponseTimes) MergeAccumulators(a, b *responsetime.Tracker) (*responsetime.Tracker, error) {
	return c.fn().merge(a, b)
}

// ExtractOutput returns the summary; no queries is an error wrapping cxkit.ErrEmpty.
func (c ResponseTimes) ExtractOutput(a *responsetime.Tracker) (responsetime.Summary, error) {
	return c.fn().extract(a)
}

// Churn combines subjects (duration, churned) into a Kaplan–Meier churn.Curve through a
// churn.Tally.
type Churn struct{}

func (Churn) fn() adapter[churn.Subject, churn.Curve, churn.Tally, *churn.Tally] {
	return adapter[churn.Subject, churn.Curve, churn.Tally, *churn.Tally]{"Churn", zero[churn.Tally]()}
}

// CreateAccumulator returns an empty churn.Tally.
func (c Churn) CreateAccumulator() (*churn.Tally, error) { return c.fn().create() }

// AddInput adds one subject; an invalid subject fails the bundle with churn's error.
func (c Churn) AddInput(a *churn.Tally, s churn.Subject) (*churn.Tally, error) {
	return c.fn().add(a, s)
}

// MergeAccumulators merges b into a.
func (c Churn) MergeAccumulators(a, b *churn.Tally) (*churn.Tally, error) { return c.fn().merge(a, b) }

// ExtractOutput returns the survival curve; no subjects is an error wrapping cxkit.ErrEmpty.
func (c Churn) ExtractOutput(a *churn.Tally) (churn.Curve, error) { return c.fn().extract(a) }

// Cohorts combines subscriptions into a cohort retention churn.CohortMatrix through a
// churn.CohortTally with the combiner's Origin, Step and AsOf; the result equals
// churn.CohortRetention over the same subscriptions.
type Cohorts struct {
	// Origin is the start of the first acquisition period.
	Origin time.Time
	// Step is the length of a period.
	Step cxkit.Period
	// AsOf is the time of observation.
	AsOf time.Time
}

func (c Cohorts) fn() adapter[churn.Subscription, churn.CohortMatrix, churn.CohortTally, *churn.CohortTally] {
	return adapter[churn.Subscription, churn.CohortMatrix, churn.CohortTally, *churn.CohortTally]{"Cohorts", func() (*churn.CohortTally, error) {
		return &churn.CohortTally{Origin: c.Origin, Step: c.Step, AsOf: c.AsOf}, nil
	}}
}

// CreateAccumulator returns an empty churn.CohortTally with the combiner's options.
func (c Cohorts) CreateAccumulator() (*churn.CohortTally, error) { return c.fn().create() }

// AddInput adds one subscription; an invalid one fails the bundle with churn's error.
func (c Cohorts) AddInput(a *churn.CohortTally, s churn.Subscription) (*churn.CohortTally, error) {
	return c.fn().add(a, s)
}

// MergeAccumulators merges b into a.
func (c Cohorts) MergeAccumulators(a, b *churn.CohortTally) (*churn.CohortTally, error) {
	return c.fn().merge(a, b)
}

// ExtractOutput returns the cohort matrix; no subscriptions is an error wrapping
// cxkit.ErrEmpty.
func (c Cohorts) ExtractOutput(a *churn.CohortTally) (churn.CohortMatrix, error) {
	return c.fn().extract(a)
}

// Journey combines journey observations (feedback, contacts, visits, outcomes) into a
// journey.Report of per-touchpoint, stage and persona metrics through a journey.Accumulator.
// Make it with [NewJourney]: it carries the empty accumulator (map and options) in its binary
// encoding, since Beam ships a combiner's fields to the workers. The zero Journey starts from
// the zero journey.Accumulator.
type Journey struct {
	// Empty is the binary encoding of the empty accumulator every worker starts from.
	Empty []byte
}

// NewJourney returns the Journey combiner over the journey map m with options opt; a map or
// options that journey.NewAccumulator refuses is its error. A calendar in opt does not travel
// (the accumulator's encoding does not carry it).
func NewJourney(m journey.Map, opt journey.Options) (Journey, error) {
	a, err := journey.NewAccumulator(m, opt)
	if err != nil {
		return Journey{}, err
	}
	b, err := a.MarshalBinary()
	return Journey{Empty: b}, err
}

func (c Journey) fn() adapter[journey.Observation, journey.Report, journey.Accumulator, *journey.Accumulator] {
	return adapter[journey.Observation, journey.Report, journey.Accumulator, *journey.Accumulator]{"Journey", func() (*journey.Accumulator, error) {
		if c.Empty == nil {
			return new(journey.Accumulator), nil
		}
		return decode[journey.Accumulator](c.Empty)
	}}
}

// CreateAccumulator returns the combiner's empty journey.Accumulator.
func (c Journey) CreateAccumulator() (*journey.Accumulator, error) { return c.fn().create() }

// AddInput adds one observation; an invalid one fails the bundle with journey's error.
func (c Journey) AddInput(a *journey.Accumulator, o journey.Observation) (*journey.Accumulator, error) {
	return c.fn().add(a, o)
}

// MergeAccumulators merges b into a.
func (c Journey) MergeAccumulators(a, b *journey.Accumulator) (*journey.Accumulator, error) {
	return c.fn().merge(a, b)
}

// ExtractOutput returns the journey report; no observations is an error wrapping
// cxkit.ErrEmpty.
func (c Journey) ExtractOutput(a *journey.Accumulator) (journey.Report, error) {
	return c.fn().extract(a)
}

// The registered coders: each accumulator crosses stages in its own versioned, checksummed
// MarshalBinary encoding. The encoders are the types' own methods wrapped to count encodings;
// the decoders are one-line named functions (Beam registers functions by name, which a
// generic instantiation does not have uniquely).
func encodeNPS(a *nps.Tally) ([]byte, error)                { return encode(a) }
func decodeNPS(b []byte) (*nps.Tally, error)                { return decode[nps.Tally](b) }
func encodeCSAT(a *csat.Tally) ([]byte, error)              { return encode(a) }
func decodeCSAT(b []byte) (*csat.Tally, error)              { return decode[csat.Tally](b) }
func encodeCES(a *ces.Tally) ([]byte, error)                { return encode(a) }
func decodeCES(b []byte) (*ces.Tally, error)                { return decode[ces.Tally](b) }
func encodeTracker(a *responsetime.Tracker) ([]byte, error) { return encode(a) }
func decodeTracker(b []byte) (*responsetime.Tracker, error) { return decode[responsetime.Tracker](b) }
func encodeChurn(a *churn.Tally) ([]byte, error)            { return encode(a) }
func decodeChurn(b []byte) (*churn.Tally, error)            { return decode[churn.Tally](b) }
func encodeCohorts(a *churn.CohortTally) ([]byte, error)    { return encode(a) }
func decodeCohorts(b []byte) (*churn.CohortTally, error)    { return decode[churn.CohortTally](b) }
func encodeJourney(a *journey.Accumulator) ([]byte, error)  { return encode(a) }
func decodeJourney(b []byte) (*journey.Accumulator, error)  { return decode[journey.Accumulator](b) }

func init() {
	beam.RegisterCoder(reflect.TypeFor[*nps.Tally](), encodeNPS, decodeNPS)
	beam.RegisterCoder(reflect.TypeFor[*csat.Tally](), encodeCSAT, decodeCSAT)
	beam.RegisterCoder(reflect.TypeFor[*ces.Tally](), encodeCES, decodeCES)
	beam.RegisterCoder(reflect.TypeFor[*responsetime.Tracker](), encodeTracker, decodeTracker)
	beam.RegisterCoder(reflect.TypeFor[*churn.Tally](), encodeChurn, decodeChurn)
	beam.RegisterCoder(reflect.TypeFor[*churn.CohortTally](), encodeCohorts, decodeCohorts)
	beam.RegisterCoder(reflect.TypeFor[*journey.Accumulator](), encodeJourney, decodeJourney)

	register.Combiner3[*nps.Tally, int, nps.Result](&NPS{})
	register.Combiner3[*csat.Tally, int, csat.Result](&CSAT{})
	register.Combiner3[*ces.Tally, int, ces.Result](&CES{})
	register.Combiner3[*responsetime.Tracker, responsetime.Query, responsetime.Summary](&ResponseTimes{})
	register.Combiner3[*churn.Tally, churn.Subject, churn.Curve](&Churn{})
	register.Combiner3[*churn.CohortTally, churn.Subscription, churn.CohortMatrix](&Cohorts{})
	register.Combiner3[*journey.Accumulator, journey.Observation, journey.Report](&Journey{})
}

// RFM combines transactions into an RFM summary (each customer's frequency, recency, age and
// mean repeat spend — the input of clv's BG/NBD, Pareto/NBD and Gamma-Gamma fits) through a
// clv.RFMAccumulator with the combiner's options. Location is an IANA zone name (empty means
// UTC), since a *time.Location does not travel in a pipeline's serialised combiner.
type RFM struct {
	// Unit is the time unit of recency and age (zero: cxkit.Day), as clv.RFMOptions.Unit.
	Unit cxkit.Period
	// Period groups purchases within one calendar period of Location into one (zero: a day;
	// cxkit.Week is an ISO week), as clv.RFMOptions.Period.
	Period cxkit.Period
	// Location is the zone of the period boundaries, e.g. "Europe/Paris".
	Location string
	// CalibrationEnd and HoldoutEnd are as in clv.RFMOptions.
	CalibrationEnd, HoldoutEnd time.Time
}

func (c RFM) fn() adapter[clv.Transaction, clv.RFMSummary, clv.RFMAccumulator, *clv.RFMAccumulator] {
	return adapter[clv.Transaction, clv.RFMSummary, clv.RFMAccumulator, *clv.RFMAccumulator]{"RFM", func() (*clv.RFMAccumulator, error) {
		loc, err := loadLocation(c.Location)
		if err != nil {
			return nil, err
		}
		return &clv.RFMAccumulator{Options: clv.RFMOptions{Unit: c.Unit, Period: c.Period, Location: loc,
			CalibrationEnd: c.CalibrationEnd, HoldoutEnd: c.HoldoutEnd}}, nil
	}}
}

// CreateAccumulator returns an empty clv.RFMAccumulator with the combiner's options.
func (c RFM) CreateAccumulator() (*clv.RFMAccumulator, error) { return c.fn().create() }

// AddInput adds one transaction; an invalid one fails the bundle with clv's error.
func (c RFM) AddInput(a *clv.RFMAccumulator, t clv.Transaction) (*clv.RFMAccumulator, error) {
	return c.fn().add(a, t)
}

// MergeAccumulators merges b into a.
func (c RFM) MergeAccumulators(a, b *clv.RFMAccumulator) (*clv.RFMAccumulator, error) {
	return c.fn().merge(a, b)
}

// ExtractOutput returns the RFM summary; no transactions is an error wrapping cxkit.ErrEmpty.
func (c RFM) ExtractOutput(a *clv.RFMAccumulator) (clv.RFMSummary, error) { return c.fn().extract(a) }

// locations caches time.LoadLocation by name: a per-key combine creates an accumulator per key
// and bundle, and loading a zone parses its tzdata (11% of a CLV pipeline's CPU without it).
var locations sync.Map // string → *time.Location

func loadLocation(name string) (*time.Location, error) {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	locations.Store(name, l)
	return l, nil
}

func encodeRFM(a *clv.RFMAccumulator) ([]byte, error) { return encode(a) }
func decodeRFM(b []byte) (*clv.RFMAccumulator, error) { return decode[clv.RFMAccumulator](b) }

func init() {
	beam.RegisterCoder(reflect.TypeFor[*clv.RFMAccumulator](), encodeRFM, decodeRFM)
	register.Combiner3[*clv.RFMAccumulator, clv.Transaction, clv.RFMSummary](&RFM{})
}
