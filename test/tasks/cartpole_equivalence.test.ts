/**
 * The event-driven engine against the dense reference (Spark's per-synapse formulation: dense N2N
 * gather, per-synapse traced synapses, kernel-shaped quadruplet tensor traces) on the cartpole
 * brain: identical spike trains and weights equal to 1e-5 under the protocol's kind of inputs
 * (held observations, passive modulation, a steering rollout with decaying modulation). And the
 * event engine's WebAssembly kernels against its TypeScript loops: the same bits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { Brain } from '../../src/controllers/brain.ts';
import type { Neuron } from '../../src/controllers/neuron.ts';
import type { DelayedSpikes } from '../../src/components/delays/delayed_spikes.ts';
import type { Soma } from '../../src/components/somas/soma.ts';
import type { Compat } from '../../src/core/module.ts';
import type { SpikeArray } from '../../src/core/payload.ts';
import type { QuadrupletRuleTensor } from '../../src/components/plasticity/quadruplet_rule_tensor.ts';
import { startKernelThread, stopKernelThread } from '../../src/wasm/kernel_thread.node.ts';
import { cartpoleBrain, protocolInputs } from './cartpole_fixtures.ts';

const POOLS = ['A_excitatory', 'B_excitatory', 'A_inhibitory', 'B_inhibitory'];
const SPIKES = ['spiker.spikes', ...POOLS.map((p) => `${p}.out_spikes`)];

function compare(compat: Compat, steps: number): void {
  const ev = cartpoleBrain('event', compat);
  const de = cartpoleBrain('dense', compat);
  const k0 = POOLS.map((p) => ev.probe(`${p}.synapses.kernel`).toFloat32());
  const ps = SPIKES.map((p) => [ev.probe(p) as SpikeArray, de.probe(p) as SpikeArray]);
  const inputs = protocolInputs(steps, 5);
  let total = 0;
  for (let t = 0; t < steps; t++) {
    ev.run(inputs[t]);
    de.run(inputs[t]);
    for (let j = 0; j < ps.length; j++) {
      const [a, b] = ps[j];
      const sa = Array.from(a.indices.subarray(0, a.count)).sort((x, y) => x - y);
      const sb = Array.from(b.indices.subarray(0, b.count)).sort((x, y) => x - y);
      if (sa.join() !== sb.join()) assert.fail(`${compat}: step ${t}: ${SPIKES[j]} differs: event [${sa.join(' ')}] dense [${sb.join(' ')}]`);
      total += a.count;
    }
  }
  assert.ok(total > steps * 10, `the brain is active (${total} spikes)`);
  let changed = 0;
  POOLS.forEach((p, n) => {
    const ka = ev.probe(`${p}.synapses.kernel`).toFloat32();
    const kb = de.probe(`${p}.synapses.kernel`).toFloat32();
    let worst = 0;
    for (let k = 0; k < ka.length; k++) {
      worst = Math.max(worst, Math.abs(ka[k] - kb[k]));
      if (ka[k] !== k0[n][k]) changed++;
    }
    assert.ok(worst <= 1e-5, `${compat}: ${p} kernels differ by ${worst}`);
  });
  assert.ok(changed > 1000, `plasticity changed ${changed} weights`);
}

test('cartpole brain (compat spark): event engine = dense reference for 2,000 steps (spikes identical, weights to 1e-5)', () => {
  compare('spark', 2000);
});

test('cartpole brain (E/I-typed rule): event engine = dense reference for 100 steps', () => {
  compare('correct', 100);
});

/** The delays' layout of pool p. */
const layoutOf = (b: Brain, p: string) => ((b.module(p) as Neuron).module('delays').out.out_spikes as DelayedSpikes).layout!;

/**
 * Runs two event-engine brains (same inputs, same step order) and asserts identical spike lists
 * every step and bit-identical kernels at the end. Returns the pools' post spikes.
 */
function runBitIdentical(a: Brain, b: Brain, steps: number, seed: number): number {
  const ps = SPIKES.map((p) => [a.probe(p) as SpikeArray, b.probe(p) as SpikeArray]);
  const post = POOLS.map((p) => ps[SPIKES.indexOf(`${p}.out_spikes`)][0]);
  const inputs = protocolInputs(steps, seed);
  let postSpikes = 0;
  for (let t = 0; t < steps; t++) {
    a.run(inputs[t]);
    b.run(inputs[t]);
    for (let j = 0; j < ps.length; j++) {
      const [x, y] = ps[j];
      assert.deepEqual(Array.from(x.indices.subarray(0, x.count)), Array.from(y.indices.subarray(0, y.count)), `step ${t}: ${SPIKES[j]}`);
    }
    for (const s of post) postSpikes += s.count;
  }
  for (const p of POOLS) {
    const ka = a.probe(`${p}.synapses.kernel`).toFloat32();
    const kb = b.probe(`${p}.synapses.kernel`).toFloat32();
    for (let k = 0; k < ka.length; k++) if (!Object.is(ka[k], kb[k])) assert.fail(`${p}: weight ${k} differs: ${ka[k]} vs ${kb[k]}`);
  }
  return postSpikes;
}

