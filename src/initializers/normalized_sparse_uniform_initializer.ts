/**
 * NormalizedSparseUniformInitializer: a sparse uniform array normalised so that, for each index
 * along `norm_axes`, the entries over the other axes sum to 1; then `clip(scale·x)`.
 * Needs at least 2 dimensions. Spark: spark/nn/initializers/base.py.
 */
import { field } from '../core/config/field.ts';
import { ConfigError } from '../core/errors.ts';
import type { InitializerDef } from '../core/registry.ts';
import { shapeSize } from '../core/shape.ts';
import { finish, initializerBaseFields, settings } from './initializer_base.ts';

export const normalizedSparseUniformInitializer: InitializerDef = {
  type: 'normalized_sparse_uniform_initializer',
  summary: 'Sparse uniform values normalised to sum 1 along the non-norm axes.',
  schema: {
    type: 'normalized_sparse_uniform_initializer_config',
    classRef: 'normalized_sparse_uniform_initializer',
    fields: {
      ...initializerBaseFields,
      density: field.float(0.2, 'Probability that an entry is non-zero.', { validators: ['zero_one'] }),
      norm_axes: { kind: 'tuple', default: () => [0], description: 'Axes kept apart; the sum over all other axes is 1.' },
    },
  },
  init(config, rng, shape, overrides) {
    const s = settings(config, overrides);
    if (shape.length < 2) {
      throw new ConfigError([{ path: 'normalized_sparse_uniform_initializer', message: `needs an array of at least 2 dimensions, got shape [${shape.join(', ')}]` }]);
    }
    const density = Number(s.density ?? 0.2);
    const axes = ((s.norm_axes as number[] | undefined) ?? [0]).map((a) => (a < 0 ? a + shape.length : a));
    const a = new Float32Array(shapeSize(shape));
    for (let i = 0; i < a.length; i++) {
      const u = rng.uniform();
      a[i] = rng.uniform() < density ? u : 0;
    }
    // Group index of each flat entry = its coordinates along norm_axes.
    const strides = shape.map((_, d) => shapeSize(shape.slice(d + 1)));
    const groupOf = (flat: number): number => {
      let g = 0;
      for (const ax of axes) g = g * shape[ax] + (Math.floor(flat / strides[ax]) % shape[ax]);
      return g;
    };
    const sums = new Float64Array(axes.reduce((n, ax) => n * shape[ax], 1));
    for (let i = 0; i < a.length; i++) sums[groupOf(i)] += a[i];
    for (let i = 0; i < a.length; i++) {
      const t = sums[groupOf(i)];
      a[i] = t > 0 ? (s.scale * a[i]) / t : 0;
    }
    return finish(a, s, true);
  },
};
