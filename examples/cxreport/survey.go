package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// response is one row of the survey file. A question left unanswered has rating −1.
type response struct {
	ID      string
	Date    time.Time
	Channel string
	Segment string
	NPS     int
	CSAT    int
	CES     int
}

var wantHeader = []string{"response_id", "date", "channel", "segment", "nps", "csat", "ces"}

// readSurvey parses the survey CSV. Every malformed cell is an error naming its line and
// column; nothing is skipped. Range checks are left to the metric packages, which name the
// offending value.
func readSurvey(r io.Reader) ([]response, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(wantHeader)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	for i, h := range wantHeader {
		if strings.TrimSpace(header[i]) != h {
			return nil, fmt.Errorf("header column %d is %q, want %q", i+1, header[i], h)
		}
	}
	var out []response
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		d, err := time.Parse(time.DateOnly, rec[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: date %q: %w", line, rec[1], err)
		}
		resp := response{ID: rec[0], Date: d, Channel: rec[2], Segment: rec[3]}
		for j, dst := range []*int{&resp.NPS, &resp.CSAT, &resp.CES} {
			cell := strings.TrimSpace(rec[4+j])
			if cell == "" {
				*dst = -1
				continue
			}
			v, err := strconv.Atoi(cell)
			if err != nil {
				return nil, fmt.Errorf("line %d: %s rating %q is not a whole number", line, wantHeader[4+j], cell)
			}
			if v < 0 {
				return nil, fmt.Errorf("line %d: %s rating %d is negative", line, wantHeader[4+j], v)
			}
			*dst = v
		}
		out = append(out, resp)
	}
	if len(out) == 0 {
		return nil, errors.New("no responses")
	}
	return out, nil
}
