/**
 * Plasticity base: reads pre- and postsynaptic spikes and the current kernel, and outputs the new
 * kernel, which the controller writes back through an effect (`synapses.kernel ← rule.kernel`).
 * Rules use boolean spikes (the sign is ignored) and end with `K ← clip(K + dt·ΔK, 0, …)`.
 *
 * The new kernel is written in place when the controller aliases the rule's output to the
 * synapses' kernel (declared by `inPlace`), so a step costs only the entries that change.
 * Spark: spark/nn/components/plasticity/base.py.
 */
import { Module } from '../../core/module.ts';
import { FloatArray, type Payload, type PortSpec, type SpikeArray } from '../../core/payload.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../../core/port.ts';
import { shapeSize } from '../../core/shape.ts';
import { PortError } from '../../core/errors.ts';
import { resolveParam } from '../../core/params.ts';

const noUpperBound = (): number => Infinity;

export const plasticityInputs: Record<string, InputPortDecl> = {
  pre_spikes: { payload: 'spike_array', description: 'Presynaptic spikes (per-synapse when delayed by N2N delays).' },
  post_spikes: { payload: 'spike_array', description: 'Postsynaptic spikes.' },
  kernel: { payload: 'float_array', description: 'Current weights (the synapses’ kernel property).' },
};
export const plasticityOutputs: Record<string, OutputPortDecl> = {
  kernel: { payload: 'float_array', description: 'Updated weights.' },
};

export abstract class Plasticity extends Module {
  static readonly category = 'plasticity' as const;
  static readonly inputs: Record<string, InputPortDecl> = plasticityInputs;
  static readonly outputs: Record<string, OutputPortDecl> = plasticityOutputs;
  static readonly properties: Record<string, PropertyDecl> = {};
  /** The output kernel may share the input kernel's buffer (see Module.aliasInPlace). */
  static readonly inPlace = { kernel: 'kernel' };

  nPost = 0;
  nPre = 0;
  /** Presynaptic spikes are per synapse (shape post + pre). */
  asyncPre = false;
  protected pre!: SpikeArray;
  protected post!: SpikeArray;
  protected kIn!: Float32Array;
  protected kOut!: Float32Array;
  protected inPlace = false;
  /** Steps since reset (time base of lazy traces), in a 1-element array so checkpoints save it. */
  protected clock!: Int32Array;
  /**
   * Spark clips the whole kernel every step. Event-driven rules clip only the entries they
   * change, which is the same once every entry is in range: so the first step after a reset
   * (or `requestFullClip`) clips everything.
   */
  protected fullClipPending = true;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const pre = inputSpecs.pre_spikes;
    const post = inputSpecs.post_spikes;
    const k = inputSpecs.kernel;
    this.nPost = shapeSize(post.shape);
    this.asyncPre = Boolean(pre.async);
    this.nPre = this.asyncPre ? shapeSize(pre.shape) / this.nPost : shapeSize(pre.shape);
    if (!Number.isInteger(this.nPre) || shapeSize(k.shape) !== this.nPost * this.nPre) {
      throw new PortError(
        `${this.label()}: kernel of shape [${k.shape.join(', ')}] does not match ${this.nPost} postsynaptic × ${this.nPre} presynaptic units.`,
      );
    }
    this.clock = this.track('clock', new Int32Array(1));
    this.init(inputSpecs);
    return { kernel: new FloatArray(k.shape) };
  }

  protected override connect(): void {
    this.pre = this.in.pre_spikes as SpikeArray;
    this.post = this.in.post_spikes as SpikeArray;
    this.kIn = (this.in.kernel as FloatArray).data;
    this.kOut = (this.out.kernel as FloatArray).data;
    this.inPlace = this.kIn === this.kOut;
  }

  /** Allocates traces and parameters. */
  protected abstract init(inputSpecs: Record<string, PortSpec>): void;

  /** Copies the kernel to the output unless the output aliases it. */
  protected beginUpdate(): void {
    if (!this.inPlace) this.kOut.set(this.kIn);
  }

  /** Advances the clock and returns the current step (1 on the first step after reset). */
  protected tick(): number {
    return ++this.clock[0];
  }

  /** Makes the next step clip the whole kernel (call after writing the kernel from outside). */
  requestFullClip(): void {
    this.fullClipPending = true;
  }

  /**
   * After this step's additions: clips every weight to [0, hi(k)] if a full clip is pending
   * (see `fullClipPending`) and returns true; otherwise returns false and the rule clips the
   * entries it changed.
   */
  protected clipAllIfPending(hi: (k: number) => number = noUpperBound): boolean {
    if (!this.fullClipPending) return false;
    this.fullClipPending = false;
    const K = this.kOut;
    for (let k = 0; k < K.length; k++) {
      const h = hi(k);
      if (K[k] < 0) K[k] = 0;
      else if (K[k] > h) K[k] = h;
    }
    return true;
  }

  /**
   * Checks a third-factor input (reward / modulation): one value for all synapses or one per
   * postsynaptic unit (row). Returns the stride to read it with: m[o·stride].
   */
  protected factorStride(inputSpecs: Record<string, PortSpec>, port: string): number {
    const spec = inputSpecs[port];
    if (!spec) return 0;
    const n = shapeSize(spec.shape);
    if (n === 1) return 0;
    if (n === this.nPost) return 1;
    throw new PortError(
      `${this.label()}: input '${port}' has ${n} values; give 1 (all synapses) or ${this.nPost} (one per postsynaptic unit).`,
    );
  }

  /** Base reset: clock to 0 and a full clip on the next step. Rules extend it for their traces. */
  protected resetBase(): void {
    this.clock[0] = 0;
    this.fullClipPending = true;
  }

  /** Per-element decay factors exp(−dt/τ) of a time-constant field for `n` elements. */
  protected decayOf(fieldName: string, shape: readonly number[]): { decay: Float32Array; tau: Float32Array } {
    const tau = resolveParam(this, fieldName, shape);
    return { tau, decay: tau.map((t) => Math.exp(-this.dt / t)) };
  }
}

/** Decays a trace array in place and adds `scale[i]` where spikes are active (Spark's Tracer with base 0). */
export function decayTrace(trace: Float32Array, decay: Float32Array, scale: Float32Array, spikes: SpikeArray): void {
  for (let i = 0; i < trace.length; i++) trace[i] *= decay[i];
  const idx = spikes.indices;
  for (let c = 0; c < spikes.count; c++) {
    const i = idx[c];
    trace[i] += scale[i];
  }
}

/** max(0, ·) on the entries of active presynaptic spikes and the rows of active postsynaptic units. */
export function clipTouched(
  K: Float32Array,
  pre: { count: number; indices: Int32Array },
  post: { count: number; indices: Int32Array },
  asyncPre: boolean,
  nPre: number,
  nPost: number,
): void {
  for (let c = 0; c < pre.count; c++) {
    const j = pre.indices[c];
    if (asyncPre) {
      if (K[j] < 0) K[j] = 0;
    } else {
      for (let o = 0, k = j; o < nPost; o++, k += nPre) if (K[k] < 0) K[k] = 0;
    }
  }
  for (let c = 0; c < post.count; c++) {
    for (let k = post.indices[c] * nPre, e = k + nPre; k < e; k++) if (K[k] < 0) K[k] = 0;
  }
}
