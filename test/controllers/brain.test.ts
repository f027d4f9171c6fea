import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Brain,
  type ConfigSchema,
  FloatArray,
  GraphError,
  InputError,
  Module,
  moduleBaseFields,
  Neuron,
  type Payload,
  type PortSpec,
  PortError,
  REGISTRY,
  SpikeArray,
  SpikeRecorder,
  StateRecorder,
} from '../../src/index.ts';
import { referenceBrain } from '../../bench/networks.ts';

/** out = in + 1, elementwise: the probe module of Spark's chain test (inventory §3). */
class AddOne extends Module {
  static readonly type = 'add_one';
  static readonly category = 'control' as const;
  static readonly schema: ConfigSchema = { type: 'add_one_config', classRef: 'add_one', fields: { ...moduleBaseFields } };
  static readonly inputs = { x: { payload: 'float_array' as const, description: 'input' } };
  static readonly outputs = { y: { payload: 'float_array' as const, description: 'x + 1' } };
  static readonly properties = {};
  static readonly summary = 'test module';
  static readonly reference = 'test';
  protected setup(specs: Record<string, PortSpec>): Record<string, Payload> {
    return { y: new FloatArray(specs.x.shape) };
  }
  step(): void {
    const x = (this.in.x as FloatArray).data;
    const y = (this.out.y as FloatArray).data;
    for (let i = 0; i < x.length; i++) y[i] = x[i] + 1;
  }
  reset(): void {
    (this.out.y as FloatArray).data.fill(0);
  }
}
if (!REGISTRY.has('add_one')) REGISTRY.registerModule(AddOne);

const chain = [
  { name: 'A', module: 'add_one', inputs: { x: '__call__.x' } },
  { name: 'B', module: 'add_one', inputs: { x: 'A.y' }, outputs: { out: 'y' } },
];

test('a Brain delays every edge by exactly one step', () => {
  const brain = new Brain({ modules_specs: chain });
  const outs = [10, 20, 30, 40].map((x) => brain.run({ x: [x] }).out.valueAt(0));
  // Step 0: B reads A's edge buffer, which starts at zero, so 0 + 1. Spark prints 2 here because
  // its cache still holds A's output from the mock build call (docs/compat.md).
  assert.deepEqual(outs, [1, 12, 22, 32]);
});

test('a Neuron propagates within the step', () => {
  const neuron = new Neuron({ units: [1], modules_specs: chain });
  const outs = [10, 20].map((x) => neuron.call({ x: [x] }).out.valueAt(0));
  assert.deepEqual(outs, [12, 22]);
});

test('several sources on one port are concatenated in list order', () => {
  const brain = new Brain({
    modules_specs: [
      { name: 'P', module: 'add_one', inputs: { x: '__call__.a' } },
      { name: 'Q', module: 'add_one', inputs: { x: '__call__.b' } },
      { name: 'R', module: 'add_one', inputs: { x: ['Q.y', 'P.y'] }, outputs: { out: 'y' } },
    ],
  });
  brain.run({ a: [1, 2], b: [10, 20, 30] });
  const out = brain.run({ a: [1, 2], b: [10, 20, 30] }).out;
  assert.deepEqual(Array.from(out.toFloat32()), [12, 22, 32, 3, 4]);

  // Spike sources keep their inhibition flags in the same order.
  const spikes = new Brain({
    modules_specs: [
      { name: 'exc', module: 'lif_neuron', inputs: { in_spikes: '__call__.s' }, config: { units: [3], inhibitory_rate: 0 } },
      { name: 'inh', module: 'lif_neuron', inputs: { in_spikes: '__call__.s' }, config: { units: [2], inhibitory_rate: 1 } },
      {
        name: 'readout',
        module: 'exponential_integrator',
        inputs: { spikes: ['inh.out_spikes', 'exc.out_spikes'] },
        config: { num_outputs: 1 },
      },
    ],
  });
  spikes.run({ s: [1, 0, 1, 0] });
  assert.deepEqual(Array.from((spikes.module('readout').in.spikes as SpikeArray).inhibitory), [1, 1, 0, 0, 0]);
});

/** Deterministic spiking brain: linear spiker → recurrent LIF pool → integrator. */
function deterministicBrain(): Brain {
  return new Brain({
    seed: 5,
    modules_specs: [
      { name: 'spiker', module: 'linear_spiker', inputs: { signal: '__call__.signal' } },
      {
        name: 'pool',
        module: 'lif_neuron',
        inputs: { in_spikes: ['spiker.spikes', 'pool.out_spikes'] },
        config: { units: [32], synapses__kernel: { type: 'uniform_initializer', scale: 800 }, hebbian_rule__eta: 0.001 },
      },
      { name: 'readout', module: 'exponential_integrator', inputs: { spikes: 'pool.out_spikes' }, config: { num_outputs: 2 }, outputs: { action: 'signal' } },
    ],
  });
}

