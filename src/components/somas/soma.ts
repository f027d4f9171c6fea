/**
 * Soma base: integrates a current into a membrane potential and emits spikes.
 * Ports: `current` (pA) in, optional `inhibition_mask` in, `spikes` out, `potential` property.
 * The potential is stored relative to `potential_rest` (rest = 0), as in Spark, and exposed the
 * same way. Subclasses implement `update()` (state + spikes) on typed arrays.
 *
 * Spark: spark/nn/components/somas/base.py.
 */
import { Module } from '../../core/module.ts';
import { type BooleanMask, type Payload, PotentialArray, type PortSpec, SpikeArray } from '../../core/payload.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../../core/port.ts';
import { resolveParam } from '../../core/params.ts';
import { shapeSize } from '../../core/shape.ts';
import { type ArrayAlloc, HEAP_ALLOC, type WasmArena } from '../../wasm/arena.ts';

export const somaInputs: Record<string, InputPortDecl> = {
  current: { payload: 'current_array', description: 'Input current (pA); its shape sets the units.' },
  inhibition_mask: {
    payload: 'boolean_mask',
    description: 'Marks inhibitory units; their spikes count −1.',
    optional: true,
  },
};
export const somaOutputs: Record<string, OutputPortDecl> = {
  spikes: { payload: 'spike_array', description: 'Spikes of this step.' },
};
export const somaProperties: Record<string, PropertyDecl> = {
  potential: { payload: 'potential_array', description: 'Membrane potential relative to rest (mV).' },
};

export abstract class Soma extends Module {
  static readonly category = 'soma' as const;
  static readonly inputs = somaInputs;
  static readonly outputs = somaOutputs;
  static readonly properties = somaProperties;

  /** Number of units. */
  n = 0;
  /** Membrane potential relative to rest (mV). */
  v!: Float32Array;
  spikes!: SpikeArray;
  protected current!: Float32Array;
  /**
   * The arena holding the arrays of a soma with a WebAssembly update (`hasKernel`), under the
   * 'event' engine where shared WebAssembly memory exists; else undefined (the TypeScript loop).
   */
  protected kernels: WasmArena | undefined;
  /** Where per-unit arrays the kernel reads are allocated (the arena, or the heap). */
  protected alloc: ArrayAlloc = HEAP_ALLOC;
  /** Resolved parameters of the current build, so a random initializer is drawn once per field. */
  private params = new Map<string, Float32Array>();

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const shape = inputSpecs.current.shape;
    this.n = shapeSize(shape);
    this.params.clear();
    this.kernels = this.hasKernel() && this.engine === 'event' ? this.arena.get() : undefined;
    this.alloc = this.kernels ?? HEAP_ALLOC;
    const potential = new PotentialArray(shape, this.alloc.f32(this.n));
    this.v = this.track('potential', potential.data);
    this.props.potential = potential;
    this.spikes = new SpikeArray(shape, inputSpecs.inhibition_mask?.mask);
    this.init(shape);
    return { spikes: this.spikes };
  }

  protected override connect(): void {
    this.current = (this.in.current as PotentialArray).data;
    const mask = this.in.inhibition_mask as BooleanMask | undefined;
    if (mask) this.spikes.inhibitory.set(mask.data);
  }

  /**
   * A per-unit parameter (scalar, array or initializer), resolved once per build: repeated calls
   * return the same array, which callers must not modify.
   */
  protected param(name: string): Float32Array {
    let p = this.params.get(name);
    if (!p) {
      p = resolveParam(this, name, [this.n]);
      this.params.set(name, p);
    }
    return p;
  }

  /**
   * Resting potential per unit (mV; zeros if the model has no `potential_rest`), to turn the stored
   * rest-relative potential into an absolute one. Valid after build; read-only.
   */
  restPotential(): Float32Array {
    return 'potential_rest' in this.cls.schema.fields ? this.param('potential_rest') : new Float32Array(this.n);
  }

  /** True if this soma's update runs as its WebAssembly kernel. */
  get usesKernel(): boolean {
    return this.kernels !== undefined;
  }

  /** True for somas whose update also exists as a WebAssembly kernel (its arrays then go in the arena). */
  protected hasKernel(): boolean {
    return false;
  }

  /** Allocates parameters and extra state. */
  protected abstract init(shape: readonly number[]): void;

  /** Integrates `current`, then writes spikes (after `spikes.clear()`). */
  protected abstract update(): void;

  step(): void {
    this.spikes.clear();
    this.update();
  }

  reset(): void {
    this.v.fill(0);
    this.spikes.clear();
  }
}
