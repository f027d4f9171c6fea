/** Done-when: Spark's real cartpole files load, build with the inventory §4 structure, and run 1,000 steps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { Brain } from '../../src/controllers/brain.ts';
import type { SpikeArray } from '../../src/core/payload.ts';
import { REGISTRY } from '../../src/core/registry.ts';
import { loadModel } from '../../src/io/model_file.node.ts';
import { AB_BRAIN, ALIF_MOD, CARTPOLE_SHAPES } from './fixtures.ts';

const NEEDED = ['topological_linear_spiker', 'adaptive_leaky_soma', 'traced_synapses', 'quadruplet_rule_tensor', 'n2n_delays', 'exponential_integrator'];
const missing = NEEDED.filter((n) => !REGISTRY.has(n));
const skip = missing.length ? `modules not registered yet: ${missing.join(', ')}` : false;

test('ab_brain.scfg + alif_mod_neuron.scfg: structure of inventory §4, then 1,000 steps', { skip }, () => {
  const brain = loadModel(AB_BRAIN, { neurons: [ALIF_MOD], inputShapes: CARTPOLE_SHAPES }) as Brain;
  assert.deepEqual(brain.inputNames().sort(), ['mod_a_ex', 'mod_a_in', 'mod_b_ex', 'mod_b_in', 'signal']);
  assert.deepEqual(brain.outputNames(), ['action']);
  assert.deepEqual(brain.probe('spiker.spikes').shape, [4, 128]);
  const pools: Array<[string, number, number]> = [
    ['A_excitatory', 256, 832],
    ['B_excitatory', 256, 832],
    ['A_inhibitory', 64, 768],
    ['B_inhibitory', 64, 768],
  ];
  for (const [name, units, fanIn] of pools) {
    assert.deepEqual(brain.probe(`${name}.out_spikes`).shape, [units], name);
    assert.deepEqual(brain.probe(`${name}.synapses.kernel`).shape, [units, fanIn], `${name} kernel`);
    assert.equal(brain.module(name).cls.type, 'alif_mod_neuron');
  }
  // inhibitory_rate 0 for the excitatory pools, 1 for the inhibitory ones.
  assert.equal(brain.probe('A_excitatory.inhibition_mask').toFloat32().reduce((a, b) => a + b, 0), 0);
  assert.equal(brain.probe('A_inhibitory.inhibition_mask').toFloat32().reduce((a, b) => a + b, 0), 64);
  assert.deepEqual(brain.probe('integrator.signal').shape, [2]);

  const counts: Record<string, number> = { spiker: 0, A_excitatory: 0, B_excitatory: 0, A_inhibitory: 0, B_inhibitory: 0 };
  const payloads = Object.keys(counts).map((n) => [n, brain.probe(n === 'spiker' ? 'spiker.spikes' : `${n}.out_spikes`) as SpikeArray] as const);
  let action: Float32Array = new Float32Array(2);
  for (let t = 0; t < 1000; t++) {
    const out = brain.run({ signal: [Math.sin(t / 50), 0.2, -0.1, Math.cos(t / 30)], mod_a_ex: [0], mod_a_in: [0], mod_b_ex: [0], mod_b_in: [0] });
    for (const [n, p] of payloads) counts[n] += p.count;
    action = out.action.toFloat32();
  }
  assert.equal(brain.t, 1000);
  assert.equal(action.length, 2);
  assert.ok(action.every(Number.isFinite), `action ${action}`);
  assert.ok(counts.spiker > 0 && counts.A_excitatory > 0 && counts.B_excitatory > 0, JSON.stringify(counts));
});
