import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/index.ts';
import { TopologicalPoissonSpiker } from '../../src/interfaces/input/topological_poisson_spiker.ts';
import { TopologicalLinearSpiker } from '../../src/interfaces/input/topological_linear_spiker.ts';
import { LinearSpiker } from '../../src/interfaces/input/linear_spiker.ts';
import { TensorValue } from '../../src/core/config/tensor.ts';
import { FloatArray, type SpikeArray } from '../../src/core/payload.ts';
import { REGISTRY } from '../../src/core/registry.ts';

const argmax = (a: ArrayLike<number>, from = 0, to = a.length): number => {
  let best = from;
  for (let i = from; i < to; i++) if (a[i] > a[best]) best = i;
  return best - from;
};

/** Spike counts per virtual unit over `steps` steps. */
function spikeCounts(m: TopologicalPoissonSpiker | TopologicalLinearSpiker, signal: FloatArray | number[], steps: number): Int32Array {
  let counts: Int32Array | undefined;
  for (let t = 0; t < steps; t++) {
    const s = m.call({ signal }).spikes as SpikeArray;
    counts ??= new Int32Array(s.size);
    for (let c = 0; c < s.count; c++) counts[s.indices[c]]++;
  }
  return counts!;
}

test('registered under Spark names with Spark defaults', () => {
  for (const name of ['linear_spiker', 'topological_poisson_spiker', 'topological_linear_spiker']) assert.ok(REGISTRY.modules.has(name), name);
  const m = new TopologicalLinearSpiker();
  assert.deepEqual(
    [m.config.values.resolution, m.config.values.sigma, m.config.values.glue, m.config.values.mins, m.config.values.maxs, m.config.values.tau, m.config.values.cd, m.config.values.max_freq],
    [64, 1 / 32, 0, 0, 1, 100, 2, 100],
  );
});

test('1-D, not glued: the bump peaks at unit x·(resolution − 1), rate 1 at the peak', () => {
  const res = 65;
  const m = new TopologicalPoissonSpiker({ resolution: res, seed: 1 });
  const xs = [0, 0.25, 0.5, 0.75, 1];
  m.call({ signal: xs });
  const rate = m.code.rate;
  xs.forEach((x, i) => {
    assert.equal(argmax(rate, i * res, (i + 1) * res), x * (res - 1), `x = ${x}`);
    assert.ok(Math.abs(rate[i * res + x * (res - 1)] - 1) < 1e-6);
  });
  // Closed form away from the peak: exp(−tanh(space − πx)²/(2σ)).
  const u = Math.tanh((10 * Math.PI) / (res - 1) - 0.25 * Math.PI);
  assert.ok(Math.abs(rate[res + 10] - Math.exp(-16 * u * u)) < 1e-6);
  // Poisson spike counts follow the bump.
  const counts = spikeCounts(m, xs, 400);
  xs.forEach((x, i) => assert.ok(Math.abs(argmax(counts, i * res, (i + 1) * res) - x * (res - 1)) <= 2));
});

test("glued: Spark's ring — the peak sits at π − π·x and both ends stand for the same point", () => {
  const res = 65;
  const m = new TopologicalPoissonSpiker({ resolution: res, glue: 1 });
  m.call({ signal: [0.25, 0.5, 0, 0.99] });
  const r = m.code.rate;
  assert.equal(argmax(r, 0, res), 48); // (1 − 0.25)·64
  assert.equal(argmax(r, res, 2 * res), 32);
  // x = 0: units 0 and 64 are the same point, both at the peak.
  assert.ok(r[2 * res] > 0.999 && r[3 * res - 1] > 0.999);
  // Wrap-around: x = 0.99 peaks near unit 0.64 and its bump spills over the end back to the start.
  assert.ok(argmax(r, 3 * res, 4 * res) <= 1);
  assert.ok(r[4 * res - 1] > 0.5, 'the last unit is a neighbour of the first on the ring');
  // Not glued, x = 0.99 peaks at the top end and the first unit is silent.
  const open = new TopologicalPoissonSpiker({ resolution: res });
  open.call({ signal: [0.99] });
  assert.ok(open.code.rate[0] < 1e-6 && argmax(open.code.rate) === 63);
});

test('2-D signal: output shape signal.shape + (resolution,), per-column glue/mins/maxs broadcast', () => {
  const res = 33;
  const m = new TopologicalPoissonSpiker({ resolution: res, mins: [0, -1, 10], maxs: [1, 1, 20], glue: [0, 1, 0], seed: 2 });
  const signal = new FloatArray([2, 3]);
  signal.data.set([0.5, 0, 15, 1, 0.5, 10]);
  const out = m.call({ signal }).spikes;
  assert.deepEqual(out.shape, [2, 3, res]);
  // Element (i, j) peaks at its own position; column 1 is glued (peak at π − π·x).
  const expected = [16, 16, 16, 32, 8, 0];
  for (let e = 0; e < 6; e++) assert.equal(argmax(m.code.rate, e * res, (e + 1) * res), expected[e], `element ${e}`);
});

