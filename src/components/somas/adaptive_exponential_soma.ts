/**
 * AdaptiveExponentialSoma: adaptive exponential integrate-and-fire (AdEx; Brette & Gerstner 2005,
 * J Neurophysiol 94:3637), rest-relative:
 *   τ_m dV/dt = −V + Δ_T·exp((V − V_T)/Δ_T) − R·w + R·I,   τ_w dw/dt = a·V − w,
 *   V > θ → V ← V_reset, w ← w + b.
 * 'euler' is Spark's scheme (V first, then reset, then w from the post-reset V); 'rk2' is the
 * midpoint rule on (V, w) jointly, as Brian2's rk2, followed by the reset.
 * Spark: spark/nn/components/somas/exponential.py (AdaptiveExponentialSoma).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { exponentialFields, ExponentialSoma } from './exponential_soma.ts';

export class AdaptiveExponentialSoma extends ExponentialSoma {
  static override readonly type: string = 'adaptive_exponential_soma';
  static override readonly schema: ConfigSchema = {
    type: 'adaptive_exponential_soma_config',
    classRef: 'adaptive_exponential_soma',
    fields: {
      ...exponentialFields,
      adaptation_tau: field.float(100.0, 'Time constant of the adaptation current.', {
        unit: 'ms',
        symbol: 'τ_w',
        init: true,
        validators: ['positive'],
      }),
      adaptation_delta: field.float(7.0, 'Adaptation current increment per spike.', { unit: 'pA', symbol: 'b', init: true }),
      adaptation_subthreshold: field.float(0.5, 'Subthreshold adaptation conductance.', { unit: 'nS', symbol: 'a', init: true }),
    },
  };
  static override readonly summary: string = 'Adaptive exponential integrate-and-fire soma (AdEx).';
  static override readonly reference: string =
    'Brette & Gerstner 2005, J Neurophysiol 94:3637; Gerstner et al. 2014, ch. 6.1; Spark somas/exponential.py';
  static override readonly equations: string = `All potentials relative to rest; w (pA) starts at 0; I constant over the step.
f(V, w) = (−V + Δ_T·exp((V − V_T)/Δ_T) − R·w + R·I) / τ_m
g(V, w) = (a·V − w) / τ_w
euler (Spark's order): V ← V + dt·f(V, w);  s = V > θ;  if s: V ← V_reset
                       w ← w + dt·g(V, w) + b·s          (V after the reset)
rk2 (midpoint): (V', w') = (V, w) + (dt/2)·(f, g)(V, w);  (V, w) ← (V, w) + dt·(f, g)(V', w')
                s = V > θ;  if s: V ← V_reset, w ← w + b`;

  /** Adaptation current w (pA). */
  adaptation!: Float32Array;
  protected invTauW!: Float32Array;
  protected jump!: Float32Array;
  protected conductance!: Float32Array;

  protected override init(): void {
    super.init();
    this.invTauW = this.param('adaptation_tau').map((t) => 1 / t);
    this.jump = this.param('adaptation_delta');
    this.conductance = this.param('adaptation_subthreshold');
    this.adaptation = this.track('adaptation', new Float32Array(this.n));
  }

  protected override update(): void {
    const { v, current, resistance, thresholdRel, resetRel, spikes, adaptation, invTauW, jump, conductance, rk2 } = this;
    const h = this.dt;
    for (let i = 0; i < this.n; i++) {
      const r = resistance[i];
      const drive = r * current[i];
      let x = v[i];
      let w = adaptation[i];
      if (rk2) {
        const xm = x + 0.5 * h * this.dv(i, x, drive - r * w);
        const wm = w + 0.5 * h * (conductance[i] * x - w) * invTauW[i];
        x += h * this.dv(i, xm, drive - r * wm);
        w += h * (conductance[i] * xm - wm) * invTauW[i];
        if (x > thresholdRel[i]) {
          spikes.add(i);
          x = resetRel[i];
          w += jump[i];
        }
      } else {
        x += h * this.dv(i, x, drive - r * w);
        const s = x > thresholdRel[i];
        if (s) {
          spikes.add(i);
          x = resetRel[i];
        }
        w += h * (conductance[i] * x - w) * invTauW[i] + (s ? jump[i] : 0);
      }
      v[i] = x;
      adaptation[i] = w;
    }
  }

  override reset(): void {
    super.reset();
    this.adaptation.fill(0);
  }
}
