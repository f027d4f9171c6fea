/**
 * LIFNeuron: N2N delays → linear synapses → leaky soma, with a Hebbian rule on the kernel.
 * Override parts with nested keys, e.g. `{ soma__potential_tau: 10, synapses__kernel__scale: 2 }`.
 * Spark: spark/nn/neurons/lif.py ("parameter calibration is still necessary").
 */
import type { ModuleSpecInput } from '../controllers/module_spec.ts';
import { defineNeuronType } from './define_neuron.ts';

/** The wiring shared by Spark's prebuilt neurons, with the given synapse and soma types. */
export function prebuiltModules(synapses: string, soma: string): () => ModuleSpecInput[] {
  return (): ModuleSpecInput[] => [
    { name: 'delays', module: 'n2n_delays', inputs: { in_spikes: '__call__.in_spikes' } } as ModuleSpecInput,
    {
      name: 'synapses',
      module: synapses,
      inputs: { spikes: 'delays.out_spikes' },
      effects: { kernel: 'hebbian_rule.kernel' },
    },
    {
      name: 'soma',
      module: soma,
      inputs: { current: 'synapses.currents', inhibition_mask: '__self__.inhibition_mask' },
      outputs: { out_spikes: 'spikes' },
    },
    {
      name: 'hebbian_rule',
      module: 'hebbian_rule',
      inputs: {
        pre_spikes: 'delays.out_spikes',
        post_spikes: 'soma.spikes',
        kernel: { origin: 'synapses', port: 'kernel', isProperty: true },
      },
    },
  ];
}

export const LIFNeuron = defineNeuronType('lif_neuron', {
  modules: prebuiltModules('linear_synapses', 'leaky_soma'),
  summary: 'LIF population: N2N delays, linear synapses, leaky soma, Hebbian rule.',
  reference: 'Spark: spark/nn/neurons/lif.py',
});
