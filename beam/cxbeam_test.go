package cxbeam

import (
	"context"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/graph/coder"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	// Beam's schema coder would silently drop the accumulators' unexported fields; with this
	// flag a pipeline whose accumulator falls back to it fails at construction instead.
	coder.RequireAllFieldsExported(true)
	beam.Init()
	os.Exit(m.Run())
}

// The pipeline's results land here: the collect DoFns run in this process under prism.
var (
	mu      sync.Mutex
	results = map[string]map[string]any{} // run → key ("" for the global combine) → value
)

type collect struct{ Run string }

func (c *collect) ProcessElement(v beam.T) { store(c.Run, "", v) }

type collectKV struct{ Run string }

func (c *collectKV) ProcessElement(k string, v beam.T) { store(c.Run, k, v) }

func store(run, k string, v any) {
	mu.Lock()
	defer mu.Unlock()
	if results[run] == nil {
		results[run] = map[string]any{}
	}
	results[run][k] = v
}

func init() {
	register.DoFn1x0[beam.T](&collect{})
	register.DoFn2x0[string, beam.T](&collectKV{})
}

// runCombine builds generated keyed inputs with gen, combines them globally (values only) and
// per key with fn on prism, and returns the global result and the per-key results. It also
// checks that the accumulators crossed stages through the registered binary coder.
func runCombine(t *testing.T, gen any, fn any) (global any, perKey map[string]any) {
	t.Helper()
	run := t.Name()
	p, s := beam.NewPipelineWithRoot()
	seeds := make([]any, shards)
	for i := range seeds {
		seeds[i] = i
	}
	keyed := beam.ParDo(s, gen, beam.Create(s, seeds...))
	values := beam.DropKey(s, keyed)
	beam.ParDo0(s, &collect{Run: run}, beam.Combine(s, fn, values))
	beam.ParDo0(s, &collectKV{Run: run}, beam.CombinePerKey(s, fn, keyed))
	before := encodings.Load()
	_, err := prism.Execute(context.Background(), p)
	require.NoError(t, err)
	require.Greater(t, encodings.Load(), before, "no accumulator went through the registered binary coder")
	mu.Lock()
	defer mu.Unlock()
	got := results[run]
	require.Contains(t, got, "")
	global = got[""]
	perKey = map[string]any{}
	for k, v := range got {
		if k != "" {
			perKey[k] = v
		}
	}
	require.Len(t, perKey, keys)
	return global, perKey
}

// onePass runs gen over every shard with the core accumulator made by newAcc, once for
// everything and once per key, as a single process would.
func onePass[In any, A interface{ Add(In) error }](t *testing.T, gen func(int, func(string, In)), newAcc func() A) (A, map[string]A) {
	t.Helper()
	all := newAcc()
	per := map[string]A{}
	for shard := range shards {
		gen(shard, func(k string, v In) {
			require.NoError(t, all.Add(v))
			a, ok := per[k]
			if !ok {
				a = newAcc()
				per[k] = a
			}
			require.NoError(t, a.Add(v))
		})
	}
	return all, per
}

// equalResults asserts that the Beam results equal the core results exactly.
func equalResults[Out any](t *testing.T, global any, perKey map[string]any, want Out, wantPer map[string]Out) {
	t.Helper()
	require.Equal(t, want, global.(Out), "global combine")
	for k, w := range wantPer {
		require.Equal(t, w, perKey[k].(Out), "key %s", k)
	}
	_ = reflect.TypeFor[Out]
}
