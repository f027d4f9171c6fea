/**
 * Base of the traced synapses: the current is a weighted sum of exponential traces of the
 * delivered weights K⊙v (Spark: spark/nn/components/synapses/traced.py, spark/core/tracers.py).
 * Each trace component c keeps, per synapse,
 *   z_c[o,i] ← base_c + e^{−dt/τ_c}·(z_c[o,i] − base_c) + scale_c·K[o,i]·v[o,i]
 * and the current is I[o] = Σ_c coef_c · Σ_i z_c[o,i].
 *
 * Summed form (default): when τ_c, scale_c and coef_c are the same for every presynaptic input of
 * a post unit (scalars, the usual case), S_c[o] = Σ_i z_c[o,i] obeys the same linear recursion
 *   S_c[o] ← B_c[o] + e^{−dt/τ_c}·(S_c[o] − B_c[o]) + scale_c·(K·v)[o],  B_c[o] = Σ_i base_c[o,i],
 * so one trace per post unit is exact and a step costs the delivered spikes plus O(units).
 * Per-synapse form: otherwise (e.g. τ drawn per synapse), or when `perSynapse` is set before
 * build or the module is built with `engine: 'dense'` — the straightforward dense reference,
 * O(kernel) per step.
 */
import { resolveParam } from '../../core/params.ts';
import { Synapses } from './synapses.ts';
import type { TransposedKernel } from './transposed_kernel.ts';
import type { DelayedSpikes } from '../delays/delayed_spikes.ts';
import { byteOffsets, f32In, type WasmArena } from '../../wasm/arena.ts';

/** One exponential trace component, each array kernel-shaped (flat [post][pre]). */
export interface TraceComponent {
  tau: Float32Array;
  scale: Float32Array;
  base: Float32Array;
  coef: Float32Array;
}

export abstract class TracedSynapsesBase extends Synapses {
  /** Force the dense per-synapse form (set before build; used as the reference in tests). */
  perSynapse = false;
  /** The form chosen at build. */
  mode: 'summed' | 'per_synapse' = 'summed';
  private nComp = 0;
  /** Per component × post (summed) or component × synapse (per-synapse). */
  private decay!: Float32Array;
  private scale!: Float32Array;
  private base!: Float32Array;
  private coef!: Float32Array;
  /** Trace state: S_c[o] (summed) or z_c[o,i] (per-synapse). */
  private z!: Float32Array;
  /** K·v of this step, per post unit (summed form), accumulated in double. */
  private drive!: Float64Array;
  /** Kernel path (see stepSummedKernel): the arena holding the traces, and the drive and currents there. */
  private kernelArena: WasmArena | undefined;
  private driveW!: Float64Array;
  private currentsW!: Float32Array;
  /** The kernel's array arguments as byte offsets (see byteOffsets), and the kernel they were taken for. */
  private ptrs!: Int32Array;
  private ptrsFor: TransposedKernel | undefined;

  /** The trace components, built from the config (kernel-shaped arrays). */
  protected abstract components(): TraceComponent[];

  /** A kernel-shaped parameter (scalar, array or initializer). */
  protected kernelParam(name: string): Float32Array {
    return resolveParam(this, name, [this.nPost, this.nPre]);
  }

  protected override init(): void {
    const comps = this.components();
    const { nPost, nPre } = this;
    this.nComp = comps.length;
    const uniform = !this.perSynapse && this.engine !== 'dense' && comps.every((c) => rowUniform(c.tau, nPost, nPre) && rowUniform(c.scale, nPost, nPre) && rowUniform(c.coef, nPost, nPre));
    this.mode = uniform ? 'summed' : 'per_synapse';
    const m = uniform ? nPost : nPost * nPre;
    const C = comps.length;
    this.decay = new Float32Array(C * m);
    this.scale = new Float32Array(C * m);
    this.base = new Float32Array(C * m);
    this.coef = new Float32Array(C * m);
    comps.forEach((c, ci) => {
      for (let o = 0; o < nPost; o++) {
        if (uniform) {
          const k = o * nPre;
          const j = ci * m + o;
          this.decay[j] = Math.exp(-this.dt / c.tau[k]);
          this.scale[j] = c.scale[k];
          this.coef[j] = c.coef[k];
          let b = 0;
          for (let i = 0; i < nPre; i++) b += c.base[k + i];
          this.base[j] = b;
        } else {
          for (let i = 0; i < nPre; i++) {
            const k = o * nPre + i;
            const j = ci * m + k;
            this.decay[j] = Math.exp(-this.dt / c.tau[k]);
            this.scale[j] = c.scale[k];
            this.coef[j] = c.coef[k];
            this.base[j] = c.base[k];
          }
        }
      }
    });
    this.z = this.track('trace', new Float32Array(C * m));
    this.drive = new Float64Array(nPost);
    this.kernelArena = undefined;
  }

