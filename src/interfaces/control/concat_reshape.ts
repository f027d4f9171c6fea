/**
 * ConcatReshape: Concat, then reshape the flat result to `reshape` (row-major).
 * Spark: spark/nn/interfaces/control/concat.py (ConcatReshape), which cannot be built (docs/compat.md).
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { ConfigError } from '../../core/errors.ts';
import type { PortSpec } from '../../core/payload.ts';
import { formatShape, type Shape, shapeSize } from '../../core/shape.ts';
import { Concat } from './concat.ts';

export class ConcatReshape extends Concat {
  static override readonly type: string = 'concat_reshape';
  static override readonly schema: ConfigSchema = {
    type: 'concat_reshape_config',
    classRef: 'concat_reshape',
    fields: {
      ...moduleBaseFields,
      reshape: field.shape(undefined, 'Shape of the output; must hold exactly as many values as the concatenated inputs.'),
    },
  };
  static override readonly summary = 'Flattens and concatenates streams of the same payload type, then reshapes.';
  static override readonly equations = 'output = reshape(concatenate(flatten(input_1), …, flatten(input_k)), reshape)';

  protected override outputShape(inputSpec: PortSpec): Shape {
    const shape = this.cfg<number[]>('reshape');
    const n = shapeSize(inputSpec.shape);
    if (shapeSize(shape) !== n) {
      throw new ConfigError([
        {
          path: `${this.path ? `${this.path}.` : ''}reshape`,
          message: `${formatShape(shape)} holds ${shapeSize(shape)} values but the concatenated inputs have ${n}; give a shape whose product is ${n}`,
        },
      ]);
    }
    return [...shape];
  }
}
