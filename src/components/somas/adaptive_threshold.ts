/**
 * Spike-triggered threshold adaptation (Spark's threshold Tracer, spark/core/tracers.py), shared
 * by adaptive_leaky_soma and simplified_adaptive_exponential_soma:
 *   θ ← θ₀ + exp(−dt/τ_θ)·(θ − θ₀) + Δθ·s        (after the spike test of the step)
 * with θ₀ the rest-relative base threshold. Gerstner et al. 2014, Neuronal Dynamics, ch. 5.1.
 */
import { field } from '../../core/config/field.ts';
import { type ArrayAlloc, f32In, HEAP_ALLOC } from '../../wasm/arena.ts';

export const adaptiveThresholdFields = {
  threshold_tau: field.float(20.0, 'Decay time constant of the adaptive threshold.', {
    unit: 'ms',
    symbol: 'τ_θ',
    init: true,
    validators: ['positive'],
  }),
  threshold_delta: field.float(100.0, 'Threshold increment per spike.', { unit: 'mV', symbol: 'Δθ', init: true }),
};

export class AdaptiveThreshold {
  /** Current threshold, rest-relative (mV). */
  readonly theta: Float32Array;
  readonly base: Float32Array;
  readonly decay: Float32Array;
  readonly delta: Float32Array;

  constructor(base: Float32Array, tau: Float32Array, delta: Float32Array, dt: number, alloc: ArrayAlloc = HEAP_ALLOC) {
    this.base = f32In(alloc, base);
    this.decay = f32In(alloc, tau.map((t) => Math.exp(-dt / t)));
    this.delta = f32In(alloc, delta);
    this.theta = alloc.f32(base.length);
  }

  reset(): void {
    this.theta.set(this.base);
  }

  /** Decays unit i towards the base and adds the increment if it spiked. */
  advance(i: number, spiked: boolean): void {
    const b = this.base[i];
    this.theta[i] = b + this.decay[i] * (this.theta[i] - b) + (spiked ? this.delta[i] : 0);
  }
}
