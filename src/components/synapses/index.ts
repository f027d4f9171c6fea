/** Every synapse model, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { LinearSynapses } from './linear_synapses.ts';
import { RDTracedSynapses } from './rd_traced_synapses.ts';
import { RFSTracedSynapses } from './rfs_traced_synapses.ts';
import { TracedSynapses } from './traced_synapses.ts';

export const synapseModules: ModuleClass[] = [LinearSynapses, TracedSynapses, RDTracedSynapses, RFSTracedSynapses];
