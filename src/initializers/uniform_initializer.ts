/** UniformInitializer: `clip(scale·U[0,1), min, max)`. Spark: initializers/base.py. */
import type { InitializerDef } from '../core/registry.ts';
import { shapeSize } from '../core/shape.ts';
import { finish, initializerBaseFields, settings } from './initializer_base.ts';

export const uniformInitializer: InitializerDef = {
  type: 'uniform_initializer',
  summary: 'Uniform values in [0, scale), clipped to [min_value, max_value].',
  schema: { type: 'uniform_initializer_config', classRef: 'uniform_initializer', fields: { ...initializerBaseFields } },
  init(config, rng, shape, overrides) {
    const s = settings(config, overrides);
    const a = new Float32Array(shapeSize(shape));
    for (let i = 0; i < a.length; i++) a[i] = s.scale * rng.uniform();
    return finish(a, s);
  },
};