test('cartpole brain: WebAssembly kernels (engine event) = TypeScript loops (engine event_ts), bit for bit, for 2,000 steps', () => {
  const wasm = cartpoleBrain('event', 'spark');
  const ts = cartpoleBrain('event_ts', 'spark');
  // The kernels really run: every pool's delays have an arena holding the plastic weights.
  for (const p of POOLS) {
    const layout = layoutOf(wasm, p);
    assert.ok(layout.arena && layout.transposed?.claimed && layout.transposed.inArena, `${p} runs the WebAssembly kernels`);
    assert.equal(layoutOf(ts, p).arena, undefined, `${p}: event_ts has no arena`);
    const soma = (b: Brain) => (b.module(p) as Neuron).module('soma') as Soma;
    assert.ok(soma(wasm).usesKernel && !soma(ts).usesKernel, `${p}: the soma's kernel runs under event only`);
  }
  const postSpikes = runBitIdentical(wasm, ts, 2000, 11);
  assert.ok(postSpikes > 1000, `row passes ran (${postSpikes} post spikes)`);
  // The synapses' step ran as one kernel: their traces moved into the delays' (shared) arena.
  for (const p of POOLS) {
    const trace = (b: Brain) => (b.module(p) as Neuron).module('synapses').stateArrays().get('trace')!;
    assert.ok(trace(wasm).buffer instanceof SharedArrayBuffer && !(trace(ts).buffer instanceof SharedArrayBuffer), `${p}: the synapses' kernel ran`);
  }
  for (const p of POOLS) {
    const trace = (b: Brain) => Array.from((b.module(p) as Neuron).module('plasticity').stateArrays().get('pre_trace')!);
    assert.deepEqual(trace(wasm), trace(ts), `${p}: presynaptic trace history`);
    // The rule's arrival updates ran inside the synapses' delivery (modulated steps: all of them).
    const { fused, undone } = ((wasm.module(p) as Neuron).module('plasticity') as QuadrupletRuleTensor).fusionCounts;
    assert.ok(fused > 1500 && undone === 0, `${p}: fused arrivals in ${fused} steps, ${undone} backed out`);
  }
});

test('cartpole brain: with the rule steps on the kernel thread (a worker), the same bits as the TypeScript loops', (t) => {
  if (!startKernelThread()) {
    t.skip('one core: no kernel thread');
    return;
  }
  try {
    const threaded = cartpoleBrain('event', 'spark');
    const ts = cartpoleBrain('event_ts', 'spark');
    // Weights read mid-run (a probe waits for the pending steps) match too.
    assert.ok(runBitIdentical(threaded, ts, 700, 12) > 0);
    assert.ok(runBitIdentical(threaded, ts, 700, 13) > 0);
    for (const p of POOLS) {
      const trace = (b: Brain) => Array.from((b.module(p) as Neuron).module('plasticity').stateArrays().get('pre_trace')!);
      assert.deepEqual(trace(threaded), trace(ts), `${p}: presynaptic trace history`);
    }
  } finally {
    stopKernelThread();
  }
});

test('cartpole brain: without shared WebAssembly memory (a page that is not cross-origin isolated), engine event falls back to the TypeScript loops', () => {
  const Memory = WebAssembly.Memory;
  // Browsers refuse shared memory outside cross-origin isolation; this stands in for that.
  WebAssembly.Memory = function (desc: WebAssembly.MemoryDescriptor) {
    if (desc.shared) throw new TypeError('shared memory is not available');
    return new Memory(desc);
  } as unknown as typeof WebAssembly.Memory;
  let plain: Brain;
  try {
    plain = cartpoleBrain('event', 'spark');
  } finally {
    WebAssembly.Memory = Memory;
  }
  const wasm = cartpoleBrain('event', 'spark');
  for (const p of POOLS) assert.equal(layoutOf(plain, p).arena, undefined, `${p}: no arena`);
  assert.ok(runBitIdentical(plain, wasm, 300, 4) > 0);
});

test('cartpole brain: N2N delays skip their per-synapse spikes while only group readers consume them; a probe fills them', () => {
  const lazy = cartpoleBrain('event', 'spark');
  const eager = cartpoleBrain('event', 'spark');
  const inputs = protocolInputs(150, 9);
  const lazyOut = (lazy.module('A_excitatory') as Neuron).module('delays').out.out_spikes as SpikeArray;
  const eagerOut = eager.probe('A_excitatory.delays.out_spikes') as SpikeArray; // filled every step from now on
  const pools = POOLS.map((p) => [lazy.probe(`${p}.out_spikes`) as SpikeArray, eager.probe(`${p}.out_spikes`) as SpikeArray]);
  let skipped = 0;
  for (let t = 0; t < 100; t++) {
    lazy.run(inputs[t]);
    eager.run(inputs[t]);
    for (const [a, b] of pools) assert.deepEqual(Array.from(a.indices.subarray(0, a.count)), Array.from(b.indices.subarray(0, b.count)), `step ${t}`);
    if (lazyOut.count === 0 && eagerOut.count > 0) skipped++;
  }
  assert.ok(skipped > 50, `skipped on ${skipped} of 100 steps`);
  const sorted = (s: SpikeArray) => Array.from(s.indices.subarray(0, s.count)).sort((p, q) => p - q).join();
  const probed = lazy.probe('A_excitatory.delays.out_spikes') as SpikeArray;
  assert.equal(sorted(probed), sorted(eagerOut));
  for (let t = 100; t < 150; t++) {
    lazy.run(inputs[t]);
    eager.run(inputs[t]);
    assert.equal(sorted(probed), sorted(eagerOut), `step ${t}`);
  }
});