test('reset() restores every state, edge buffers included', () => {
  const brain = deterministicBrain();
  const signal = [0.9, 0.5, 0.7, 1, 0.3, 0.8];
  brain.buildFromShapes({ signal: 6 });
  const kernel = brain.probe('pool.synapses.kernel') as FloatArray;
  const rec = new SpikeRecorder(brain.probe('pool.out_spikes') as SpikeArray);
  brain.addMonitor(rec);
  const run = () => {
    const trace: number[] = [];
    for (let t = 0; t < 300; t++) trace.push(...brain.run({ signal }).action.toFloat32());
    return trace;
  };
  const first = run();
  assert.ok(rec.length > 50, `the pool fires (${rec.length} spikes)`);
  // Freeze learning so that the second run starts from the same weights.
  const before = Float32Array.from(kernel.data);
  brain.reset();
  kernel.data.set(before);
  assert.equal(brain.t, 0);
  const state = brain.readState(['pool.soma.potential', 'pool.out_spikes']);
  assert.ok((state['pool.soma.potential'] as FloatArray).data.every((v) => v === 0));
  assert.equal((state['pool.out_spikes'] as SpikeArray).count, 0);
  const afterRecorder = rec.length;
  const second = run();
  assert.equal(rec.length - afterRecorder, afterRecorder, 'same number of spikes again');
  // Same weights, all state reset (potentials, delay queues, traces, edge buffers): same run.
  assert.deepEqual(second, first);
});

