/**
 * BrainSplit (splitBrain): a brain's modules on two threads give the same spikes, outputs and
 * state as on one, because every brain edge has one step of latency.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { Brain } from '../../src/controllers/brain.ts';
import { DeferredSteps, proposeSplit } from '../../src/controllers/brain_split.ts';
import type { WasmArena } from '../../src/wasm/arena.ts';
import { splitBrain } from '../../src/controllers/brain_thread.node.ts';
import { InputError } from '../../src/core/errors.ts';
import { SpikeRecorder } from '../../src/monitors/spike_recorder.ts';
import type { SpikeArray } from '../../src/core/payload.ts';
import { encodeCheckpoint } from '../../src/io/checkpoint.ts';
import { decodeSafetensors } from '../../src/io/safetensors.ts';
import { readModelFile } from '../../src/io/model_file.node.ts';
import { AB_BRAIN, ALIF_MOD, CARTPOLE_SHAPES, smallBrain } from '../io/fixtures.ts';
import { cartpoleBrain, protocolInputs } from '../tasks/cartpole_fixtures.ts';

/** Every checkpoint tensor (state arrays, payloads, random streams, step counters) by name. */
function state(brain: Brain): Map<string, number[]> {
  const st = decodeSafetensors(encodeCheckpoint(brain));
  return new Map(Object.entries(st.tensors).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number>)]));
}

function assertSameState(a: Map<string, number[]>, b: Map<string, number[]>, what: string): void {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of a) {
    const w = b.get(k)!;
    assert.equal(w.length, v.length, `${what}: ${k} length`);
    for (let i = 0; i < v.length; i++) if (!Object.is(v[i], w[i])) assert.fail(`${what}: ${k}[${i}] is ${w[i]}, single-threaded ${v[i]}`);
  }
}

test('cartpole brain split across two threads: the same actions every step and the same state, through a reset, runs of 50 steps and a stop', () => {
  const steps = protocolInputs(1200, 3);
  const single = cartpoleBrain();
  const split = cartpoleBrain();
  const threads = splitBrain(split, ['B_excitatory', 'B_inhibitory']);
  assert.deepEqual(threads.workerModules, ['B_excitatory', 'B_inhibitory']);
  let fired = 0;
  const run = (from: number, to: number): void => {
    for (let t = from; t < to; t++) {
      const a = Array.from(single.run(steps[t]).action.toFloat32());
      const b = Array.from(split.run(steps[t]).action.toFloat32());
      assert.deepEqual(b, a, `action at step ${t}`);
      fired += (single.module('B_excitatory').out.out_spikes as SpikeArray).count;
    }
  };
  // Windows of 50 steps with the same inputs as one call (one command to the worker), the
  // decaying steering windows step by step.
  const runWindows = (from: number, to: number): void => {
    for (let t = from; t < to; t += 50) {
      if ((t / 50) % 4 === 3) {
        run(t, t + 50);
        continue;
      }
      for (let k = 0; k < 50; k++) single.run(steps[t + k]);
      const b = Array.from(split.run(steps[t], 50).action.toFloat32());
      assert.deepEqual(b, Array.from(single.out.action.toFloat32()), `action after the window at step ${t}`);
    }
  };
  run(0, 600);
  assert.ok(fired > 100, `the worker's pools fire (${fired} spikes)`);
  // A checkpoint syncs the worker's modules first: weights, traces, delay queues, random streams.
  assertSameState(state(single), state(split), 'after 600 steps');
  single.reset();
  split.reset();
  runWindows(600, 900);
  assertSameState(state(single), state(split), 'after a reset and 300 steps in windows of 50');
  const st = threads.stats();
  assert.equal(st.steps, 900);
  for (const ms of [st.mainWaitMs, st.workerWaitMs, st.workerIdleMs]) assert.ok(Number.isFinite(ms) && ms >= 0, `wait times ${JSON.stringify(st)}`);
  threads.stop();
  assert.equal(split.split, undefined, 'back on one thread');
  // Stopped: the brain holds the worker's state and goes on alone.
  run(900, 1200);
  assertSameState(state(single), state(split), 'after a reset, a stop and 300 more steps');
});

