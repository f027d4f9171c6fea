import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { type CurrentArray, SpikeArray, specOf } from '../../src/core/payload.ts';
import { Rng } from '../../src/core/rng.ts';
import { RDTracedSynapses } from '../../src/components/synapses/rd_traced_synapses.ts';
import { RFSTracedSynapses } from '../../src/components/synapses/rfs_traced_synapses.ts';
import { TracedSynapses } from '../../src/components/synapses/traced_synapses.ts';
import type { TracedSynapsesBase } from '../../src/components/synapses/traced_base.ts';
import type { DelayedSpikes } from '../../src/components/delays/delayed_spikes.ts';

/** Builds a synapse module on a spike payload it shares with the test. */
function rig<S extends TracedSynapsesBase>(syn: S, spikes: SpikeArray): { syn: S; I: () => Float32Array } {
  syn.build({ spikes: specOf(spikes) });
  syn.bind({ spikes });
  return { syn, I: () => (syn.out.currents as CurrentArray).data };
}

function close(a: number, b: number, tol = 1e-6, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);
}

test('traced_synapses: one spike decays as K·exp(−n·dt/τ); inhibitory spikes count −1', () => {
  const spikes = new SpikeArray([2], Uint8Array.from([0, 1]));
  const { syn, I } = rig(new TracedSynapses({ units: [1], kernel: [[2, 3]] }), spikes);
  assert.equal(syn.mode, 'summed');
  spikes.add(0);
  syn.step();
  close(I()[0], 2);
  spikes.clear();
  for (let n = 1; n <= 10; n++) {
    syn.step();
    close(I()[0], 2 * Math.exp(-n / 5), 1e-6, `step ${n}`);
  }
  syn.reset();
  spikes.add(1);
  syn.step();
  close(I()[0], -3);
});

test('traced_synapses: base and scale (per-synapse traces rest at base; I sums them)', () => {
  const spikes = new SpikeArray([3]);
  const { I, syn } = rig(new TracedSynapses({ units: [2], kernel: [[1, 1, 1], [1, 2, 3]], base: 0.5, scale: 2, tau: 10 }), spikes);
  syn.step();
  close(I()[0], 1.5);
  close(I()[1], 1.5);
  spikes.add(2);
  syn.step();
  close(I()[1], 1.5 + 2 * 3);
  spikes.clear();
  syn.step();
  close(I()[1], 1.5 + 6 * Math.exp(-0.1));
});

test('rd_traced_synapses: I = K·(e^{−n/τd} − e^{−n/τr′}), τr′ = τr·τd/(τr+τd)', () => {
  const spikes = new SpikeArray([1]);
  const { I, syn } = rig(new RDTracedSynapses({ units: [1], kernel: [[4]], tau_rise: 1, tau_decay: 5 }), spikes);
  spikes.add(0);
  syn.step();
  spikes.clear();
  const tr = 5 / 6;
  for (let n = 0; n < 20; n++) {
    if (n > 0) syn.step();
    close(I()[0], 4 * (Math.exp(-n / 5) - Math.exp(-n / tr)), 1e-6, `step ${n}`);
  }
});

test('rfs_traced_synapses: α·RD(τr, τfast) + (1−α)·RD(τr, τslow)', () => {
  const spikes = new SpikeArray([1]);
  const { I, syn } = rig(new RFSTracedSynapses({ units: [1], kernel: [[1]] }), spikes);
  spikes.add(0);
  syn.step();
  spikes.clear();
  const rd = (n: number, tr: number, td: number) => Math.exp(-n / td) - Math.exp(-n / ((tr * td) / (tr + td)));
  for (let n = 0; n < 60; n++) {
    if (n > 0) syn.step();
    close(I()[0], 0.8 * rd(n, 1, 5) + 0.2 * rd(n, 1, 50), 1e-6, `step ${n}`);
  }
});

/** Random spikes through the summed and the per-synapse form; currents must agree. */
function agree(make: () => TracedSynapsesBase, shape: number[], asyncSpikes: boolean, steps: number): number {
  const rng = new Rng(7);
  const n = shape.reduce((a, b) => a * b, 1);
  const inh = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0));
  const s1 = new SpikeArray(shape, inh, asyncSpikes);
  const s2 = new SpikeArray(shape, inh, asyncSpikes);
  const a = rig(make(), s1);
  const ref = make();
  ref.perSynapse = true;
  const b = rig(ref, s2);
  assert.equal(a.syn.mode, 'summed');
  assert.equal(b.syn.mode, 'per_synapse');
  assert.deepEqual(a.syn.kernel, b.syn.kernel);
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    s1.clear();
    s2.clear();
    for (let i = 0; i < n; i++) {
      if (rng.uniform() < 0.1) {
        s1.add(i);
        s2.add(i);
      }
    }
    a.syn.step();
    b.syn.step();
    for (let o = 0; o < a.I().length; o++) {
      const err = Math.abs(a.I()[o] - b.I()[o]) / Math.max(1, Math.abs(b.I()[o]));
      worst = Math.max(worst, err);
    }
  }
  return worst;
}

