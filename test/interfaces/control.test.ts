import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/index.ts';
import { Brain } from '../../src/controllers/brain.ts';
import { Concat } from '../../src/interfaces/control/concat.ts';
import { ConcatReshape } from '../../src/interfaces/control/concat_reshape.ts';
import { Sampler } from '../../src/interfaces/control/sampler.ts';
import { FloatArray, IntegerArray, SpikeArray } from '../../src/core/payload.ts';
import { REGISTRY } from '../../src/core/registry.ts';
import { ConfigError, PortError } from '../../src/core/errors.ts';

const spikes = (n: number, on: number[], inhibitory: number[] = []): SpikeArray => {
  const inh = new Uint8Array(n);
  for (const i of inhibitory) inh[i] = 1;
  const s = new SpikeArray([n], inh);
  for (const i of on) s.add(i);
  return s;
};

test('registered under Spark names; category control', () => {
  for (const name of ['concat', 'concat_reshape', 'sampler']) {
    assert.ok(REGISTRY.modules.has(name), name);
    assert.equal(REGISTRY.getModule(name).category, 'control');
  }
});

test('concat standalone: flattens, keeps the payload type and the inhibitory flags', () => {
  const f = new FloatArray([2, 3]);
  f.data.set([1, 2, 3, 4, 5, 6]);
  const out = new Concat().call({ inputs: f }).output as FloatArray;
  assert.equal(out.type, 'float_array');
  assert.deepEqual(out.shape, [6]);
  assert.deepEqual(Array.from(out.data), [1, 2, 3, 4, 5, 6]);
  const s = new Concat().call({ inputs: spikes(4, [0, 2, 3], [2]) }).output as SpikeArray;
  assert.deepEqual(Array.from(s.toFloat32()), [1, 0, -1, 1]);
});

test('concat in a brain: several sources on one port arrive concatenated in list order', () => {
  const brain = new Brain({
    modules_specs: [{ name: 'cat', module: 'concat', inputs: { inputs: ['__call__.a', '__call__.b'] }, outputs: { out: 'output' } }],
  });
  const out = brain.run({ a: [1, 2], b: [3, 4, 5] }).out as FloatArray;
  assert.equal(out.type, 'float_array');
  assert.deepEqual(Array.from(out.data), [1, 2, 3, 4, 5]);
});

test('concat of spike sources: output is spike_array, each edge one step late', () => {
  const brain = new Brain({
    seed: 1,
    modules_specs: [
      { name: 'p', module: 'poisson_spiker', inputs: { signal: '__call__.x' }, config: { max_freq: 1000 } },
      { name: 'q', module: 'poisson_spiker', inputs: { signal: '__call__.y' }, config: { max_freq: 1000 } },
      { name: 'cat', module: 'concat_reshape', inputs: { inputs: ['p.spikes', 'q.spikes'] }, config: { reshape: [2, 3] }, outputs: { out: 'output' } },
    ],
  });
  assert.equal(brain.outputDecls().out.payload, 'spike_array');
  brain.run({ x: [1, 0, 1], y: [0, 1, 0] });
  const out = brain.run({ x: [0, 0, 0], y: [0, 0, 0] }).out as SpikeArray;
  assert.deepEqual(out.shape, [2, 3]);
  // Step 0 spikes of p (1,0,1) then q (0,1,0), delivered at step 1.
  assert.deepEqual(Array.from(out.mask), [1, 0, 1, 0, 1, 0]);
});

test('concat rejects sources of different payload types', () => {
  assert.throws(
    () =>
      new Brain({
        modules_specs: [
          { name: 'p', module: 'poisson_spiker', inputs: { signal: '__call__.x' } },
          { name: 'e', module: 'exponential_integrator', inputs: { spikes: 'p.spikes' }, config: { num_outputs: 1 } },
          { name: 'cat', module: 'concat', inputs: { inputs: ['p.spikes', 'e.signal'] } },
        ],
      }),
    (e: unknown) => e instanceof PortError && /'e\.signal' delivers float_array but the other sources of 'cat\.inputs' deliver spike_array/.test(e.message),
  );
});

test('concat_reshape: reshape is required and must match the number of values', () => {
  assert.throws(() => new ConcatReshape({}), /reshape/);
  const f = new FloatArray([6]);
  f.data.set([1, 2, 3, 4, 5, 6]);
  const out = new ConcatReshape({ reshape: [3, 2] }).call({ inputs: f }).output as FloatArray;
  assert.deepEqual(out.shape, [3, 2]);
  assert.deepEqual(Array.from(out.data), [1, 2, 3, 4, 5, 6]);
  assert.throws(
    () => new ConcatReshape({ reshape: [4, 2] }).call({ inputs: f }),
    (e: unknown) => e instanceof ConfigError && /reshape: \(4, 2\) holds 8 values but the concatenated inputs have 6/.test(e.message),
  );
});

