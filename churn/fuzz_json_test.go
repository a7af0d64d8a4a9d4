package churn

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"testing"
)

// FuzzCurveUnmarshalJSON: a decode either fails with ErrInvalid or gives a curve whose every
// read-out works without panicking and stays in range (survival in [0, 1], non-increasing;
// standard errors ≥ 0), and whose encoding decodes back to the same curve.
func FuzzCurveUnmarshalJSON(f *testing.F) {
	good, _ := KaplanMeier([]Subject{{Duration: 1, Churned: true}, {Duration: 2}, {Duration: 3, Churned: true}, {Duration: 3, Churned: true}})
	b, _ := json.Marshal(good)
	f.Add(b)
	f.Add([]byte(`{"time":[1,2,3],"survival":[0.5]}`))
	f.Add([]byte(`{"time":[1],"at_risk":[1],"churned":[1],"censored":[0],"survival":[0],"greenwood":[null],"subjects":1,"events":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var c Curve
		if err := json.Unmarshal(b, &c); err != nil {
			var se *json.SyntaxError
			if !errors.Is(err, ErrInvalid) && !errors.As(err, &se) {
				t.Fatalf("decode error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		prev := 1.0
		for i, tm := range c.Time {
			for _, x := range []float64{tm, tm - 0.5, tm + 0.5} {
				s := c.At(x)
				if !(s >= 0 && s <= 1) || c.StdErr(x) < 0 || math.IsNaN(c.StdErr(x)) || c.NumberAtRisk(x) < 0 {
					t.Fatalf("curve at %v: S %v, SE %v, at risk %v", x, s, c.StdErr(x), c.NumberAtRisk(x))
				}
			}
			if c.Survival[i] > prev {
				t.Fatalf("survival rises at row %d", i)
			}
			prev = c.Survival[i]
			if _, err := c.Interval(tm, 0.95); err != nil {
				t.Fatalf("Interval: %v", err)
			}
		}
		_ = c.Median()
		if _, _, err := c.Bands(0.9); err != nil {
			t.Fatalf("Bands: %v", err)
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var back Curve
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decode of an encoding fails: %v (%s)", err, out)
		}
		if !reflect.DeepEqual(nonNilCurve(c), nonNilCurve(back)) {
			t.Fatalf("decode∘encode changes the curve:\n%+v\n%+v", c, back)
		}
	})
}

// nonNilCurve makes empty columns comparable (nil and empty slices encode alike).
func nonNilCurve(c Curve) Curve {
	for _, p := range []*[]float64{&c.Time, &c.AtRisk, &c.Churned, &c.Censored, &c.Survival, &c.Greenwood} {
		*p = nonNil(*p)
	}
	return c
}

// FuzzPeriodRatesUnmarshalJSON: a decode either fails with ErrInvalid or gives consistent
// rates (NaN churn only with an empty base, otherwise churn in [0, 1] and churn + retention =
// 1), whose encoding decodes back to the same rates.
func FuzzPeriodRatesUnmarshalJSON(f *testing.F) {
	r, _ := Rates(100, 20, 110)
	b, _ := json.Marshal(r)
	f.Add(b)
	f.Add([]byte(`{"start":0,"acquired":1,"end":1,"lost":0,"lost_acquired":0,"churn":null,"retention":null}`))
	f.Add([]byte(`{"start":10,"lost":20,"churn":2,"retention":-1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var r PeriodRates
		if err := json.Unmarshal(b, &r); err != nil {
			var se *json.SyntaxError
			if !errors.Is(err, ErrInvalid) && !errors.As(err, &se) {
				t.Fatalf("decode error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		if math.IsNaN(r.Churn) != (r.Start == 0) {
			t.Fatalf("NaN churn %v with start %v", r.Churn, r.Start)
		}
		if r.Start > 0 && (!(r.Churn >= 0 && r.Churn <= 1+1e-9) || math.Abs(r.Churn+r.Retention-1) > 1e-9) {
			t.Fatalf("inconsistent rates %+v", r)
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var back PeriodRates
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("decode of an encoding fails: %v (%s)", err, out)
		}
		out2, _ := json.Marshal(back)
		if string(out) != string(out2) {
			t.Fatalf("decode∘encode is not the identity:\n%s\n%s", out, out2)
		}
	})
}
