/**
 * Concat: merges several streams of one payload type into one flat stream. A controller already
 * flattens and concatenates the sources listed for the `inputs` port (in list order), so the
 * module copies that concatenation to a 1-D output (and can be built standalone on one input).
 * Spark: spark/nn/interfaces/control/concat.py (Concat), which cannot be built (docs/compat.md).
 */
import { moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { createPayload, type Payload, type PortSpec } from '../../core/payload.ts';
import { type Shape, shapeSize } from '../../core/shape.ts';
import { ControlInterface } from './control_interface.ts';

export class Concat extends ControlInterface {
  static readonly type: string = 'concat';
  static readonly schema: ConfigSchema = { type: 'concat_config', classRef: 'concat', fields: { ...moduleBaseFields } };
  static readonly summary: string = 'Flattens and concatenates streams of the same payload type.';
  static readonly reference = 'Spark: spark/nn/interfaces/control/concat.py';
  static readonly equations: string = 'output = concatenate(flatten(input_1), …, flatten(input_k))   (spikes keep their inhibitory flags)';

  private src!: Payload;
  private dst!: Payload;

  /** Output shape for an input of `size` values. */
  protected outputShape(inputSpec: PortSpec): Shape {
    return [shapeSize(inputSpec.shape)];
  }

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const spec = inputSpecs.inputs;
    // Same payload type; spikes keep their inhibitory flags; per-synapse spikes become a flat list.
    return { output: createPayload({ payload: spec.payload, shape: this.outputShape(spec), inhibitory: spec.inhibitory }) };
  }

  protected override connect(): void {
    this.src = this.in.inputs;
    this.dst = this.out.output;
  }

  step(): void {
    this.dst.clear();
    this.dst.copyFrom(this.src, 0);
  }

  reset(): void {
    this.dst?.clear();
  }
}
