import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/index.ts';
import { LinearSpiker } from '../../src/interfaces/input/linear_spiker.ts';
import { TopologicalLinearSpiker } from '../../src/interfaces/input/topological_linear_spiker.ts';
import { toFloat16 } from '../../src/interfaces/input/float16.ts';
import type { SpikeArray } from '../../src/core/payload.ts';
import type { Compat } from '../../src/core/module.ts';

/** Spikes per unit over `steps` steps for a constant signal. */
function counts(signal: number[], steps: number, config: Record<string, unknown> = {}, compat: Compat = 'correct'): number[] {
  const m = new LinearSpiker(config, { compat });
  const n = new Array<number>(signal.length).fill(0);
  for (let t = 0; t < steps; t++) {
    const s = m.call({ signal }).spikes as SpikeArray;
    for (let c = 0; c < s.count; c++) n[s.indices[c]]++;
  }
  return n;
}

test('float16 rounding matches the half-precision grid', () => {
  assert.equal(toFloat16(1 / (Math.exp(0.08) - 1) + 1), 13.0078125);
  assert.equal(toFloat16(Math.exp(-0.01)), 0.990234375);
  assert.equal(toFloat16(1 + 2 ** -11), 1); // tie → even
  assert.equal(toFloat16(1 + 3 * 2 ** -11), 1 + 2 ** -9); // tie → even (up)
  assert.equal(toFloat16(2 ** -24), 2 ** -24); // smallest subnormal
});

test("Spark reference (Appendix A): 4 units, signal 0.25/0.5/1.0 → 25/50/91 spikes per 1000 steps with Spark's float16 constants", () => {
  const m = new LinearSpiker({}, { compat: 'spark' });
  m.call({ signal: [0, 0, 0, 0] });
  assert.equal(m.units.decay, 0.990234375); // Spark's decay = 0.99023
  assert.equal(m.units.k, 100 * (1 - 0.990234375) * 13.0078125); // τ·gain·scale, scale = 13.0078
  assert.deepEqual(counts([0.25, 0.5, 1.0, 0], 1000, {}, 'spark'), [25, 50, 91, 0]);
});

test('float32 constants (default): 25/52/91 — signal 0.5 fires 52 times, not 50, because Spark rounds gain to float16', () => {
  // Closed form: V_n = τ·scale·s·(1 − decay^n); a unit fires after the first n with V_n > τ,
  // then waits cd/dt = 2 steps. With scale = 13.00667, s = 0.5: n = 17, period 19 steps, first
  // spike at step 16 → floor((999 − 16)/19) + 1 = 52 spikes.
  assert.deepEqual(counts([0.25, 0.5, 1.0, 0], 1000), [25, 52, 91, 0]);
});

test('periods follow the closed form for a range of signals (dt = 1)', () => {
  const tau = 100;
  const scale = 1 / (Math.exp(8 / tau) - 1) + 1;
  for (const s of [0.1, 0.2, 0.33, 0.6, 0.8]) {
    let n = 1;
    while (!(tau * scale * s * (1 - Math.exp(-n / tau)) > tau)) n++;
    const period = n + 2;
    const expected = Math.floor((999 - (n - 1)) / period) + 1;
    assert.equal(counts([s], 1000)[0], expected, `signal ${s}`);
  }
});

test('the time to threshold at signal 1 is 1000/max_freq − cd ms for any dt (ours); Spark puts dt in the exponent', () => {
  for (const dt of [1, 0.5, 0.1]) {
    const m = new LinearSpiker({ dt });
    let t = 0;
    while ((m.call({ signal: [1] }).spikes as SpikeArray).count === 0) t++;
    const time = (t + 1) * dt; // a spike at step t ends the interval ((t)·dt, (t+1)·dt]
    assert.ok(time >= 8 && time <= 8 + dt + 1e-9, `dt ${dt}: first spike at ${time} ms`);
  }
  // Spark's LinearSpiker at dt = 0.1 (float32 constants): scale uses exp(dt·T/τ) and the drive
  // is multiplied by dt, which crosses the threshold at ≈ 8.3 ms instead of 8 ms.
  const spark = new LinearSpiker({ dt: 0.1, dtype: 'float32' }, { compat: 'spark' });
  let t = 0;
  while ((spark.call({ signal: [1] }).spikes as SpikeArray).count === 0) t++;
  assert.ok(Math.abs((t + 1) * 0.1 - 8.3) < 0.11, `spark: ${(t + 1) * 0.1} ms`);
});

test('reset restores the initial state; zero signal never fires', () => {
  const m = new LinearSpiker({});
  const run = () => {
    const out: number[] = [];
    for (let t = 0; t < 60; t++) out.push((m.call({ signal: [0.7, 0] }).spikes as SpikeArray).mask[0]);
    return out;
  };
  const a = run();
  m.reset();
  assert.deepEqual(run(), a);
  assert.equal(counts([0, 0], 500).join(), '0,0');
});

test('max_freq · cd ≥ 1000 is rejected with the field path', () => {
  assert.throws(() => new LinearSpiker({ max_freq: 600, cd: 2 }).call({ signal: [1] }), /max_freq.*below 1000\/cd = 500 Hz/);
});

test('LinearSpiker and TopologicalLinearSpiker: the WebAssembly kernel (engine event) gives the TypeScript loop\'s bits (engine event_ts)', () => {
  for (const make of [
    (engine: 'event' | 'event_ts') => new LinearSpiker({ tau: 30, cd: 3 }, { engine }),
    (engine: 'event' | 'event_ts') => new TopologicalLinearSpiker({ resolution: 40 }, { engine, compat: 'spark' }),
  ]) {
    const wasm = make('event');
    const ts = make('event_ts');
    let spikes = 0;
    for (let t = 0; t < 1500; t++) {
      // A new signal every 25 steps, held in between (as the cartpole protocol does).
      const k = Math.floor(t / 25);
      const signal = Array.from({ length: 5 }, (_, i) => Math.abs(Math.sin(k * 1.7 + i * 2.3)));
      const a = wasm.call({ signal }).spikes as SpikeArray;
      const b = ts.call({ signal }).spikes as SpikeArray;
      assert.deepEqual(Array.from(a.indices.subarray(0, a.count)), Array.from(b.indices.subarray(0, b.count)), `spikes at step ${t}`);
      spikes += b.count;
    }
    for (const [name, arr] of wasm.stateArrays()) assert.deepEqual(Array.from(arr), Array.from(ts.stateArrays().get(name)!), name);
    assert.ok(spikes > 300, `${wasm.label()} fires (${spikes} spikes)`);
    assert.ok(wasm.units.usesKernel && !ts.units.usesKernel, 'the kernel ran on one side only');
  }
});
