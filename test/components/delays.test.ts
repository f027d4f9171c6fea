import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { type IntegerArray, SpikeArray, specOf } from '../../src/core/payload.ts';
import type { Compat } from '../../src/core/module.ts';
import { Rng } from '../../src/core/rng.ts';
import { N2NDelays } from '../../src/components/delays/n2n_delays.ts';
import { NDelays } from '../../src/components/delays/n_delays.ts';
import type { Delays } from '../../src/components/delays/delays.ts';

function rig<D extends Delays>(d: D, input: SpikeArray): { d: D; out: () => SpikeArray; kernel: () => Int32Array } {
  d.build({ in_spikes: specOf(input) });
  d.bind({ in_spikes: input });
  return { d, out: () => d.out.out_spikes as SpikeArray, kernel: () => (d.getProperty('kernel') as IntegerArray).data };
}

/** Spikes each unit once at step 0 and records, per output entry, the steps it arrives at. */
function arrivals(d: Delays, input: SpikeArray, out: () => SpikeArray, steps: number): number[][] {
  const got: number[][] = [];
  for (let t = 0; t < steps; t++) {
    input.clear();
    if (t === 0) for (let i = 0; i < input.size; i++) input.add(i);
    d.step();
    const o = out();
    for (let c = 0; c < o.count; c++) (got[o.indices[c]] ??= []).push(t);
  }
  return got;
}

for (const compat of ['correct', 'spark'] as Compat[]) {
  test(`n2n_delays (${compat}): a spike through a delay of d steps arrives d steps later (max_delay 4)`, () => {
    const input = new SpikeArray([6], Uint8Array.from([0, 0, 1, 0, 0, 1]));
    const { d, out, kernel } = rig(new N2NDelays({ units: [40], max_delay: 4, seed: 11 }, { compat }), input);
    const K = kernel();
    // Appendix A: kernel values 1..4, each present.
    assert.deepEqual([...new Set(K)].sort(), [1, 2, 3, 4]);
    assert.equal(d.bufferSteps, 4);
    const got = arrivals(d, input, out, 10);
    for (let k = 0; k < K.length; k++) {
      // Spark's ring buffer turns d = B into zero delay: a value of 4 emits on the same step.
      const expected = compat === 'spark' ? K[k] % 4 : K[k];
      assert.deepEqual(got[k], [expected], `synapse ${k} with delay ${K[k]}`);
    }
    assert.equal(out().inhibitory[2], 1);
    assert.equal(out().inhibitory[6 + 5], 1);
    assert.equal(out().inhibitory[6 + 4], 0);
  });

  test(`n_delays (${compat}): per-unit delays, ordinary spikes of the input shape`, () => {
    const input = new SpikeArray([50]);
    const { d, out, kernel } = rig(new NDelays({ max_delay: 6, seed: 2 }, { compat }), input);
    assert.equal(out().async, false);
    assert.deepEqual(out().shape, [50]);
    const K = kernel();
    const got = arrivals(d, input, out, 12);
    for (let i = 0; i < 50; i++) assert.deepEqual(got[i], [compat === 'spark' ? K[i] % 6 : K[i]]);
  });
}

test('n2n_delays: Spark timing — effective delays {0..B−1} with P(0) = 1/(B+1), P(1) = 2/(B+1)', () => {
  const input = new SpikeArray([100]);
  const { kernel } = rig(new N2NDelays({ units: [100], max_delay: 4, seed: 5 }, { compat: 'spark' }), input);
  const counts = [0, 0, 0, 0, 0];
  for (const v of kernel()) counts[v]++;
  const n = kernel().length;
  // d = floor(clip(U·5, min 1)): P(1) = 2/5, P(2) = P(3) = P(4) = 1/5.
  assert.ok(Math.abs(counts[1] / n - 0.4) < 0.02);
  for (const v of [2, 3, 4]) assert.ok(Math.abs(counts[v] / n - 0.2) < 0.02);
});

test('n2n_delays: matches a brute-force delay line under random traffic; state size is fixed', () => {
  const rng = new Rng(3);
  const nPre = 30;
  const nPost = 20;
  const input = new SpikeArray([nPre]);
  const { d, out, kernel } = rig(new N2NDelays({ units: [nPost], max_delay: 7, seed: 9 }), input);
  const K = kernel();
  const sizes = [...d.stateArrays()].map(([k, a]) => `${k}:${a.length}`);
  const past: Uint8Array[] = [];
  for (let t = 0; t < 300; t++) {
    input.clear();
    const s = new Uint8Array(nPre);
    // Bursts where every unit fires (the worst case for a queue).
    const p = t % 50 < 10 ? 1 : 0.2;
    for (let i = 0; i < nPre; i++) if (rng.uniform() < p) {
      input.add(i);
      s[i] = 1;
    }
    past.push(s);
    d.step();
    const o = out();
    for (let k = 0; k < nPre * nPost; k++) {
      const i = k % nPre;
      const src = past[t - K[k]];
      assert.equal(o.mask[k], src ? src[i] : 0, `t=${t} synapse ${k}`);
    }
  }
  assert.deepEqual([...d.stateArrays()].map(([k, a]) => `${k}:${a.length}`), sizes);
});

test('n2n_delays: reset clears the spikes in flight', () => {
  const input = new SpikeArray([3]);
  const { d, out } = rig(new N2NDelays({ units: [2], max_delay: 3, seed: 1 }), input);
  input.add(0);
  d.step();
  input.clear();
  d.reset();
  for (let t = 0; t < 5; t++) {
    d.step();
    assert.equal(out().count, 0);
  }
});
