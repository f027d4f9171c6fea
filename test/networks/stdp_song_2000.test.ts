/**
 * Song, Miller & Abbott 2000 (Nat. Neurosci. 3:919), as in Brian2's examples/synapses/STDP.py:
 * 1000 Poisson inputs at 15 Hz onto one conductance-based LIF through additive STDP
 * (stdp_rule) and a conductance trace (traced_synapses, τ_e = 5 ms). After 100 s of simulated
 * time the weights split into a bimodal distribution piled at 0 and g_max.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { CurrentArray, FloatArray, type PortSpec, SpikeArray, specOf } from '../../src/core/payload.ts';
import { Rng } from '../../src/core/rng.ts';
import { TracedSynapses } from '../../src/components/synapses/traced_synapses.ts';
import { StdpRule } from '../../src/components/plasticity/stdp_rule.ts';

const N = 1000;
const RATE = 15; // Hz
const DT = 0.1; // ms
const SECONDS = Number(process.env.STDP_SECONDS ?? 100);
const TAU_M = 10;
const E_L = -74;
const V_T = -54;
const V_R = -60;
const E_E = 0;
const G_MAX = 0.01;
const A_PLUS = 0.01 * G_MAX;
const A_MINUS = 1.05 * A_PLUS;

/** Poisson count with mean lam (inverse transform; lam is small). */
function poisson(rng: Rng, lam: number): number {
  let k = 0;
  let p = Math.exp(-lam);
  let s = p;
  const u = rng.uniform();
  while (u > s) {
    k++;
    p *= lam / k;
    s += p;
  }
  return k;
}

test('Song et al. 2000: additive STDP drives 1000 Poisson synapses to a bimodal distribution', () => {
  const rng = new Rng(2000);
  const input = new SpikeArray([N]);
  const post = new SpikeArray([1]);
  const syn = new TracedSynapses({ units: [1], tau: 5, dt: DT, kernel: { type: 'uniform_initializer', scale: G_MAX, dtype: 'float32' }, seed: 1 });
  syn.build({ spikes: specOf(input) });
  syn.bind({ spikes: input });
  const kernel = syn.getProperty('kernel') as FloatArray;
  const rule = new StdpRule({ pre_tau: 20, post_tau: 20, a_plus: A_PLUS, a_minus: A_MINUS, max_clip: G_MAX, dt: DT });
  const ins = { pre_spikes: input, post_spikes: post, kernel };
  const specs: Record<string, PortSpec> = {};
  for (const [k, v] of Object.entries(ins)) specs[k] = specOf(v);
  rule.build(specs);
  rule.bind(ins);
  assert.ok(rule.aliasInPlace('kernel', kernel));
  const ge = (syn.out.currents as CurrentArray).data;
  const lam = N * RATE * DT * 1e-3;
  const steps = Math.round((SECONDS * 1000) / DT);
  let v = E_L;
  let spikesLast10s = 0;
  const t0 = performance.now();
  for (let t = 0; t < steps; t++) {
    input.clear();
    const n = poisson(rng, lam);
    for (let c = 0; c < n; c++) input.add(rng.int(N));
    // Brian2's order: state update (Euler, with last step's g_e), threshold, then the synapses.
    v += (DT / TAU_M) * (ge[0] * (E_E - v) + E_L - v);
    post.clear();
    if (v > V_T) {
      post.add(0);
      v = V_R;
      if (t >= steps - 100000) spikesLast10s++;
    }
    syn.step();
    rule.step();
  }
  const seconds = (performance.now() - t0) / 1000;
  const w = Array.from(kernel.data, (x) => x / G_MAX);
  const hist = new Array(10).fill(0);
  for (const x of w) hist[Math.min(9, Math.floor(x * 10))] += 1 / N;
  const middle = hist.slice(2, 8).reduce((a, b) => a + b, 0) / 6;
  const mean = w.reduce((a, b) => a + b, 0) / N;
  const rate = spikesLast10s / 10;
  console.log(
    `# Song 2000 STDP: ${SECONDS} s (${steps} steps) in ${seconds.toFixed(1)} s wall; w/gmax histogram (10 bins) ` +
      `${hist.map((h) => h.toFixed(3)).join(' ')}; mean ${mean.toFixed(3)}; output ${rate} Hz (last 10 s)`,
  );
  // Started uniform (0.1 per bin): now piled at both bounds, thinned in between.
  assert.ok(hist[0] > 2.5 * middle, `bin 0: ${hist[0]} vs middle ${middle}`);
  assert.ok(hist[9] > 2.5 * middle, `bin 9: ${hist[9]} vs middle ${middle}`);
  assert.ok(middle < 0.08, `middle bins ${middle}`);
  // Depression slightly dominates (A₋ = 1.05·A₊) and the output rate self-regulates.
  assert.ok(mean < 0.5, `mean ${mean}`);
  assert.ok(rate > 5 && rate < 60, `rate ${rate}`);
});
