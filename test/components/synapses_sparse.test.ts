import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CurrentArray, FloatArray, LinearSynapses, SpikeArray } from '../../src/index.ts';

/** Dense reference: I[o] = Σ_i K[o,i]·v[i], v ∈ {−1, 0, 1}. */
function denseCurrents(K: Float32Array, nPost: number, nPre: number, v: number[]): number[] {
  const I = new Array(nPost).fill(0);
  for (let o = 0; o < nPost; o++) for (let i = 0; i < nPre; i++) I[o] += K[o * nPre + i] * v[i];
  return I;
}

test('a static sparse kernel is delivered through its presynaptic-major copy, with the same currents', () => {
  const nPre = 50;
  const nPost = 40;
  const syn = new LinearSynapses({ seed: 3, units: [nPost], kernel: { type: 'sparse_uniform_initializer', scale: 2, density: 0.1 } });
  const inh = new Uint8Array(nPre);
  for (let i = 0; i < nPre; i += 3) inh[i] = 1;
  const spikes = new SpikeArray([nPre], inh);
  syn.build({ spikes: { payload: 'spike_array', shape: [nPre], inhibitory: inh } });
  syn.bind({ spikes });
  const K = (syn.getProperty('kernel') as FloatArray).data;
  for (const active of [[0, 1, 2], [5, 17, 33, 49], []]) {
    spikes.clear();
    active.forEach((i) => spikes.add(i));
    syn.step();
    const v = Array.from({ length: nPre }, (_, i) => (active.includes(i) ? (inh[i] ? -1 : 1) : 0));
    const want = denseCurrents(K, nPost, nPre, v);
    const got = Array.from((syn.out.currents as CurrentArray).data);
    got.forEach((x, o) => assert.ok(Math.abs(x - want[o]) < 1e-5, `post ${o}: ${x} vs ${want[o]}`));
  }
  // A new kernel written through setProperty is used from the next step.
  const doubled = new FloatArray([nPost, nPre]);
  doubled.data.set(K.map((w) => 2 * w));
  syn.setProperty('kernel', doubled);
  spikes.clear();
  spikes.add(1);
  syn.step();
  const want = denseCurrents(doubled.data, nPost, nPre, Array.from({ length: nPre }, (_, i) => (i === 1 ? 1 : 0)));
  assert.deepEqual(Array.from((syn.out.currents as CurrentArray).data).map((x) => +x.toFixed(5)), want.map((x) => +x.toFixed(5)));
});
