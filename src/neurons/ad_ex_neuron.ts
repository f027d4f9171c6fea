/**
 * AdExNeuron: N2N delays → traced synapses → adaptive exponential soma, with a Hebbian rule on
 * the kernel. Override parts with nested keys, e.g. `{ soma__potential_tau: 10 }`.
 * Spark: spark/nn/neurons/adex.py ("parameter calibration is still necessary").
 */
import { defineNeuronType } from './define_neuron.ts';
import { prebuiltModules } from './lif_neuron.ts';

export const AdExNeuron = defineNeuronType('ad_ex_neuron', {
  modules: prebuiltModules('traced_synapses', 'adaptive_exponential_soma'),
  summary: 'AdEx population: N2N delays, traced synapses, adaptive exponential soma, Hebbian rule.',
  reference: 'Spark: spark/nn/neurons/adex.py',
});