test('a random input module on the worker thread: its stream advances there, same spikes', () => {
  const single = smallBrain();
  const split = smallBrain();
  const threads = splitBrain(split, ['input', 'pool']);
  const rate = Array.from({ length: 20 }, (_, i) => (i % 5) / 4);
  let spikes = 0;
  for (let t = 0; t < 400; t++) {
    assert.deepEqual(Array.from(split.run({ rate }).out.toFloat32()), Array.from(single.run({ rate }).out.toFloat32()), `output at step ${t}`);
    spikes += (single.module('pool').out.out_spikes as SpikeArray).count;
  }
  assert.ok(spikes > 50, `the pool fires (${spikes} spikes)`);
  assertSameState(state(single), state(split), 'after 400 steps');
  threads.stop();
});

test('splitBrain refuses what it cannot do, and says why', () => {
  const brain = new Brain(readModelFile(AB_BRAIN, { neurons: [ALIF_MOD] }).config, { compat: 'spark' });
  assert.throws(() => splitBrain(brain, ['B_excitatory']), (e: Error) => e instanceof InputError && /not built/.test(e.message));
  brain.buildFromShapes(CARTPOLE_SHAPES);
  assert.throws(() => splitBrain(brain, ['B_excitatorry']), (e: Error) => e instanceof InputError && /no module 'B_excitatorry'.*Did you mean 'B_excitatory'/s.test(e.message));
  assert.throws(() => splitBrain(brain, ['integrator']), (e: Error) => e instanceof InputError && /'integrator' provides a brain output/.test(e.message));
  assert.throws(() => splitBrain(brain, []), (e: Error) => e instanceof InputError && /some but not all/.test(e.message));
  // The default split: about half the brain, the output's module stays.
  const proposed = proposeSplit(brain);
  assert.ok(proposed.length > 0 && !proposed.includes('integrator'), `proposed ${proposed.join(', ')}`);
  assert.equal(proposed.filter((n) => n.endsWith('_excitatory')).length, 1, 'one excitatory pool per thread');
  const threads = splitBrain(brain);
  assert.throws(() => splitBrain(brain), (e: Error) => e instanceof InputError && /already split/.test(e.message));
  const remote = proposed.find((n) => n.endsWith('_excitatory'))!;
  const local = ['A_excitatory', 'B_excitatory'].find((n) => n !== remote)!;
  const rec = new SpikeRecorder(brain.probe(`${local}.out_spikes`) as SpikeArray);
  assert.throws(() => brain.addMonitor(rec), (e: Error) => e instanceof InputError && /while it runs on two threads/.test(e.message));
  assert.throws(() => brain.probe(`${remote}.soma.potential`), (e: Error) => e instanceof InputError && /runs on the brain's second thread/.test(e.message));
  threads.stop();
  assert.ok(brain.probe(`${remote}.soma.potential`), 'probes work again after stop()');
  // close(): no copy back, so the brain refuses to go on with stale modules.
  const again = splitBrain(brain);
  again.close();
  const inputs = Object.fromEntries(Object.entries(CARTPOLE_SHAPES).map(([k, n]) => [k, new Array<number>(n).fill(0)]));
  assert.throws(() => brain.run(inputs), (e: Error) => e instanceof InputError && /closed without copying back/.test(e.message));
});

test('DeferredSteps: rule steps wait for flush() or a join, then run in submission order, once', () => {
  const ran: number[] = [];
  const arena = { kernels: { quadrupletStep: (block: number) => ran.push(block) } } as unknown as WasmArena;
  const d = new DeferredSteps();
  const t1 = d.submit(arena, 10);
  const t2 = d.submit(arena, 20);
  assert.deepEqual(ran, [], 'nothing runs at submission');
  d.wait(t1);
  assert.deepEqual(ran, [10, 20], 'a join runs everything held, in order');
  d.wait(t2);
  d.flush();
  assert.deepEqual(ran, [10, 20], 'once');
  d.submit(arena, 30);
  d.flush();
  assert.deepEqual(ran, [10, 20, 30]);
});