test('N-D shapes and TensorValue parameters from Spark files', () => {
  const scalar = (v: number) => new TensorValue('jax_array', 'float16', [], v);
  const m = new TopologicalLinearSpiker({ resolution: 8, glue: scalar(0), mins: scalar(-1), maxs: scalar(1) });
  const signal = new FloatArray([2, 2, 2]);
  const out = m.call({ signal }).spikes;
  assert.deepEqual(out.shape, [2, 2, 2, 8]);
  const perDim = new TopologicalPoissonSpiker({ resolution: 8, mins: new TensorValue('jax_array', 'float32', [2], [0, 10]), maxs: [1, 20] });
  perDim.call({ signal: [0.5, 15] });
  assert.equal(argmax(perDim.code.rate, 0, 8), argmax(perDim.code.rate, 8, 16));
  assert.throws(() => new TopologicalPoissonSpiker({ mins: [0, 0, 0] }).call({ signal: [0, 0] }), /mins: has 3 values but 2 are needed/);
  assert.throws(() => new TopologicalPoissonSpiker({ mins: 1, maxs: 1 }).call({ signal: [0] }), /maxs: equals mins/);
  assert.throws(() => new TopologicalPoissonSpiker({ glue: 2 }), /glue: must be 0 or 1/);
});

test('linear variant: a unit at the exact peak (rate 1) fires like a LinearSpiker with signal 1', () => {
  const topo = new TopologicalLinearSpiker({ resolution: 3 }); // space = [0, π/2, π]; x = 0.5 hits unit 1 exactly
  const lin = new LinearSpiker();
  for (let t = 0; t < 300; t++) {
    const a = (topo.call({ signal: [0.5] }).spikes as SpikeArray).mask[1];
    const b = (lin.call({ signal: [1] }).spikes as SpikeArray).mask[0];
    assert.equal(a, b, `step ${t}`);
  }
});

test('cartpole input: tau 20, cd 2, max_freq 128, mins −1, maxs 1, resolution 128 on a 4-dim signal → (4, 128)', () => {
  const m = new TopologicalLinearSpiker({ tau: 20, cd: 2, max_freq: 128, glue: 0, mins: -1, maxs: 1, resolution: 128, sigma: 0.03125 });
  const obs = [0.1, -0.2, 0.05, 0.3];
  const counts = spikeCounts(m, obs, 1000);
  assert.deepEqual(m.out.spikes.shape, [4, 128]);
  obs.forEach((v, i) => {
    // Units near the peak all fire at the ceiling rate, so locate the bump by its centroid.
    let sum = 0;
    let weighted = 0;
    for (let r = 0; r < 128; r++) {
      sum += counts[i * 128 + r];
      weighted += r * counts[i * 128 + r];
    }
    const centre = ((v + 1) / 2) * 127;
    assert.ok(Math.abs(weighted / sum - centre) < 0.5, `dim ${i}: centroid ${weighted / sum}, expected ${centre}`);
    const peak = argmax(counts, i * 128, (i + 1) * 128);
    assert.ok(Math.abs(peak - centre) <= 2, `dim ${i}: peak at ${peak}`);
    // A unit at rate ≈ 1 fires every 6 + 2 steps (T = 1000/128 − 2 = 5.81 ms): ≈ 125 Hz at most.
    assert.ok(counts[i * 128 + peak] <= 125 && counts[i * 128 + peak] >= 100, `dim ${i}: ${counts[i * 128 + peak]} spikes`);
  });
});

test('dt ≠ 1: Spark\'s topological formula is the exact one, so compat modes agree (float32 constants)', () => {
  const run = (compat: 'spark' | 'correct') => {
    const m = new TopologicalLinearSpiker({ dt: 0.5, dtype: 'float32', resolution: 16 }, { compat });
    return Array.from(spikeCounts(m, [0.3], 400));
  };
  assert.deepEqual(run('spark'), run('correct'));
  // Firing rate in Hz does not depend on dt.
  const hz = (dt: number) => {
    const m = new TopologicalLinearSpiker({ dt, resolution: 3 });
    return (spikeCounts(m, [0.5], Math.round(1000 / dt))[1] * 1000) / 1000;
  };
  assert.ok(Math.abs(hz(1) - hz(0.25)) <= 6, `${hz(1)} vs ${hz(0.25)} Hz`);
});

test('rates follow a changing signal (the code is recomputed only when the signal changes)', () => {
  const m = new TopologicalLinearSpiker({ resolution: 16 });
  const fresh = (signal: number[]): number[] => {
    const f = new TopologicalLinearSpiker({ resolution: 16 });
    f.call({ signal });
    return Array.from(f.code.rate);
  };
  for (const signal of [[0.2, 0.9], [0.2, 0.9], [0.7, 0.1], [0.2, 0.9], [0.2, 0.91]]) {
    m.call({ signal });
    assert.deepEqual(Array.from(m.code.rate), fresh(signal), `signal ${signal.join(', ')}`);
  }
});
