/** Every delay model, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { N2NDelays } from './n2n_delays.ts';
import { NDelays } from './n_delays.ts';

export const delayModules: ModuleClass[] = [NDelays, N2NDelays];