  /** The per-synapse form reads the spike mask of every synapse. */
  override readsSpikeMask(port: string): boolean {
    return this.mode === 'per_synapse' || super.readsSpikeMask(port);
  }

  step(): void {
    if (this.mode === 'summed') this.stepSummed();
    else this.stepPerSynapse();
  }

  private stepSummed(): void {
    const tk = this.arenaKernel();
    if (tk) {
      this.stepSummedKernel(tk);
      return;
    }
    const { drive, z, decay, scale, base, coef, currents, nPost, nComp } = this;
    drive.fill(0);
    this.deliver(drive);
    currents.fill(0);
    for (let c = 0, j = 0; c < nComp; c++) {
      for (let o = 0; o < nPost; o++, j++) {
        const b = base[j];
        const v = b + decay[j] * (z[j] - b) + scale[j] * drive[o];
        z[j] = v;
        currents[o] += coef[j] * v;
      }
    }
  }

  /**
   * stepSummed as one call of the arena's `tracedSynapses` kernel (delivery, then the traces and
   * currents, with the same operations): the traces and parameters move into the arena of the
   * delays feeding this module, where the weights are, on first use.
   */
  private stepSummedKernel(tk: TransposedKernel): void {
    const layout = tk.layout;
    const arena = layout.arena!;
    if (this.kernelArena !== arena) {
      // The arena's copies are the parameters and the traces' state from now on.
      this.kernelArena = arena;
      this.driveW = arena.f64(this.nPost);
      this.currentsW = arena.f32(this.nPost);
      this.decay = f32In(arena, this.decay);
      this.scale = f32In(arena, this.scale);
      this.base = f32In(arena, this.base);
      this.coef = f32In(arena, this.coef);
      this.z = this.track('trace', f32In(arena, this.z));
      this.ptrsFor = undefined;
    }
    // A TransposedKernel keeps its layout and, once allocated, its kt.
    if (this.ptrsFor !== tk) {
      this.ptrsFor = tk;
      this.ptrs = byteOffsets([layout.active, layout.groupStart, layout.groupPost, layout.preInhibitory, tk.kt, this.driveW, this.z, this.decay, this.scale, this.base, this.coef, this.currentsW]);
    }
    const p = this.ptrs;
    arena.join();
    const spikes = this.spikes as DelayedSpikes;
    // A rule updating kt may have its arrival updates done in this delivery pass.
    const rule = tk.fusion ? tk.fusion.prepareArrivals() : 0;
    arena.kernels.tracedSynapses(spikes.activeCount, layout.L, layout.nPost, p[0], p[1], p[2], p[3], p[4], p[5], this.nComp, p[6], p[7], p[8], p[9], p[10], p[11], rule);
    this.currents.set(this.currentsW);
  }

  /** Spark's form: every synapse's trace, z ← base + e^{−dt/τ}(z − base) + scale·K·v, summed per post unit. */
  private stepPerSynapse(): void {
    const { z, decay, scale, base, coef, currents, nPost, nPre, nComp, kernel, spikes } = this;
    const m = nPost * nPre;
    const mask = spikes.mask;
    const inh = spikes.inhibitory;
    const perSyn = spikes.async;
    currents.fill(0);
    for (let c = 0; c < nComp; c++) {
      for (let o = 0, j = c * m, k = 0; o < nPost; o++) {
        let sum = 0;
        for (let i = 0; i < nPre; i++, j++, k++) {
          const e = perSyn ? k : i;
          const v = mask[e] ? (inh[e] ? -1 : 1) : 0;
          const b = base[j];
          const zj = b + decay[j] * (z[j] - b) + scale[j] * kernel[k] * v;
          z[j] = zj;
          sum += coef[j] * zj;
        }
        currents[o] += sum;
      }
    }
  }

  reset(): void {
    // Traces start at their base (Spark's Tracer.reset).
    this.z.set(this.base);
    this.currents.fill(0);
  }
}

/** True when every row of a [rows][cols] array holds a single value. */
function rowUniform(a: Float32Array, rows: number, cols: number): boolean {
  for (let o = 0; o < rows; o++) {
    const r = o * cols;
    const v = a[r];
    for (let i = 1; i < cols; i++) if (a[r + i] !== v) return false;
  }
  return true;
}
