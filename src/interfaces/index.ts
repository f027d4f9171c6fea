/** Every interface (input, output, control), for registration. */
import type { ModuleClass } from '../core/module.ts';
import { Concat } from './control/concat.ts';
import { ConcatReshape } from './control/concat_reshape.ts';
import { Sampler } from './control/sampler.ts';
import { LinearSpiker } from './input/linear_spiker.ts';
import { PoissonSpiker } from './input/poisson_spiker.ts';
import { TopologicalLinearSpiker } from './input/topological_linear_spiker.ts';
import { TopologicalPoissonSpiker } from './input/topological_poisson_spiker.ts';
import { ExponentialIntegrator } from './output/exponential_integrator.ts';

export const interfaceModules: ModuleClass[] = [
  PoissonSpiker,
  LinearSpiker,
  TopologicalPoissonSpiker,
  TopologicalLinearSpiker,
  ExponentialIntegrator,
  Concat,
  ConcatReshape,
  Sampler,
];
