/**
 * The quadruplet rule's arrival updates done inside the traced synapses' delivery pass (the
 * `deliverArrivals` kernel, see QuadrupletRuleTensor.prepareArrivals) need the step's modulation
 * before the soma runs. When a module inside the neuron produces the modulation after delivery,
 * the rule backs those updates out and does them itself: the same bits as the TypeScript loops.
 * (The cartpole equivalence test covers the fused path itself.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { Brain } from '../../src/controllers/brain.ts';
import type { Neuron } from '../../src/controllers/neuron.ts';
import type { Engine } from '../../src/core/module.ts';
import type { SpikeArray } from '../../src/core/payload.ts';
import { REGISTRY } from '../../src/core/registry.ts';
import type { QuadrupletRuleTensor } from '../../src/components/plasticity/quadruplet_rule_tensor.ts';
import { defineNeuronType } from '../../src/neurons/define_neuron.ts';
import type { ModuleSpecInput } from '../../src/controllers/module_spec.ts';

// A neuron whose rule is modulated by a readout of its own spikes, stepped after the soma.
if (!REGISTRY.has('self_modulated_neuron')) {
  REGISTRY.registerModule(
    defineNeuronType('self_modulated_neuron', {
      modules: (): ModuleSpecInput[] => [
        { name: 'delays', module: 'n2n_delays', inputs: { in_spikes: '__call__.in_spikes' }, config: { max_delay: 4 } },
        { name: 'synapses', module: 'traced_synapses', inputs: { spikes: 'delays.out_spikes' }, effects: { kernel: 'plasticity.kernel' }, config: { kernel__scale: 6, kernel__density: 0.3 } },
        {
          name: 'soma',
          module: 'adaptive_leaky_soma',
          inputs: { current: 'synapses.currents', inhibition_mask: '__self__.inhibition_mask' },
          outputs: { out_spikes: 'spikes' },
          config: { potential_tau: 10, resistance: 1 },
        },
        { name: 'readout', module: 'exponential_integrator', inputs: { spikes: 'soma.spikes' }, config: { num_outputs: 1 } },
        {
          name: 'plasticity',
          module: 'quadruplet_rule_tensor',
          inputs: {
            modulation: 'readout.signal',
            pre_spikes: 'delays.out_spikes',
            post_spikes: 'soma.spikes',
            kernel: { origin: 'synapses', port: 'kernel', isProperty: true },
          },
        },
      ],
      units: [97], // odd: the kernels' two-unit loops end with one unit alone
    }),
  );
}

function brain(engine: Engine): Brain {
  const b = new Brain(
    {
      seed: 5,
      modules_specs: [
        { name: 'input', module: 'poisson_spiker', inputs: { signal: '__call__.rate' }, config: { max_freq: 200 } },
        { name: 'pool', module: 'self_modulated_neuron', inputs: { in_spikes: ['input.spikes', 'pool.out_spikes'] } },
      ],
    },
    { engine },
  );
  b.buildFromShapes({ rate: 200 });
  return b;
}

test('modulation made inside the neuron after delivery: the fused arrival updates are backed out, same bits as the TypeScript loops', () => {
  const wasm = brain('event');
  const ts = brain('event_ts');
  const rule = (wasm.module('pool') as Neuron).module('plasticity') as QuadrupletRuleTensor;
  const sw = wasm.probe('pool.out_spikes') as SpikeArray;
  const st = ts.probe('pool.out_spikes') as SpikeArray;
  const rate = Array.from({ length: 200 }, (_, i) => 0.2 + 0.6 * ((i * 7) % 10) / 10);
  let spikes = 0;
  for (let t = 0; t < 800; t++) {
    wasm.run({ rate });
    ts.run({ rate });
    assert.deepEqual(Array.from(sw.indices.subarray(0, sw.count)), Array.from(st.indices.subarray(0, st.count)), `step ${t}`);
    spikes += st.count;
  }
  assert.ok(spikes > 500, `the pool fires (${spikes} spikes)`);
  const ka = wasm.probe('pool.synapses.kernel').toFloat32();
  const kb = ts.probe('pool.synapses.kernel').toFloat32();
  for (let k = 0; k < ka.length; k++) if (!Object.is(ka[k], kb[k])) assert.fail(`weight ${k}: ${ka[k]} vs ${kb[k]}`);
  assert.ok(rule.fusionCounts.undone > 100, `fused updates were backed out (${JSON.stringify(rule.fusionCounts)})`);
});
