/**
 * Sampler: a fixed random selection of `sample_size` input units, drawn with replacement at
 * build (so it can sub- or super-sample), keeping the payload type. Spike outputs keep the
 * inhibitory flag of the unit each sample copies (Spark drops inhibitory spikes; docs/compat.md).
 * Spark: spark/nn/interfaces/control/sampler.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { BooleanMask, createPayload, type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { shapeSize } from '../../core/shape.ts';
import { ControlInterface } from './control_interface.ts';

type DataPayload = Payload & { data: Float32Array | Int32Array | Uint8Array };

export class Sampler extends ControlInterface {
  static readonly type: string = 'sampler';
  static readonly schema: ConfigSchema = {
    type: 'sampler_config',
    classRef: 'sampler',
    fields: {
      ...moduleBaseFields,
      sample_size: field.int(undefined, 'Number of samples drawn from the population; may exceed it.', { validators: ['positive'] }),
    },
  };
  static readonly summary = 'Fixed random sub- or super-sample of a stream (indices drawn with replacement).';
  static readonly reference = 'Spark: spark/nn/interfaces/control/sampler.py';
  static readonly equations = `indices_j ~ U{0, …, N − 1}, j = 0 … sample_size − 1, drawn once at build
output_j = flatten(input)[indices_j]   (spikes keep the inhibitory flag of unit indices_j)`;

  /** Flat input index of each output element. */
  indices!: Int32Array;
  /** Output positions of each input unit (CSR: positions[start[i] … start[i+1]]), so spikes cost per spike. */
  private start!: Int32Array;
  private positions!: Int32Array;
  private spikeIn?: SpikeArray;
  private spikeOut?: SpikeArray;
  private dataIn?: DataPayload['data'];
  private dataOut?: DataPayload['data'];

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const spec = inputSpecs.inputs;
    const n = shapeSize(spec.shape);
    const m = this.cfg('sample_size');
    this.indices = new Int32Array(m);
    for (let j = 0; j < m; j++) this.indices[j] = this.rng.int(n);
    this.start = new Int32Array(n + 1);
    for (const i of this.indices) this.start[i + 1]++;
    for (let i = 0; i < n; i++) this.start[i + 1] += this.start[i];
    this.positions = new Int32Array(m);
    const fill = this.start.slice(0, n);
    for (let j = 0; j < m; j++) this.positions[fill[this.indices[j]]++] = j;
    const out: PortSpec = { payload: spec.payload, shape: [m] };
    if (spec.inhibitory) out.inhibitory = Uint8Array.from(this.indices, (i) => spec.inhibitory![i]);
    if (spec.mask) out.mask = Uint8Array.from(this.indices, (i) => spec.mask![i]);
    const payload = createPayload(out);
    if (payload instanceof BooleanMask && out.mask) payload.data.set(out.mask);
    return { output: payload };
  }

  protected override connect(): void {
    const src = this.in.inputs;
    const dst = this.out.output;
    if (src instanceof SpikeArray) {
      this.spikeIn = src;
      this.spikeOut = dst as SpikeArray;
    } else {
      this.dataIn = (src as DataPayload).data;
      this.dataOut = (dst as DataPayload).data;
    }
  }

  step(): void {
    const { spikeIn, spikeOut } = this;
    if (spikeIn && spikeOut) {
      const { start, positions } = this;
      spikeOut.clear();
      for (let c = 0; c < spikeIn.count; c++) {
        const i = spikeIn.indices[c];
        for (let p = start[i]; p < start[i + 1]; p++) spikeOut.add(positions[p]);
      }
      return;
    }
    const src = this.dataIn!;
    const dst = this.dataOut!;
    const idx = this.indices;
    for (let j = 0; j < idx.length; j++) dst[j] = src[idx[j]];
  }

  reset(): void {
    this.spikeOut?.clear();
  }
}
