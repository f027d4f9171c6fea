/** Every plasticity rule, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { HebbianRule } from './hebbian_rule.ts';

export const plasticityModules: ModuleClass[] = [HebbianRule];
