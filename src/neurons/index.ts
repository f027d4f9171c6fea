/** Prebuilt neuron types, for registration. */
import type { ModuleClass } from '../core/module.ts';
import { LIFNeuron } from './lif_neuron.ts';

export const neuronTypes: ModuleClass[] = [LIFNeuron];
