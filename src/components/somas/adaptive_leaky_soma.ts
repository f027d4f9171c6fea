/**
 * AdaptiveLeakySoma: refractory LIF with a spike-triggered adaptive threshold. Spark uses it as
 * its "ALIF" (its own TODO says it is LIF + threshold adaptation); see alif_soma for Bellec's ALIF.
 * Spark: spark/nn/components/somas/leaky.py (AdaptiveLeakySoma).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { AdaptiveThreshold, adaptiveThresholdFields } from './adaptive_threshold.ts';
import { refractoryLeakyFields, RefractoryLeakySoma } from './refractory_leaky_soma.ts';

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

  protected override init(): void {
    super.init();
    this.adaptive = new AdaptiveThreshold(this.thresholdRel, this.param('threshold_tau'), this.param('threshold_delta'), this.dt);
    this.track('threshold', this.adaptive.theta);
  }

  protected override update(): void {
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

  override reset(): void {
    super.reset();
    this.adaptive.reset();
  }
}
