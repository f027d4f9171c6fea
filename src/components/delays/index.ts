/** Every delay model, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { N2NDelays } from './n2n_delays.ts';

export const delayModules: ModuleClass[] = [N2NDelays];
