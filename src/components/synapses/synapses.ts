/**
 * Synapses base: turns spikes into currents through a weight kernel of shape `units + pre_shape`
 * (post-major). Inhibition is the sign of the presynaptic spike (−1 from inhibitory units).
 * Ports: `spikes` in, `currents` out (shape `units`), writable `kernel` property (plasticity target).
 *
 * Delivery costs the number of spikes times the fan-out: ordinary spikes walk a kernel column
 * per active presynaptic unit; per-synapse (async) spikes from N2N delays walk their active list.
 * Spark: spark/nn/components/synapses/base.py.
 */
import { initializer } from '../../core/config/config.ts';
import { field, moduleBaseFields } from '../../core/config/field.ts';
import { Module } from '../../core/module.ts';
import { CurrentArray, FloatArray, type Payload, type PortSpec, type SpikeArray } from '../../core/payload.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../../core/port.ts';
import { resolveParam } from '../../core/params.ts';
import { shapeSize } from '../../core/shape.ts';
import { PortError } from '../../core/errors.ts';
import { DelayedSpikes } from '../delays/delayed_spikes.ts';
import { TransposedKernel } from './transposed_kernel.ts';

export const synapseBaseFields = {
  ...moduleBaseFields,
  units: field.shape(undefined, 'Postsynaptic shape (set by the Neuron).'),
  kernel: field.array(
    () => initializer('sparse_uniform_initializer'),
    'Weights, shape units + presynaptic shape: an array or an initializer.',
    { unit: 'pA', init: true },
  ),
};

export const synapseInputs: Record<string, InputPortDecl> = {
  spikes: { payload: 'spike_array', description: 'Presynaptic spikes (or per-synapse spikes from N2N delays).' },
};
export const synapseOutputs: Record<string, OutputPortDecl> = {
  currents: { payload: 'current_array', description: 'Synaptic current into each postsynaptic unit (pA).' },
};
export const synapseProperties: Record<string, PropertyDecl> = {
  kernel: { payload: 'float_array', description: 'Weights, shape units + presynaptic shape.', writable: true },
};

export abstract class Synapses extends Module {
  static readonly category = 'synapse' as const;
  static readonly inputs = synapseInputs;
  static readonly outputs = synapseOutputs;
  static readonly properties = synapseProperties;

