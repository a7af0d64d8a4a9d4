package csvload

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cxkit/cxkit"
	"github.com/cxkit/cxkit/journey"
)

func TestLoadMap(t *testing.T) {
	tps := "id,stage,name,channel\r\nad,awareness,Social ad,social\r\nsite,consideration,,web\r\nblog,awareness,Blog,web\r\n"
	ps := "\ufeffid,name,needs,attributes\nsenior,Careful senior,larger fonts; fewer steps,age=65+;device=tablet\n"
	m, err := LoadMap(strings.NewReader(tps), strings.NewReader(ps), Options{File: "touchpoints.csv"}, "personas.csv")
	require.NoError(t, err)
	require.Equal(t, []journey.Stage{"awareness", "consideration"}, m.Stages) // order of first appearance
	require.Equal(t, []string{"ad", "site", "blog"}, []string{m.Touchpoints[0].ID, m.Touchpoints[1].ID, m.Touchpoints[2].ID})
	require.Equal(t, journey.Channel("web"), m.Touchpoints[1].Channel)
	require.Equal(t, []string{"larger fonts", "fewer steps"}, m.Personas[0].Needs)
	require.Equal(t, map[string]string{"age": "65+", "device": "tablet"}, m.Personas[0].Attributes)

	_, err = LoadMap(strings.NewReader(tps+"ad,renewal,,\n"), nil, Options{File: "touchpoints.csv"}, "")
	require.ErrorContains(t, err, "touchpoints.csv")
	require.ErrorContains(t, err, "ad") // journey's Validate names the duplicate
	_, err = LoadMap(strings.NewReader("id,name\nx,y\n"), nil, Options{File: "touchpoints.csv"}, "")
	require.ErrorIs(t, err, ErrHeader)
	_, err = LoadMap(strings.NewReader(tps), strings.NewReader("id,attributes\nsenior,age\n"), Options{Policy: Skip}, "personas.csv")
	require.ErrorIs(t, err, ErrBadRow, "a map is always read strictly")
	require.ErrorContains(t, err, "personas.csv:2: column attributes")
}

func TestJourneyEvents(t *testing.T) {
	es, sum, err := LoadJourneyEvents(strings.NewReader("time,customer,touchpoint\n2026-01-03T10:12:00Z,K1,ad\nsoon,K1,site\n2026-01-04 09:00,K1,site\n"), Options{Policy: Skip})
	require.NoError(t, err)
	require.Len(t, es, 2)
	require.Equal(t, journey.Event{Customer: "K1", Touchpoint: "site", Time: time.Date(2026, 1, 4, 9, 0, 0, 0, time.UTC)}, es[1].Event)
	require.Equal(t, 1, sum.Bad)
	require.ErrorIs(t, sum.Examples[0], cxkit.ErrInvalid)
	require.Equal(t, 3, sum.Examples[0].Line)
}
