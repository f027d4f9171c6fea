/** Every initializer, for registration. */
import type { InitializerDef } from '../core/registry.ts';
import { constantInitializer } from './constant_initializer.ts';
import { normalizedSparseUniformInitializer } from './normalized_sparse_uniform_initializer.ts';
import { sparseUniformInitializer } from './sparse_uniform_initializer.ts';
import { uniformInitializer } from './uniform_initializer.ts';

export const initializers: InitializerDef[] = [
  constantInitializer,
  uniformInitializer,
  sparseUniformInitializer,
  normalizedSparseUniformInitializer,
];
