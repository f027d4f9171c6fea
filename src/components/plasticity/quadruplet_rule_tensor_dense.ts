/**
 * QuadrupletRuleTensorDense: QuadrupletRuleTensor forced to its dense form (kernel-shaped traces
 * and parameters updated every step exactly as Spark writes it), whatever the engine. Not
 * registered; the reference the event-driven forms are tested against. Cost O(post × pre) per step.
 * A whole model runs dense with the module option `engine: 'dense'`.
 * Spark: spark/nn/components/plasticity/quadruplet_rule.py (QuadrupletRuleTensor).
 */
import type { Config } from '../../core/config/config.ts';
import type { ModuleOptions } from '../../core/module.ts';
import { QuadrupletRuleTensor } from './quadruplet_rule_tensor.ts';

export class QuadrupletRuleTensorDense extends QuadrupletRuleTensor {
  static override readonly summary = 'Dense reference form of quadruplet_rule_tensor.';

  constructor(config?: Config | Record<string, unknown>, options: ModuleOptions = {}) {
    super(config, { ...options, engine: 'dense' });
  }
}
