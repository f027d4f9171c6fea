/** Every interface (input, output, control), for registration. */
import type { ModuleClass } from '../core/module.ts';
import { PoissonSpiker } from './input/poisson_spiker.ts';
import { ExponentialIntegrator } from './output/exponential_integrator.ts';

export const interfaceModules: ModuleClass[] = [PoissonSpiker, ExponentialIntegrator];
