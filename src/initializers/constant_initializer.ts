/** ConstantInitializer: every entry equals `scale` (then clipped). Spark: initializers/base.py. */
import type { InitializerDef } from '../core/registry.ts';
import { shapeSize } from '../core/shape.ts';
import { finish, initializerBaseFields, settings } from './initializer_base.ts';

export const constantInitializer: InitializerDef = {
  type: 'constant_initializer',
  summary: 'All entries equal to scale.',
  schema: { type: 'constant_initializer_config', classRef: 'constant_initializer', fields: { ...initializerBaseFields } },
  init(config, _rng, shape, overrides) {
    const s = settings(config, overrides);
    return finish(new Float32Array(shapeSize(shape)).fill(s.scale), s);
  },
};
