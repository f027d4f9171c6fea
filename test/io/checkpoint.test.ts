import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/builtins.ts';
import { Brain } from '../../src/controllers/brain.ts';
import { SparkError } from '../../src/core/errors.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../../src/io/checkpoint.ts';
import { loadCheckpoint, saveCheckpoint } from '../../src/io/checkpoint.node.ts';
import { decodeSafetensors } from '../../src/io/safetensors.ts';
import { loadModel } from '../../src/io/model_file.node.ts';
import { AB_BRAIN, ALIF_MOD, CARTPOLE_SHAPES, smallBrain, trace } from './fixtures.ts';

const rate = (t: number) => ({ rate: Array.from({ length: 20 }, (_, i) => 0.5 + 0.5 * Math.sin(t / 10 + i)) });
const PORTS = ['input.spikes', 'pool.out_spikes', 'pool.delays.out_spikes'];

test('resuming a checkpoint gives bit-identical spikes and outputs (delays, plasticity, Poisson rng, recurrence)', () => {
  const full = trace(smallBrain(), rate, 300, PORTS);
  const first = smallBrain();
  const a = trace(first, rate, 137, PORTS);
  const bytes = encodeCheckpoint(first);
  const resumed = decodeCheckpoint(bytes, { file: 'small.spark.safetensors' }) as Brain;
  assert.equal(resumed.t, 137);
  const b = trace(resumed, rate, 163, PORTS);
  assert.deepEqual([...a, ...b], full);
  // The run is not trivial: the pool spikes, and plasticity changed the kernel.
  const spikes = full.reduce((n, l) => n + l.split('|')[2].split(' ').filter(Boolean).length, 0);
  assert.ok(spikes > 50, `pool spiked ${spikes} times`);
  const fresh = smallBrain();
  const k0 = fresh.probe('pool.synapses.kernel').toFloat32();
  const k1 = resumed.probe('pool.synapses.kernel').toFloat32();
  assert.ok(k0.some((x, i) => x !== k1[i]), 'plasticity changed the kernel');
});

test('checkpoint file: one safetensors file with the config and every state array', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spark-ckpt-'));
  const brain = smallBrain();
  trace(brain, rate, 50, PORTS);
  const path = join(dir, 'run.spark.safetensors');
  saveCheckpoint(brain, path);
  const st = decodeSafetensors(encodeCheckpoint(brain));
  assert.equal(st.metadata.format, 'spark-snn-checkpoint');
  assert.equal(JSON.parse(st.metadata.model).__type__, 'brain_config');
  assert.deepEqual(JSON.parse(st.metadata.input_specs), { rate: { payload: 'float_array', shape: [20] } });
  const rng = st.tensors['model.input/rng'];
  assert.equal(rng.dtype, 'F64');
  assert.equal(rng.data.length, 5);
  assert.ok(st.tensors['model.pool.synapses/state/kernel']);
  assert.ok(st.tensors['model/payload/cache.pool.out_spikes']);
  assert.equal(st.tensors['model/t'].data[0], 50);
  const back = loadCheckpoint(path) as Brain;
  assert.deepEqual(trace(back, rate, 40, PORTS), trace(brain, rate, 40, PORTS));
});

test('a cached normal deviate (NaN when empty) survives the round trip', () => {
  const brain = smallBrain();
  trace(brain, rate, 3, PORTS);
  brain.module('input').rng.normal(); // leaves a spare normal cached
  const back = decodeCheckpoint(encodeCheckpoint(brain)) as Brain;
  assert.deepEqual(Array.from(back.module('input').rng.getState()), Array.from(brain.module('input').rng.getState()));
  assert.ok(Number.isNaN(back.module('pool').rng.getState()[4]));
});

test('damaged checkpoints give a FileFormatError naming the file', () => {
  const bytes = encodeCheckpoint((() => {
    const b = smallBrain();
    trace(b, rate, 2, PORTS);
    return b;
  })());
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, 100), { file: 'x.spark.safetensors' }), (e: Error) => e instanceof SparkError && /x\.spark\.safetensors/.test(e.message));
  assert.throws(() => decodeCheckpoint(new Uint8Array(16), { file: 'y.safetensors' }), SparkError);
});

test('the cartpole brain resumes bit-identically too (topological spiker, ALIF pools, quadruplet rule)', () => {
  const inputs = (t: number) => ({ signal: [Math.sin(t / 7), 0.3, -0.2, Math.cos(t / 5)], mod_a_ex: [0.01], mod_a_in: [0], mod_b_ex: [-0.01], mod_b_in: [0.002] });
  const make = () => loadModel(AB_BRAIN, { neurons: [ALIF_MOD], inputShapes: CARTPOLE_SHAPES }) as Brain;
  const ports = ['spiker.spikes', 'A_excitatory.out_spikes', 'B_inhibitory.out_spikes'];
  const full = trace(make(), inputs, 60, ports);
  const first = make();
  const a = trace(first, inputs, 25, ports);
  const resumed = decodeCheckpoint(encodeCheckpoint(first)) as Brain;
  assert.deepEqual([...a, ...trace(resumed, inputs, 35, ports)], full);
});
