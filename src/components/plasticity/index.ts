/** Every plasticity rule, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { HebbianRule } from './hebbian_rule.ts';
import { OjaRule } from './oja_rule.ts';
import { QuadrupletRule } from './quadruplet_rule.ts';
import { QuadrupletRuleTensor } from './quadruplet_rule_tensor.ts';
import { StdpRule } from './stdp_rule.ts';
import { ThreeFactorHebbianRule } from './three_factor_hebbian_rule.ts';
import { ZenkeRule } from './zenke_rule.ts';

export const plasticityModules: ModuleClass[] = [
  HebbianRule,
  OjaRule,
  ZenkeRule,
  ThreeFactorHebbianRule,
  QuadrupletRule,
  QuadrupletRuleTensor,
  StdpRule,
];
