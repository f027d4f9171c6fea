/**
 * ALIFNeuron: N2N delays → traced synapses → adaptive leaky soma, with a Hebbian rule on the
 * kernel. Override parts with nested keys, e.g. `{ soma__threshold_tau: 500 }`.
 * Spark: spark/nn/neurons/alif.py ("parameter calibration is still necessary").
 */
import { defineNeuronType } from './define_neuron.ts';
import { prebuiltModules } from './lif_neuron.ts';

export const ALIFNeuron = defineNeuronType('alif_neuron', {
  modules: prebuiltModules('traced_synapses', 'adaptive_leaky_soma'),
  summary: 'Adaptive LIF population: N2N delays, traced synapses, adaptive leaky soma, Hebbian rule.',
  reference: 'Spark: spark/nn/neurons/alif.py',
});
