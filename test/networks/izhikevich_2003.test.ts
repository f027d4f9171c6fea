/**
 * Izhikevich 2003 ("Simple model of spiking neurons", IEEE TNN 14:1569), Fig. 3 network:
 * 800 excitatory + 200 inhibitory neurons, all-to-all weights, thalamic noise, 1000 ms at 1 ms
 * (parameters: /work/shared/reference/benchmark-networks.md §3). Built from izhikevich_soma
 * (per-unit a, b, c, d arrays; potential_substeps 2 = the original's two 0.5 ms half-steps of v)
 * and linear_synapses (kernel = S). The harness sums noise and synaptic current, since a Brain
 * concatenates sources rather than summing them.
 *
 * Order: the original detects v ≥ 30 at the start of step t and adds S·fired to that step's input;
 * the soma detects at the end of step t − 1, and the synapses deliver those spikes in step t, so
 * the two orders are the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { IzhikevichSoma } from '../../src/components/somas/izhikevich_soma.ts';
import { LinearSynapses } from '../../src/components/synapses/linear_synapses.ts';
import { CurrentArray } from '../../src/core/payload.ts';
import { Rng } from '../../src/core/rng.ts';

const NE = 800;
const NI = 200;
const N = NE + NI;
const STEPS = 1000;

interface Network {
  a: Float32Array;
  b: Float32Array;
  c: Float32Array;
  d: Float32Array;
  /** Weights, post-major: S[i·N + j] from j to i. */
  S: Float32Array;
}

function network(seed: number): Network {
  const rng = new Rng(seed);
  const a = new Float32Array(N);
  const b = new Float32Array(N);
  const c = new Float32Array(N);
  const d = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const r = rng.uniform();
    if (i < NE) {
      a[i] = 0.02;
      b[i] = 0.2;
      c[i] = -65 + 15 * r * r;
      d[i] = 8 - 6 * r * r;
    } else {
      a[i] = 0.02 + 0.08 * r;
      b[i] = 0.25 - 0.05 * r;
      c[i] = -65;
      d[i] = 2;
    }
  }
  const S = new Float32Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) S[i * N + j] = j < NE ? 0.5 * rng.uniform() : -rng.uniform();
  return { a, b, c, d, S };
}

/** Runs the network from spark-snn modules; returns the spiking neurons of each step. */
function simulate(net: Network, noiseSeed: number): number[][] {
  const soma = new IzhikevichSoma({
    potential_rest: -65, // initial v = −65, u = b·v as in the original
    potential_reset: net.c,
    resistance: 1, // I in the paper's units
    threshold: 30,
    recovery_timescale: net.a,
    recovery_sensitivity: net.b,
    recovery_update: net.d,
    potential_substeps: 2,
  });
  const synapses = new LinearSynapses({ units: [N], kernel: net.S });
  const current = new CurrentArray([N]);
  soma.build({ current: { payload: 'current_array', shape: [N] } });
  soma.bind({ current });
  synapses.build({ spikes: { payload: 'spike_array', shape: [N] } });
  synapses.bind({ spikes: soma.spikes });
  const synaptic = (synapses.out.currents as CurrentArray).data;
  const noise = new Rng(noiseSeed);
  const raster: number[][] = [];
  for (let t = 0; t < STEPS; t++) {
    synapses.step(); // S·(spikes of step t − 1)
    for (let i = 0; i < N; i++) current.data[i] = (i < NE ? 5 : 2) * noise.normal() + synaptic[i];
    soma.step();
    raster.push(Array.from(soma.spikes.indices.subarray(0, soma.spikes.count)));
  }
  return raster;
}

/**
 * The original MATLAB loop, written independently, with state kept in float32 between steps as
 * the modules keep it (rest-relative v, u, currents).
 */
function original(net: Network, noiseSeed: number): number[][] {
  const { a, b, c, d, S } = net;
  const v = new Float32Array(N).fill(0); // v + 65
  const u = new Float32Array(N);
  for (let i = 0; i < N; i++) u[i] = b[i] * -65;
  const I = new Float32Array(N);
  const syn = new Float32Array(N);
  const noise = new Rng(noiseSeed);
  let fired: number[] = [];
  const raster: number[][] = [];
  for (let t = 0; t < STEPS; t++) {
    syn.fill(0);
    for (const j of fired) for (let i = 0; i < N; i++) syn[i] += S[i * N + j];
    for (let i = 0; i < N; i++) I[i] = (i < NE ? 5 : 2) * noise.normal() + syn[i];
    fired = [];
    for (let i = 0; i < N; i++) {
      let x = v[i] - 65;
      let y = u[i];
      x += 0.5 * (0.04 * x * x + 5 * x + 140 - y + I[i]);
      x += 0.5 * (0.04 * x * x + 5 * x + 140 - y + I[i]);
      y += a[i] * (b[i] * x - y);
      if (x >= 30) {
        fired.push(i);
        x = c[i];
        y += d[i];
      }
      v[i] = x + 65;
      u[i] = y;
    }
    raster.push(fired);
  }
  return raster;
}

/** Periodogram of the population spike count (1 ms bins) at integer frequencies 1…maxHz. */
function spectrum(counts: number[], maxHz: number): number[] {
  const m = counts.reduce((p, q) => p + q, 0) / counts.length;
  const T = counts.length / 1000;
  const power: number[] = [];
  for (let f = 1; f <= maxHz; f++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < counts.length; t++) {
      const w = (2 * Math.PI * f * t) / (1000 * T);
      re += (counts[t] - m) * Math.cos(w);
      im -= (counts[t] - m) * Math.sin(w);
    }
    power.push(re * re + im * im);
  }
  return power;
}

test('Izhikevich 2003 network: modules reproduce the original loop; 6–9 Hz mean rate; 7–9 Hz rhythm', () => {
  const net = network(1);
  const raster = simulate(net, 2);
  // Same spikes as the original algorithm, step by step.
  const ref = original(net, 2);
  let firstDiff = -1;
  for (let t = 0; t < STEPS && firstDiff < 0; t++) if (raster[t].join() !== ref[t].join()) firstDiff = t;
  assert.equal(firstDiff, -1, `rasters differ from step ${firstDiff}`);

  const counts = raster.map((r) => r.length);
  const total = counts.reduce((p, q) => p + q, 0);
  const rate = total / N / (STEPS / 1000);
  const exc = raster.reduce((s, r) => s + r.filter((i) => i < NE).length, 0) / NE;
  const inh = raster.reduce((s, r) => s + r.filter((i) => i >= NE).length, 0) / NI;
  assert.ok(rate > 6 && rate < 9, `mean rate ${rate} Hz`);
  const power = spectrum(counts, 100);
  const peak = power.indexOf(Math.max(...power)) + 1;
  assert.ok(peak >= 7 && peak <= 9, `dominant population-rate peak at ${peak} Hz`);
  console.log(`rate ${rate.toFixed(2)} Hz (E ${exc.toFixed(2)}, I ${inh.toFixed(2)}); dominant peak ${peak} Hz`);
});
