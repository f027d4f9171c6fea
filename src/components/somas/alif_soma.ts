/**
 * ALIFSoma: the adaptive LIF of the LSNN (Bellec, Salaj, Subramoney, Legenstein & Maass 2018,
 * "Long short-term memory and learning-to-learn in networks of spiking neurons", NeurIPS, Methods):
 *   A(t) = θ₀ + β·a(t),   a ← ρ·a + (1 − ρ)·s,   ρ = exp(−dt/τ_a)
 * on a refractory LIF membrane, reset by subtracting the threshold as in the LSNN (or to
 * `potential_reset` with reset_mode 'value'). `a` is the spike train low-pass filtered with unit
 * DC gain, so a = rate·dt at steady state and one spike raises the threshold by β·(1 − ρ).
 * Not in Spark (its adaptive_leaky_soma is a short-τ threshold tracer); see docs/compat.md.
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { refractoryLeakyFields, RefractoryLeakySoma } from './refractory_leaky_soma.ts';

export class ALIFSoma extends RefractoryLeakySoma {
  static override readonly type: string = 'alif_soma';
  static override readonly schema: ConfigSchema = {
    type: 'alif_soma_config',
    classRef: 'alif_soma',
    fields: {
      ...refractoryLeakyFields,
      adaptation_tau: field.float(200.0, 'Time constant of the threshold adaptation variable a.', {
        unit: 'ms',
        symbol: 'τ_a',
        init: true,
        validators: ['positive'],
      }),
      adaptation_strength: field.float(200.0, 'Threshold gain of a; one spike raises the threshold by β·(1 − e^(−dt/τ_a)).', {
        unit: 'mV',
        symbol: 'β',
        init: true,
      }),
      reset_mode: field.string('subtract', "After a spike: 'subtract' the current threshold A (LSNN) or set V to potential_reset ('value').", {
        options: ['subtract', 'value'],
      }),
    },
  };
  static override readonly summary: string = 'Adaptive LIF (LSNN ALIF, Bellec et al. 2018): threshold raised by a slow spike trace.';
  static override readonly reference: string =
    'Bellec et al. 2018, Long short-term memory and learning-to-learn in networks of spiking neurons, NeurIPS (Methods)';
  static override readonly equations: string = `All potentials relative to rest; θ₀ = threshold − V_rest; a starts at 0.
ready = c > n_ref,  n_ref = round(cooldown / dt)
V ← e^(−dt/τ_m)·V + ready·(1 − e^(−dt/τ_m))·R·I
A = θ₀ + β·a
s = (V > A) ∧ ready;  if s: V ← V − A  (reset_mode 'subtract')  or  V ← V_reset − V_rest  ('value')
c ← s ? 0 : c + 1
a ← e^(−dt/τ_a)·a + (1 − e^(−dt/τ_a))·s`;

  /** Adaptation variable a (dimensionless, unit DC gain). */
  adaptation!: Float32Array;
  protected rho!: Float32Array;
  protected beta!: Float32Array;
  protected subtract = true;

  protected override init(): void {
    super.init();
    this.rho = this.param('adaptation_tau').map((t) => Math.exp(-this.dt / t));
    this.beta = this.param('adaptation_strength');
    this.subtract = this.cfg<string>('reset_mode') === 'subtract';
    this.adaptation = this.track('adaptation', new Float32Array(this.n));
  }

  protected override update(): void {
    const { v, current, decay, gainR, thresholdRel, resetRel, spikes, refractory, adaptation, rho, beta, subtract } = this;
    for (let i = 0; i < this.n; i++) {
      const ready = refractory.ready(i);
      let x = decay[i] * v[i] + (ready ? gainR[i] * current[i] : 0);
      const thr = thresholdRel[i] + beta[i] * adaptation[i];
      const s = ready && x > thr;
      if (s) {
        spikes.add(i);
        x = subtract ? x - thr : resetRel[i];
      }
      v[i] = x;
      refractory.advance(i, s);
      adaptation[i] = rho[i] * adaptation[i] + (s ? 1 - rho[i] : 0);
    }
  }

  override reset(): void {
    super.reset();
    this.adaptation.fill(0);
  }
}