  nPost = 0;
  nPre = 0;
  /** Weights, flat `[post][pre]`. */
  kernel!: Float32Array;
  protected currents!: Float32Array;
  protected spikes!: SpikeArray;
  /**
   * Presynaptic-major sparse copy of a kernel that no rule changes (CSR: the targets of pre unit
   * i are post[start[i] .. start[i+1]) with weights w), so delivery costs spikes × actual fan-out.
   * State: 0 = to build on the next delivery, 1 = built, 2 = not used (plastic, async or dense).
   */
  private sparseState = 0;
  private csrStart!: Int32Array;
  private csrPost!: Int32Array;
  private csrW!: Float32Array;
  private plastic = false;
  /**
   * The kernel presynaptic-major, when the spikes come from N2N delays (event engine): used for
   * delivery if the kernel is static, or if the rule updating it works on it (`claimed`).
   */
  private tk: TransposedKernel | undefined;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const units = this.cfg<number[]>('units');
    const s = inputSpecs.spikes;
    this.nPost = shapeSize(units);
    if (s.async) {
      // Per-synapse spikes have shape units + pre_shape.
      const lead = s.shape.slice(0, units.length);
      if (lead.join() !== units.join()) {
        throw new PortError(`${this.label()}: per-synapse spikes of shape [${s.shape.join(', ')}] do not start with units [${units.join(', ')}].`);
      }
      this.nPre = shapeSize(s.shape.slice(units.length));
    } else {
      this.nPre = shapeSize(s.shape);
    }
    const preShape = s.async ? s.shape.slice(units.length) : s.shape;
    const kshape = [...units, ...preShape];
    const k = new FloatArray(kshape);
    // Initializers that normalise do so over the presynaptic axes, per postsynaptic unit.
    k.data.set(resolveParam(this, 'kernel', kshape, { norm_axes: units.map((_, i) => i) }));
    this.kernel = this.track('kernel', k.data);
    this.props.kernel = k;
    const out = new CurrentArray(units);
    this.currents = out.data;
    this.init();
    return { currents: out };
  }

  protected override connect(): void {
    this.spikes = this.in.spikes as SpikeArray;
    const layout = this.groupLayout();
    if (!layout) this.tk = undefined;
    else if (this.tk?.layout !== layout) {
      // One transposed kernel per delays output: a second reader keeps the post-major path.
      const free = !layout.transposed || layout.transposed.kernel === this.kernel;
      this.tk = free ? new TransposedKernel(layout, this.kernel) : undefined;
      if (free) layout.transposed = this.tk;
    }
  }

  /** The group layout of N2N delays' output, if delivery can work per spike group. */
  private groupLayout(): DelayedSpikes['layout'] {
    const s = this.spikes;
    return s instanceof DelayedSpikes && s.grouped && s.layout && s.layout.nPre === this.nPre && s.layout.nPost === this.nPost ? s.layout : undefined;
  }

  /** Delivery per spike group (N2N delays' output) reads no per-synapse mask or list. */
  override readsSpikeMask(port: string): boolean {
    return port !== 'spikes' || !this.groupLayout();
  }

  /** A rule updating the transposed copy (`claimed`) makes it the current one: write it back first. */
  override getProperty(name: string): Payload {
    if (name === 'kernel' && this.tk?.claimed) this.tk.scatter();
    return super.getProperty(name);
  }

  override stateArrays(): ReturnType<Module['stateArrays']> {
    if (this.tk?.claimed) this.tk.scatter();
    return super.stateArrays();
  }

  /** Extra state (traces). */
  protected init(): void {}

  /** A controller wires an effect into `prop`: the kernel changes every step, so no sparse copy. */
  override markEffectTarget(prop: string): void {
    if (prop === 'kernel') {
      this.plastic = true;
      this.sparseState = 2;
    }
  }

  override setProperty(name: string, value: Payload): void {
    super.setProperty(name, value);
    if (name === 'kernel') this.kernelChanged();
  }

  override restoreState(name: string, data: ArrayLike<number>): void {
    super.restoreState(name, data);
    if (name === 'kernel') this.kernelChanged();
  }

  /**
   * Rebuilds the sparse and transposed copies after writing `kernel` directly (setProperty and
   * checkpoint restore do it themselves).
   */
  kernelChanged(): void {
    if (!this.plastic) this.sparseState = 0;
    this.tk?.gather();
  }

  /**
   * The presynaptic-major kernel that per-group delivery reads (static kernel, or a rule updating
   * kt in place), or undefined: then delivery reads the post-major kernel.
   */
  private readableKt(): TransposedKernel | undefined {
    const tk = this.tk;
    return tk && (tk.claimed || !this.plastic) ? tk : undefined;
  }

  /**
   * The presynaptic-major kernel when this step's spikes come per group and it lives in the delays'
   * WebAssembly arena, so that a subclass can run its whole step there as one kernel call.
   */
  protected arenaKernel(): TransposedKernel | undefined {
    const tk = this.groupLayout() ? this.readableKt() : undefined;
    return tk?.inArena ? tk : undefined;
  }

  /** Builds the CSR copy if the kernel is static and at most half full (allocates; once). */
  private buildSparse(): void {
    this.sparseState = 2;
    if (this.plastic || this.spikes.async) return;
    const { kernel, nPre, nPost } = this;
    let nnz = 0;
    for (let k = 0; k < kernel.length; k++) if (kernel[k] !== 0) nnz++;
    if (nnz > kernel.length / 2) return;
    this.csrStart = new Int32Array(nPre + 1);
    this.csrPost = new Int32Array(nnz);
    this.csrW = new Float32Array(nnz);
    let p = 0;
    for (let i = 0; i < nPre; i++) {
      this.csrStart[i] = p;
      for (let o = 0, k = i; o < nPost; o++, k += nPre) {
        if (kernel[k] !== 0) {
          this.csrPost[p] = o;
          this.csrW[p++] = kernel[k];
        }
      }
    }
    this.csrStart[nPre] = p;
    this.sparseState = 1;
  }

  /** Adds K·v of this step's spikes into `drive` (length nPost). */
  protected deliver(drive: Float32Array | Float64Array): void {
    const { kernel, nPre, spikes } = this;
    if (this.groupLayout()) {
      const tk = this.readableKt();
      if (tk) deliverGroupsTransposed(spikes as DelayedSpikes, tk.kt, drive);
      else deliverGroups(spikes as DelayedSpikes, kernel, drive);
      return;
    }
    const idx = spikes.indices;
    const inh = spikes.inhibitory;
    const count = spikes.count;
    if (spikes.async) {
      for (let c = 0; c < count; c++) {
        const k = idx[c];
        const w = kernel[k];
        drive[(k / nPre) | 0] += inh[k] ? -w : w;
      }
    } else {
      if (this.sparseState === 0) this.buildSparse();
      if (this.sparseState === 1) {
        const { csrStart, csrPost, csrW } = this;
        for (let c = 0; c < count; c++) {
          const i = idx[c];
          const e = csrStart[i + 1];
          if (inh[i]) for (let p = csrStart[i]; p < e; p++) drive[csrPost[p]] -= csrW[p];
          else for (let p = csrStart[i]; p < e; p++) drive[csrPost[p]] += csrW[p];
        }
        return;
      }
      const nPost = this.nPost;
      for (let c = 0; c < count; c++) {
        const i = idx[c];
        const sign = inh[i] ? -1 : 1;
        for (let o = 0, k = i; o < nPost; o++, k += nPre) drive[o] += sign * kernel[k];
      }
    }
  }
}

/**
 * Delivery from N2N delays by spike group: every synapse of group (i, a) carries the sign of pre
 * unit i, and its post unit is stored beside it, so the loop reads no per-synapse flags.
 */
function deliverGroups(spikes: DelayedSpikes, kernel: Float32Array, drive: Float32Array | Float64Array): void {
  const { L, groupStart, groupSyn, groupPost, active, preInhibitory } = spikes.layout!;
  for (let c = 0; c < spikes.activeCount; c++) {
    const g = active[c];
    const e = groupStart[g + 1];
    if (preInhibitory[(g / L) | 0]) {
      for (let s = groupStart[g]; s < e; s++) drive[groupPost[s]] -= kernel[groupSyn[s]];
    } else {
      for (let s = groupStart[g]; s < e; s++) drive[groupPost[s]] += kernel[groupSyn[s]];
    }
  }
}

/** The same from a presynaptic-major kernel: group (i, a) reads row i at its post units. */
function deliverGroupsTransposed(spikes: DelayedSpikes, kt: Float32Array, drive: Float32Array | Float64Array): void {
  const { L, nPost, groupStart, groupPost, active, preInhibitory } = spikes.layout!;
  for (let c = 0; c < spikes.activeCount; c++) {
    const g = active[c];
    const i = (g / L) | 0;
    const row = i * nPost;
    const e = groupStart[g + 1];
    if (preInhibitory[i]) {
      for (let s = groupStart[g]; s < e; s++) drive[groupPost[s]] -= kt[row + groupPost[s]];
    } else {
      for (let s = groupStart[g]; s < e; s++) drive[groupPost[s]] += kt[row + groupPost[s]];
    }
  }
}
