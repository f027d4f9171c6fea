/**
 * AdaptiveLeakySoma: refractory LIF with a spike-triggered adaptive threshold. Spark uses it as
 * its "ALIF" (its own TODO says it is LIF + threshold adaptation); see alif_soma for Bellec's ALIF.
 * Spark: spark/nn/components/somas/leaky.py (AdaptiveLeakySoma).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { AdaptiveThreshold, adaptiveThresholdFields } from './adaptive_threshold.ts';
import { refractoryLeakyFields, RefractoryLeakySoma } from './refractory_leaky_soma.ts';
import { byteOffsets, type WasmArena } from '../../wasm/arena.ts';

export class AdaptiveLeakySoma extends RefractoryLeakySoma {
  static override readonly type: string = 'adaptive_leaky_soma';
  static override readonly schema: ConfigSchema = {
    type: 'adaptive_leaky_soma_config',
    classRef: 'adaptive_leaky_soma',
    fields: { ...refractoryLeakyFields, ...adaptiveThresholdFields },
  };
  static override readonly summary: string = 'Refractory LIF soma with a spike-triggered adaptive threshold.';
  static override readonly reference: string =
    'Gerstner et al. 2014, Neuronal Dynamics, ch. 5.1; Spark somas/leaky.py (AdaptiveLeakySoma)';
  static override readonly equations: string = `All potentials relative to rest; θ starts at θ₀ = threshold − V_rest.
ready = c > n_ref,  n_ref = round(cooldown / dt)
V ← e^(−dt/τ_m)·V + ready·(1 − e^(−dt/τ_m))·R·I
s = (V > θ) ∧ ready;  if s: V ← V_reset − V_rest
c ← s ? 0 : c + 1
θ ← θ₀ + e^(−dt/τ_θ)·(θ − θ₀) + Δθ·s`;

  protected adaptive!: AdaptiveThreshold;
  /** Kernel path: the input current's copy in the arena, and the kernel's spike list. */
  private currentW!: Float32Array;
  private spikesW!: Int32Array;
  /** The kernel's pointer arguments (kernelPtrs), cleared when init allocates new arrays. */
  private ptrs: Int32Array | undefined;

  /** The update also runs as a WebAssembly kernel (engine 'event'): arrays in the brain's arena. */
  protected override hasKernel(): boolean {
    return true;
  }

  protected override init(): void {
    super.init();
    this.adaptive = new AdaptiveThreshold(this.thresholdRel, this.param('threshold_tau'), this.param('threshold_delta'), this.dt, this.alloc);
    this.track('threshold', this.adaptive.theta);
    this.ptrs = undefined;
    if (this.kernels) {
      this.currentW = this.kernels.f32(this.n);
      this.spikesW = this.kernels.i32(this.n);
    }
  }

  protected override update(): void {
    if (this.kernels) {
      this.updateKernel(this.kernels);
      return;
    }
    const { v, current, decay, gainR, resetRel, spikes, refractory, adaptive } = this;
    const theta = adaptive.theta;
    for (let i = 0; i < this.n; i++) {
      const ready = refractory.ready(i);
      let x = decay[i] * v[i] + (ready ? gainR[i] * current[i] : 0);
      const s = ready && x > theta[i];
      if (s) {
        spikes.add(i);
        x = resetRel[i];
      }
      v[i] = x;
      refractory.advance(i, s);
      adaptive.advance(i, s);
    }
  }

  /**
   * The same update as the loop above, as the arena's `adaptiveLeakySoma` kernel (same operations,
   * same bits): V8 checks and reloads every typed array it indexes, and this loop reads eleven.
   */
  private updateKernel(arena: WasmArena): void {
    const { currentW, spikesW, spikes } = this;
    currentW.set(this.current);
    const p = this.kernelPtrs();
    const ns = arena.kernels.adaptiveLeakySoma(this.n, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]);
    for (let k = 0; k < ns; k++) spikes.add(spikesW[k]);
  }

  /** The kernel's array arguments as byte offsets (see byteOffsets), taken on first use. */
  private kernelPtrs(): Int32Array {
    if (!this.ptrs) {
      const { v, currentW, decay, gainR, resetRel, refractory, adaptive, spikesW } = this;
      this.ptrs = byteOffsets([v, currentW, decay, gainR, resetRel, refractory.counter, refractory.steps, adaptive.theta, adaptive.base, adaptive.decay, adaptive.delta, spikesW]);
    }
    return this.ptrs;
  }

  override reset(): void {
    super.reset();
    this.adaptive.reset();
  }
}