test('summed traces equal the dense per-synapse reference (ordinary and per-synapse spikes)', () => {
  const cfg = { units: [12], seed: 3, kernel: { type: 'uniform_initializer', scale: 2 } };
  for (const make of [
    () => new TracedSynapses({ ...cfg, base: 0.1 }),
    () => new RDTracedSynapses(cfg),
    () => new RFSTracedSynapses({ ...cfg, alpha: 0.3 }),
  ]) {
    assert.ok(agree(make, [17], false, 400) < 1e-5);
    assert.ok(agree(make, [12, 17], true, 400) < 1e-5);
  }
});

test('τ varying along the presynaptic axis falls back to per-synapse traces', () => {
  const spikes = new SpikeArray([2]);
  const { syn, I } = rig(new TracedSynapses({ units: [1], kernel: [[1, 1]], tau: [[2, 8]] }), spikes);
  assert.equal(syn.mode, 'per_synapse');
  spikes.add(0);
  spikes.add(1);
  syn.step();
  spikes.clear();
  for (let n = 1; n < 10; n++) {
    syn.step();
    close(I()[0], Math.exp(-n / 2) + Math.exp(-n / 8));
  }
});

test('static kernel behind N2N delays: presynaptic-major delivery equals the dense engine, and follows kernel writes', async () => {
  const { N2NDelays } = await import('../../src/components/delays/n2n_delays.ts');
  const { FloatArray } = await import('../../src/core/payload.ts');
  const nPre = 12;
  const nPost = 5;
  const make = (engine: 'event' | 'dense') => {
    const input = new SpikeArray([nPre], Uint8Array.from({ length: nPre }, (_, i) => (i % 4 === 3 ? 1 : 0)));
    const delays = new N2NDelays({ units: [nPost], max_delay: 3, seed: 4 }, { engine });
    delays.build({ in_spikes: specOf(input) });
    delays.bind({ in_spikes: input });
    const out = delays.out.out_spikes as SpikeArray;
    const syn = new TracedSynapses({ units: [nPost], kernel: { __type__: 'uniform_initializer', scale: 3 }, seed: 2 }, { engine });
    syn.build({ spikes: specOf(out) });
    syn.bind({ spikes: out });
    return { input, delays, syn };
  };
  const ev = make('event');
  const de = make('dense');
  const rng = new Rng(8);
  const run = (steps: number) => {
    for (let t = 0; t < steps; t++) {
      for (const r of [ev, de]) r.input.clear();
      for (let i = 0; i < nPre; i++) if (rng.uniform() < 0.3) for (const r of [ev, de]) r.input.add(i);
      for (const r of [ev, de]) {
        r.delays.step();
        r.syn.step();
      }
      const a = (ev.syn.out.currents as CurrentArray).data;
      const b = (de.syn.out.currents as CurrentArray).data;
      for (let o = 0; o < nPost; o++) close(a[o], b[o], 1e-5, `step ${t} unit ${o}`);
    }
  };
  run(40);
  // A kernel written through the property reaches the presynaptic-major copy.
  const k = new FloatArray([nPost, nPre]);
  for (let j = 0; j < k.data.length; j++) k.data[j] = (j % 7) - 2;
  ev.syn.setProperty('kernel', k);
  de.syn.setProperty('kernel', k);
  run(40);
  assert.deepEqual(Array.from((ev.syn.getProperty('kernel') as InstanceType<typeof FloatArray>).data), Array.from(k.data));
});

test('the presynaptic-major copy is allocated only when delivery uses it (static kernel), not for a kernel another rule writes', async () => {
  const { N2NDelays } = await import('../../src/components/delays/n2n_delays.ts');
  const make = (plastic: boolean) => {
    const input = new SpikeArray([6]);
    const delays = new N2NDelays({ units: [4], max_delay: 2, seed: 1 });
    delays.build({ in_spikes: specOf(input) });
    delays.bind({ in_spikes: input });
    const out = delays.out.out_spikes as DelayedSpikes;
    const syn = new TracedSynapses({ units: [4], kernel: { __type__: 'uniform_initializer', scale: 1 }, seed: 2 });
    syn.build({ spikes: specOf(out) });
    // A controller marks a kernel written by a plasticity rule's effect before binding.
    if (plastic) syn.markEffectTarget('kernel');
    syn.bind({ spikes: out });
    for (let t = 0; t < 5; t++) {
      input.clear();
      input.add(t % 6);
      delays.step();
      syn.step();
    }
    return out.layout!.transposed!;
  };
  assert.equal(make(false).allocated, true);
  assert.equal(make(true).allocated, false);
});
