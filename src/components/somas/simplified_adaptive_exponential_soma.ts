/**
 * SimplifiedAdaptiveExponentialSoma: refractory EIF with a spike-triggered adaptive threshold
 * instead of AdEx's adaptation current (no subthreshold adaptation).
 * Spark: spark/nn/components/somas/exponential.py (SimplifiedAdaptiveExponentialSoma).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { AdaptiveThreshold, adaptiveThresholdFields } from './adaptive_threshold.ts';
import { refractoryExponentialFields, RefractoryExponentialSoma } from './refractory_exponential_soma.ts';

export class SimplifiedAdaptiveExponentialSoma extends RefractoryExponentialSoma {
  static override readonly type: string = 'simplified_adaptive_exponential_soma';
  static override readonly schema: ConfigSchema = {
    type: 'simplified_adaptive_exponential_soma_config',
    classRef: 'simplified_adaptive_exponential_soma',
    fields: { ...refractoryExponentialFields, ...adaptiveThresholdFields },
  };
  static override readonly summary: string = 'Refractory EIF soma with a spike-triggered adaptive threshold.';
  static override readonly reference: string =
    'Brette & Gerstner 2005, J Neurophysiol 94:3637; Gerstner et al. 2014, ch. 5.2; Spark somas/exponential.py';
  static override readonly equations: string = `All potentials relative to rest; θ starts at θ₀ = threshold − V_rest.
ready = c > n_ref,  n_ref = round(cooldown / dt)
f(V) = (−V + Δ_T·exp((V − V_T)/Δ_T) + ready·R·I) / τ_m
euler: V ← V + dt·f(V);   rk2: V ← V + dt·f(V + (dt/2)·f(V))
s = (V > θ) ∧ ready;  if s: V ← V_reset
c ← s ? 0 : c + 1
θ ← θ₀ + e^(−dt/τ_θ)·(θ − θ₀) + Δθ·s`;

  protected adaptive!: AdaptiveThreshold;

  protected override init(): void {
    super.init();
    this.adaptive = new AdaptiveThreshold(this.thresholdRel, this.param('threshold_tau'), this.param('threshold_delta'), this.dt);
    this.track('threshold', this.adaptive.theta);
  }

  protected override update(): void {
    const { v, current, resistance, resetRel, spikes, refractory, adaptive } = this;
    const theta = adaptive.theta;
    for (let i = 0; i < this.n; i++) {
      const ready = refractory.ready(i);
      let x = this.integrate(i, v[i], ready ? resistance[i] * current[i] : 0);
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
