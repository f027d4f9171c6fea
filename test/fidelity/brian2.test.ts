/**
 * Fidelity against Brian2 2.5.1 reference traces (/work/shared/fidelity, README there): one LIF
 * (exact integration, 2 ms refractory) and one AdEx (rk2) neuron under recorded OU currents,
 * 1 s at dt = 0.1 ms. Seeds 0–2 are the shared traces; seeds 3–4 are test/fixtures/fidelity,
 * made by scripts/brian2_fidelity.py (which reproduces seeds 0–2 byte for byte). Our somas run
 * through runSingleNeuron, the same code path as `spark neuron`. Units: I_nA × 1000 = pA; R = 10 MΩ = 0.01 GΩ (LIF), 500 MΩ = 0.5 GΩ (AdEx).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import '../../src/builtins.ts';
import { runSingleNeuron, type SingleNeuronRun } from '../../src/analysis/single_neuron.ts';
import { isiDistance, spikeDistance } from '../../src/analysis/spike_distance.ts';
import { readNumericCsv } from '../../src/io/csv.node.ts';

const SHARED_DIR = fileURLToPath(new URL('../../../shared/fidelity/', import.meta.url));
const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/fidelity/', import.meta.url));
const SEEDS = [0, 1, 2, 3, 4];
const dirOf = (seed: number): string => (seed <= 2 ? SHARED_DIR : FIXTURE_DIR);
const T = 1000;

interface Reference {
  currentPa: Float64Array;
  v: Float64Array;
  spikes: Float64Array;
}

const cache = new Map<string, Reference>();

async function reference(model: 'lif' | 'adex', seed: number): Promise<Reference> {
  const key = `${model}${seed}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = dirOf(seed);
  const trace = await readNumericCsv(`${dir}${model}_seed${seed}_trace.csv.gz`);
  const spikes = await readNumericCsv(`${dir}${model}_seed${seed}_spikes.csv`);
  const ref = {
    currentPa: trace.data.I_nA.map((x) => 1000 * x),
    v: trace.data.v_mV,
    spikes: spikes.data.spike_time_ms,
  };
  cache.set(key, ref);
  return ref;
}

interface Score {
  isi: number;
  spike: number;
  maxDv: number;
}

function score(run: SingleNeuronRun, ref: Reference): Score {
  let maxDv = 0;
  for (let k = 0; k < ref.v.length; k++) maxDv = Math.max(maxDv, Math.abs(run.potential[k] - ref.v[k]));
  return { isi: isiDistance(run.spikeTimes, ref.spikes, 0, T), spike: spikeDistance(run.spikeTimes, ref.spikes, 0, T), maxDv };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (s: Score[]): string => s.map((x) => `${x.isi.toFixed(4)}/${x.spike.toFixed(4)}`).join(', ');

// Brian2's `refractory = 2 ms` blocks steps k+1 … k+19 after a spike at step k; Spark's strict
// refractory soma clamps for round(cooldown/dt) steps, so cooldown = 2 ms − dt (as Spark's benchmark).
const LIF = {
  potential_rest: -70,
  potential_reset: -65,
  threshold: -50,
  potential_tau: 8,
  resistance: 0.01,
  cooldown: 1.9,
};

test('LIF (strict_refractory_leaky_soma) vs Brian2 exact: ISI- and SPIKE-distance < 0.002', async () => {
  const scores: Score[] = [];
  for (const seed of SEEDS) {
    const ref = await reference('lif', seed);
    const run = runSingleNeuron({ soma: 'strict_refractory_leaky_soma', config: LIF, current: ref.currentPa, dt: 0.1 });
    const s = score(run, ref);
    scores.push(s);
    assert.ok(s.isi < 0.002 && s.spike < 0.002, `seed ${seed}: ${fmt([s])}`);
    assert.ok(s.maxDv < 1e-3, `seed ${seed}: max |Δv| ${s.maxDv} mV`);
  }
  // Measured: 0.0000/0.0000 on every seed 0–4 (identical spike trains), max |Δv| < 1e-4 mV.
  console.log(`LIF ISI/SPIKE per seed: ${fmt(scores)}; max |Δv| ${Math.max(...scores.map((s) => s.maxDv)).toExponential(1)} mV`);
});

test('AdEx (adaptive_exponential_soma, method rk2) vs Brian2 rk2: < 0.003 / 0.002', async () => {
  const scores: Score[] = [];
  for (const seed of SEEDS) {
    const ref = await reference('adex', seed);
    const run = runSingleNeuron({ soma: 'adaptive_exponential_soma', config: { method: 'rk2' }, current: ref.currentPa, dt: 0.1 });
    const s = score(run, ref);
    scores.push(s);
    assert.ok(s.isi < 0.003 && s.spike < 0.002, `seed ${seed}: ${fmt([s])}`);
    assert.ok(s.maxDv < 0.05, `seed ${seed}: max |Δv| ${s.maxDv} mV`);
  }
  // Measured: 0.0000/0.0000 on every seed 0–4 (identical spike trains), max |Δv| ≈ 0.009 mV (float32).
  console.log(`AdEx rk2 ISI/SPIKE per seed: ${fmt(scores)}; max |Δv| ${Math.max(...scores.map((s) => s.maxDv)).toFixed(4)} mV`);
});

test("AdEx with Spark's forward Euler: Euler's own error, reproduced exactly", async () => {
  const scores: Score[] = [];
  for (const seed of SEEDS) {
    const ref = await reference('adex', seed);
    const run = runSingleNeuron({ soma: 'adaptive_exponential_soma', current: ref.currentPa, dt: 0.1 });
    scores.push(score(run, ref));
    // An independent double-precision Euler in Spark's order (V, reset, then w from the reset V)
    // gives the same spike train: the distance below is the Euler scheme's, not our code's.
    let v = 0;
    let w = 0;
    const spikes: number[] = [];
    for (let k = 0; k < ref.currentPa.length; k++) {
      v += 0.1 * ((-v + 2 * Math.exp((v - 20) / 2) - 0.5 * w + 0.5 * ref.currentPa[k]) / 5);
      const s = v > 40;
      if (s) {
        v = 19;
        spikes.push(k);
      }
      w += 0.1 * ((0.5 * v - w) / 100) + (s ? 7 : 0);
    }
    assert.deepEqual([...run.spikeSteps], spikes, `seed ${seed}`);
  }
  // Measured per seed 0–4: 0.0202/0.0084, 0.0194/0.0126, 0.0093/0.0062, 0.0075/0.0048,
  // 0.0139/0.0093; mean 0.0140/0.0083. Spark reports 0.014/0.008 (mean over 5 seeds, 3 decimals):
  // we match both to Spark's precision. The ISI bar (< 0.015) holds; its SPIKE bar
  // (< 0.008) is 0.0003 short, and since a float64 Euler gives identical spikes, that gap is the
  // Euler scheme's, so SPIKE keeps the relaxed bound. Use method 'rk2' for Brian2-level fidelity.
  const isi = mean(scores.map((s) => s.isi));
  const spike = mean(scores.map((s) => s.spike));
  console.log(`AdEx euler ISI/SPIKE per seed: ${fmt(scores)}; mean ${isi.toFixed(4)}/${spike.toFixed(4)}`);
  assert.ok(isi < 0.015, `mean ISI-distance ${isi}`);
  assert.ok(spike < 0.01, `mean SPIKE-distance ${spike}`);
  assert.ok(Math.abs(isi - 0.014) < 5e-4 && Math.abs(spike - 0.008) < 5e-4, `mean ${isi}/${spike} vs Spark's 0.014/0.008`);
  assert.ok(isi > 0.003, 'Euler is measurably worse than rk2');
});
