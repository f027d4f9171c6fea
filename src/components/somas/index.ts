/** Every soma model, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { LeakySoma } from './leaky_soma.ts';

export const somaModules: ModuleClass[] = [LeakySoma];
