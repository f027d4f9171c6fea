/**
 * SparseUniformInitializer: each entry is non-zero with probability `density`, then
 * `scale·U[0,1)` clipped to [min, max]. Zeros stay zero even when `min_value > 0` (Spark fills
 * them with min_value, which makes the array dense; see docs/compat.md).
 * Spark: spark/nn/initializers/base.py.
 */
import { field } from '../core/config/field.ts';
import type { InitializerDef } from '../core/registry.ts';
import { shapeSize } from '../core/shape.ts';
import { finish, initializerBaseFields, settings } from './initializer_base.ts';

export const sparseUniformInitializer: InitializerDef = {
  type: 'sparse_uniform_initializer',
  summary: 'Sparse uniform values: non-zero with probability density.',
  schema: {
    type: 'sparse_uniform_initializer_config',
    classRef: 'sparse_uniform_initializer',
    fields: {
      ...initializerBaseFields,
      density: field.float(0.2, 'Probability that an entry is non-zero.', { validators: ['zero_one'] }),
    },
  },
  init(config, rng, shape, overrides) {
    const s = settings(config, overrides);
    const density = Number(s.density ?? 0.2);
    const a = new Float32Array(shapeSize(shape));
    for (let i = 0; i < a.length; i++) {
      const u = rng.uniform();
      const keep = rng.uniform() < density;
      a[i] = keep ? s.scale * u : 0;
    }
    return finish(a, s, true);
  },
};