test('monitors record spikes sparsely and state with decimation', () => {
  const brain = deterministicBrain();
  brain.run({ signal: [1, 1, 1, 1, 1, 1] });
  const spikes = new SpikeRecorder(brain.probe('spiker.spikes') as SpikeArray);
  const v = new StateRecorder(brain.probe('pool.soma.potential'), [0, 5], 10);
  brain.addMonitor(spikes);
  brain.addMonitor(v);
  let manual = 0;
  for (let t = 0; t < 100; t++) {
    brain.run({ signal: [1, 1, 1, 1, 1, 1] });
    manual += (brain.probe('spiker.spikes') as SpikeArray).count;
  }
  assert.equal(spikes.length, manual);
  const ev = spikes.events();
  assert.ok(ev.steps.every((s, i) => i === 0 || s >= ev.steps[i - 1]), 'events in step order');
  // Steps 1..100 were sampled (step 0 ran before the monitors were added); every 10th is kept.
  assert.equal(v.length, 10);
  assert.deepEqual(Array.from(v.values().steps), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
});

test('bad wiring and bad inputs give clear errors', () => {
  // Spikes cannot feed a current port: the message names both ends and suggests a synapse.
  assert.throws(
    () =>
      new Brain({
        modules_specs: [
          { name: 'in', module: 'poisson_spiker', inputs: { signal: '__call__.r' } },
          { name: 'soma', module: 'leaky_soma', inputs: { current: 'in.spikes' } },
        ],
      }),
    (e: unknown) =>
      e instanceof PortError &&
      /'in\.spikes' delivers spike_array but 'soma\.current' \(leaky_soma\) expects current_array\. Insert a synapse/.test(e.message),
  );
  assert.throws(
    () => new Brain({ modules_specs: [{ name: 'B', module: 'add_one', inputs: { x: 'A.y' } }] }),
    (e: unknown) => e instanceof PortError && /there is no module 'A'/.test(e.message),
  );
  assert.throws(
    () => new Brain({ modules_specs: [{ name: 'A', module: 'add_one', inputs: { xx: '__call__.x' } }] }),
    (e: unknown) => e instanceof PortError && /no input port 'xx'.*Did you mean 'x'\?/.test(e.message),
  );
  assert.throws(
    () => new Neuron({ units: [1], modules_specs: [{ name: 'A', module: 'add_one', inputs: { x: 'B.y' } }, { name: 'B', module: 'add_one', inputs: { x: 'A.y' } }] }).call({}),
    GraphError,
  );

  const brain = new Brain({ modules_specs: chain }, { checkNumerics: true });
  assert.throws(() => brain.run({}), (e: unknown) => e instanceof InputError && /missing brain input 'x'/.test(e.message));
  brain.run({ x: [1] });
  assert.throws(() => brain.run({ x: [1, 2] }), (e: unknown) => e instanceof InputError && /'x' has 2 values but the brain was built for shape \(1,\)/.test(e.message));
  assert.throws(() => brain.run({ x: [NaN] }), (e: unknown) => e instanceof InputError && /'x'\[0\] is NaN at step 1/.test(e.message));
  assert.throws(() => brain.run({ x: [1], y: [2] } as Record<string, number[]>), InputError);
});

test('the reference brain runs 10,000 steps: the same seed gives identical spikes, another seed differs', () => {
  const raster = (seed: number, steps: number) => {
    const b = referenceBrain(seed);
    const rates = new Float32Array(64).fill(0.5);
    b.buildFromShapes({ rates: 64 });
    const recs = ['pool_a.out_spikes', 'pool_b.out_spikes'].map((p) => {
      const r = new SpikeRecorder(b.probe(p) as SpikeArray);
      b.addMonitor(r);
      return r;
    });
    for (let t = 0; t < steps; t++) b.run({ rates });
    return recs.map((r) => ({ n: r.length, events: `${Array.from(r.events().steps).join()}|${Array.from(r.events().indices).join()}` }));
  };
  const a = raster(1, 10_000);
  // Both pools are active at moderate rates (not silent, not saturated).
  assert.ok(a[0].n > 256 * 10 * 5 && a[0].n < 256 * 10 * 100, `pool_a spikes: ${a[0].n}`);
  assert.ok(a[1].n > 128 * 10 * 2 && a[1].n < 128 * 10 * 100, `pool_b spikes: ${a[1].n}`);
  const b = raster(1, 10_000);
  assert.deepEqual(b, a);
  const other = raster(2, 1_000);
  assert.notEqual(other[0].events, a[0].events.slice(0, other[0].events.length));
});

test('brain-level effects write a property after every module has run (Spark crashes on these)', () => {
  const brain = new Brain({
    modules_specs: [
      { name: 'adder', module: 'add_one', inputs: { x: '__call__.k' } },
      {
        name: 'syn',
        module: 'linear_synapses',
        inputs: { spikes: '__call__.s' },
        config: { units: [2] },
        effects: { kernel: 'adder.y' },
        outputs: { currents: 'currents' },
      },
    ],
  });
  const k = [0, 1, 2, 3, 4, 5];
  brain.run({ k, s: [1, 0, 0] });
  // After step 0 the kernel is k + 1 (post-major [o][i]); step 1 delivers its first column.
  assert.deepEqual(Array.from((brain.probe('syn.kernel') as FloatArray).data), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(brain.run({ k, s: [1, 0, 0] }).currents.toFloat32()), [1, 4]);
  assert.deepEqual(Array.from(brain.run({ k: [9, 9, 9, 9, 9, 9], s: [0, 0, 1] }).currents.toFloat32()), [3, 6]);
});

test('probing a module (not a payload) says so and lists what can be probed', () => {
  const brain = deterministicBrain();
  brain.buildFromShapes({ signal: 6 });
  assert.throws(
    () => brain.probe('pool'),
    (e: unknown) => e instanceof PortError && /'pool': that is a module, not a payload.*'pool\.out_spikes'/.test(e.message) && !/Did you mean/.test(e.message),
  );
  assert.throws(() => brain.probe('pool.soma.potentail'), (e: unknown) => e instanceof PortError && /Did you mean 'potential'\?/.test(e.message));
});

test('run(inputs, n) is n steps with the same inputs: same outputs, state and monitor samples; n must be a whole number ≥ 1', () => {
  const a = deterministicBrain();
  const b = deterministicBrain();
  const signal = [0.9, 0.5, 0.7, 1, 0.3, 0.8];
  a.buildFromShapes({ signal: 6 });
  b.buildFromShapes({ signal: 6 });
  const recA = new SpikeRecorder(a.probe('pool.out_spikes') as SpikeArray);
  const recB = new SpikeRecorder(b.probe('pool.out_spikes') as SpikeArray);
  a.addMonitor(recA);
  b.addMonitor(recB);
  for (let w = 0; w < 6; w++) {
    for (let k = 0; k < 50; k++) a.run({ signal });
    const out = Array.from(b.run({ signal }, 50).action.toFloat32());
    assert.deepEqual(out, Array.from(a.out.action.toFloat32()), `outputs after window ${w}`);
  }
  assert.equal(b.t, 300);
  assert.ok(recA.length > 50, `the pool fires (${recA.length} spikes)`);
  assert.equal(recB.length, recA.length, 'the monitor sampled every step');
  assert.deepEqual(b.readState(['pool.soma.potential']), a.readState(['pool.soma.potential']));
  for (const n of [0, -1, 2.5, Number.NaN]) {
    assert.throws(() => b.run({ signal }, n), (e: unknown) => e instanceof InputError && /steps must be a positive whole number/.test(e.message), `steps ${n}`);
  }
});
