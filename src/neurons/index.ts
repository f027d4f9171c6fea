/** Prebuilt neuron types, for registration. */
import type { ModuleClass } from '../core/module.ts';
import { AdExNeuron } from './ad_ex_neuron.ts';
import { ALIFNeuron } from './alif_neuron.ts';
import { LIFNeuron } from './lif_neuron.ts';

export const neuronTypes: ModuleClass[] = [LIFNeuron, ALIFNeuron, AdExNeuron];
