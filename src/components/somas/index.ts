/** Every soma model, for registration. */
import type { ModuleClass } from '../../core/module.ts';
import { AdaptiveExponentialSoma } from './adaptive_exponential_soma.ts';
import { AdaptiveLeakySoma } from './adaptive_leaky_soma.ts';
import { ALIFSoma } from './alif_soma.ts';
import { ExponentialSoma } from './exponential_soma.ts';
import { IzhikevichSoma } from './izhikevich_soma.ts';
import { LeakySoma } from './leaky_soma.ts';
import { RefractoryExponentialSoma } from './refractory_exponential_soma.ts';
import { RefractoryLeakySoma } from './refractory_leaky_soma.ts';
import { SimplifiedAdaptiveExponentialSoma } from './simplified_adaptive_exponential_soma.ts';
import { StrictRefractoryLeakySoma } from './strict_refractory_leaky_soma.ts';

export const somaModules: ModuleClass[] = [
  LeakySoma,
  RefractoryLeakySoma,
  StrictRefractoryLeakySoma,
  AdaptiveLeakySoma,
  ALIFSoma,
  ExponentialSoma,
  RefractoryExponentialSoma,
  AdaptiveExponentialSoma,
  SimplifiedAdaptiveExponentialSoma,
  IzhikevichSoma,
];