test('sampler: sample_size required and positive; fixed seeded indices drawn with replacement', () => {
  assert.throws(() => new Sampler({}), /sample_size/);
  assert.throws(() => new Sampler({ sample_size: 0 }), /sample_size: must be > 0/);
  const idx = (seed: number, size: number) => {
    const m = new Sampler({ sample_size: size, seed });
    m.call({ inputs: new FloatArray([10]) });
    return Array.from(m.indices);
  };
  assert.deepEqual(idx(3, 25), idx(3, 25));
  assert.notDeepEqual(idx(3, 25), idx(4, 25));
  const many = idx(9, 2000);
  assert.ok(many.every((i) => i >= 0 && i < 10));
  // Super-sampling with replacement: every unit is hit, roughly uniformly.
  for (let u = 0; u < 10; u++) {
    const c = many.filter((i) => i === u).length;
    assert.ok(Math.abs(c - 200) < 5 * Math.sqrt(180), `unit ${u}: ${c}`);
  }
});

test('sampler gathers values and keeps the payload type (float, integer)', () => {
  const f = new FloatArray([2, 4]);
  f.data.set([0, 10, 20, 30, 40, 50, 60, 70]);
  const m = new Sampler({ sample_size: 12, seed: 2 });
  const out = m.call({ inputs: f }).output as FloatArray;
  assert.equal(out.type, 'float_array');
  assert.deepEqual(out.shape, [12]);
  assert.deepEqual(Array.from(out.data), Array.from(m.indices, (i) => i * 10));
  const ints = new IntegerArray([5]);
  ints.data.set([5, 6, 7, 8, 9]);
  const mi = new Sampler({ sample_size: 3, seed: 1 });
  const oi = mi.call({ inputs: ints }).output as IntegerArray;
  assert.equal(oi.type, 'integer_array');
  assert.deepEqual(Array.from(oi.data), Array.from(mi.indices, (i) => 5 + i));
});

test('sampler keeps inhibitory spikes (Spark drops them): samples carry their unit’s flag and sign', () => {
  const m = new Sampler({ sample_size: 40, seed: 5 });
  const src = spikes(8, [1, 2, 5, 6], [2, 6, 7]);
  const out = m.call({ inputs: src }).output as SpikeArray;
  assert.equal(out.type, 'spike_array');
  const expected = Array.from(m.indices, (i) => src.valueAt(i));
  assert.deepEqual(Array.from(out.toFloat32()), expected);
  assert.ok(expected.includes(-1));
  assert.deepEqual(Array.from(out.inhibitory), Array.from(m.indices, (i) => src.inhibitory[i]));
  // Next step: fewer spikes, the output is rebuilt from scratch.
  const next = m.call({ inputs: spikes(8, [], [2, 6, 7]) }).output as SpikeArray;
  assert.equal(next.count, 0);
});

test('sampler after a neuron in a brain: inhibitory units of the neuron stay inhibitory', () => {
  const brain = new Brain({
    seed: 11,
    modules_specs: [
      { name: 'in', module: 'poisson_spiker', inputs: { signal: '__call__.x' }, config: { max_freq: 500 } },
      {
        name: 'A',
        module: 'lif_neuron',
        inputs: { in_spikes: 'in.spikes' },
        config: { units: [20], inhibitory_rate: 0.5, synapses__kernel__scale: 400, synapses__kernel__density: 1 },
      },
      { name: 's', module: 'sampler', inputs: { inputs: 'A.out_spikes' }, config: { sample_size: 30 }, outputs: { out: 'output' } },
    ],
  });
  assert.equal(brain.outputDecls().out.payload, 'spike_array');
  const x = new Array(20).fill(1);
  let negatives = 0;
  let spikesSeen = 0;
  brain.run({ x });
  const mask = (brain.module('A').getProperty('inhibition_mask') as unknown as { data: Uint8Array }).data;
  const sampler = brain.module('s') as Sampler;
  for (let t = 0; t < 100; t++) {
    const out = brain.run({ x }).out as SpikeArray;
    for (let c = 0; c < out.count; c++) {
      const j = out.indices[c];
      assert.equal(out.valueAt(j), mask[sampler.indices[j]] ? -1 : 1);
      spikesSeen++;
      if (out.valueAt(j) === -1) negatives++;
    }
  }
  assert.ok(spikesSeen > 50 && negatives > 0, `${spikesSeen} spikes, ${negatives} inhibitory`);
});
