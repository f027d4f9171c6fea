/** Every synapse model, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { LinearSynapses } from './linear_synapses.ts';

export const synapseModules: ModuleClass[] = [LinearSynapses];
