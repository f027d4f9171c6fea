/**
 * Payloads: the typed values that travel along ports. Each owns preallocated typed arrays that
 * the producing module overwrites every step, so a step allocates nothing.
 *
 * Spark: spark/core/payloads.py. A spike from an inhibitory unit counts as −1 (Spark's
 * `SpikeArray.value`); the sign is how synapses apply inhibition.
 */
import { type Shape, shapeSize } from './shape.ts';

export const PAYLOAD_TYPES = [
  'spike_array',
  'current_array',
  'potential_array',
  'float_array',
  'integer_array',
  'boolean_mask',
  'integer_mask',
] as const;
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/** What a port carries: payload type and shape, plus spike-specific build-time facts. */
export interface PortSpec {
  payload: PayloadType;
  shape: Shape;
  description?: string;
  /** Per-(post, pre) spikes of shape `post + pre`, as made by N2N delays. */
  async?: boolean;
  /** Inhibitory flag of each unit (1 = inhibitory), known at build time. */
  inhibitory?: Uint8Array;
  /** Value of a boolean mask known at build time (e.g. a Neuron's inhibition mask). */
  mask?: Uint8Array;
}

export abstract class Payload {
  abstract readonly type: PayloadType;
  readonly shape: Shape;
  readonly size: number;
  constructor(shape: Shape) {
    this.shape = [...shape];
    this.size = shapeSize(shape);
  }
  /** Zero the payload. */
  abstract clear(): void;
  /** Copy `src` into this payload starting at flat `offset` (used for concatenation). */
  abstract copyFrom(src: Payload, offset: number): void;
  /** The signed value of element i as a number (spikes: −1, 0 or 1). */
  abstract valueAt(i: number): number;
  /** The payload's values as a fresh Float32Array (for probes; allocates). */
  toFloat32(): Float32Array {
    const out = new Float32Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.valueAt(i);
    return out;
  }
}

/**
 * Spikes of one step: a dense 0/1 mask plus the list of active indices, so consumers pay per
 * spike, not per unit. `inhibitory` marks units whose spikes count as −1.
 */
export class SpikeArray extends Payload {
  readonly type = 'spike_array' as const;
  readonly mask: Uint8Array;
  readonly inhibitory: Uint8Array;
  readonly indices: Int32Array;
  count = 0;
  readonly async: boolean;

  constructor(shape: Shape, inhibitory?: Uint8Array, async = false) {
    super(shape);
    this.mask = new Uint8Array(this.size);
    this.indices = new Int32Array(this.size);
    this.inhibitory = inhibitory ? Uint8Array.from(inhibitory) : new Uint8Array(this.size);
    if (this.inhibitory.length !== this.size) {
      throw new RangeError(`inhibition mask has ${this.inhibitory.length} entries for ${this.size} units`);
    }
    this.async = async;
  }

  /** Clears the active spikes only: the cost is the number of spikes. */
  clear(): void {
    const { mask, indices } = this;
    for (let k = 0; k < this.count; k++) mask[indices[k]] = 0;
    this.count = 0;
  }

  /** Marks unit i as spiking (idempotent). */
  add(i: number): void {
    if (this.mask[i] === 0) {
      this.mask[i] = 1;
      this.indices[this.count++] = i;
    }
  }

  valueAt(i: number): number {
    return this.mask[i] ? (this.inhibitory[i] ? -1 : 1) : 0;
  }

  copyFrom(src: Payload, offset: number): void {
    const s = src as SpikeArray;
    s.demandDense();
    for (let k = 0; k < s.count; k++) this.add(offset + s.indices[k]);
  }

  /**
   * Payloads that can skip filling mask and indices (see DelayedSpikes) override these two.
   * `setDenseWanted`: whether the bound consumers read them; `demandDense`: a reader outside the
   * step plan (probe, recorder, copy) needs them from now on, starting with the current step.
   */
  setDenseWanted(_wanted: boolean): void {}
  demandDense(): void {}
}

/** Float-valued payloads (currents in pA, potentials in mV, generic floats). */
export abstract class ValuePayload extends Payload {
  readonly data: Float32Array;
  /** `data`: the array to use (e.g. in a WebAssembly arena), `size` long; default a new one. */
  constructor(shape: Shape, data?: Float32Array) {
    super(shape);
    if (data && data.length !== this.size) throw new RangeError(`payload data has ${data.length} values for shape [${shape.join(', ')}]`);
    this.data = data ?? new Float32Array(this.size);
  }
  clear(): void {
    this.data.fill(0);
  }
  valueAt(i: number): number {
    return this.data[i];
  }
  copyFrom(src: Payload, offset: number): void {
    const s = src as ValuePayload;
    this.data.set(s.data, offset);
  }
}

export class CurrentArray extends ValuePayload {
  readonly type = 'current_array' as const;
}
export class PotentialArray extends ValuePayload {
  readonly type = 'potential_array' as const;
}
export class FloatArray extends ValuePayload {
  readonly type = 'float_array' as const;
}

abstract class IntPayload extends Payload {
  readonly data: Int32Array;
  constructor(shape: Shape) {
    super(shape);
    this.data = new Int32Array(this.size);
  }
  clear(): void {
    this.data.fill(0);
  }
  valueAt(i: number): number {
    return this.data[i];
  }
  copyFrom(src: Payload, offset: number): void {
    this.data.set((src as IntPayload).data, offset);
  }
}
export class IntegerArray extends IntPayload {
  readonly type = 'integer_array' as const;
}
export class IntegerMask extends IntPayload {
  readonly type = 'integer_mask' as const;
}

export class BooleanMask extends Payload {
  readonly type = 'boolean_mask' as const;
  readonly data: Uint8Array;
  constructor(shape: Shape) {
    super(shape);
    this.data = new Uint8Array(this.size);
  }
  clear(): void {
    this.data.fill(0);
  }
  valueAt(i: number): number {
    return this.data[i];
  }
  copyFrom(src: Payload, offset: number): void {
    this.data.set((src as BooleanMask).data, offset);
  }
}

/** Allocates a zero payload for a spec (Spark's `_from_spec`). */
export function createPayload(spec: PortSpec): Payload {
  switch (spec.payload) {
    case 'spike_array':
      return new SpikeArray(spec.shape, spec.inhibitory, spec.async ?? false);
    case 'current_array':
      return new CurrentArray(spec.shape);
    case 'potential_array':
      return new PotentialArray(spec.shape);
    case 'float_array':
      return new FloatArray(spec.shape);
    case 'integer_array':
      return new IntegerArray(spec.shape);
    case 'integer_mask':
      return new IntegerMask(spec.shape);
    case 'boolean_mask':
      return new BooleanMask(spec.shape);
  }
}

/** The spec describing an existing payload. */
export function specOf(p: Payload, description?: string): PortSpec {
  const spec: PortSpec = { payload: p.type, shape: p.shape, description };
  if (p instanceof SpikeArray) {
    spec.inhibitory = p.inhibitory;
    if (p.async) spec.async = true;
  } else if (p instanceof BooleanMask) {
    spec.mask = p.data;
  }
  return spec;
}

/** Writes plain numbers into a payload (spikes: non-zero = spike). Used for external inputs. */
export function writeValues(p: Payload, values: ArrayLike<number>): void {
  if (p instanceof SpikeArray) {
    p.clear();
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) p.add(i);
  } else {
    (p as ValuePayload | IntPayload | BooleanMask).data.set(values);
  }
}
