/**
 * RefractoryExponentialSoma: EIF whose input is ignored for a cooldown after each spike (the leak
 * and the exponential term go on) and which cannot spike meanwhile.
 * Spark: spark/nn/components/somas/exponential.py (RefractoryExponentialSoma).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { exponentialFields, ExponentialSoma } from './exponential_soma.ts';
import { cooldownField, RefractoryCounter } from './refractory.ts';

export const refractoryExponentialFields = { ...exponentialFields, cooldown: cooldownField };

export class RefractoryExponentialSoma extends ExponentialSoma {
  static override readonly type: string = 'refractory_exponential_soma';
  static override readonly schema: ConfigSchema = {
    type: 'refractory_exponential_soma_config',
    classRef: 'refractory_exponential_soma',
    fields: refractoryExponentialFields,
  };
  static override readonly summary: string = 'EIF soma that ignores its input for a cooldown after each spike.';
  static override readonly equations: string = `All potentials relative to rest; c counts steps since the last spike.
ready = c > n_ref,  n_ref = round(cooldown / dt)
f(V) = (−V + Δ_T·exp((V − V_T)/Δ_T) + ready·R·I) / τ_m
euler: V ← V + dt·f(V);   rk2: V ← V + dt·f(V + (dt/2)·f(V))
s = (V > θ) ∧ ready;  if s: V ← V_reset
c ← s ? 0 : c + 1`;

  protected refractory!: RefractoryCounter;

  protected override init(): void {
    super.init();
    this.refractory = new RefractoryCounter(this.param('cooldown'), this.dt, this.compat === 'spark');
    this.track('refractory', this.refractory.counter);
  }

  protected override update(): void {
    const { v, current, resistance, thresholdRel, resetRel, spikes, refractory } = this;
    for (let i = 0; i < this.n; i++) {
      const ready = refractory.ready(i);
      let x = this.integrate(i, v[i], ready ? resistance[i] * current[i] : 0);
      const s = ready && x > thresholdRel[i];
      if (s) {
        spikes.add(i);
        x = resetRel[i];
      }
      v[i] = x;
      refractory.advance(i, s);
    }
  }

  override reset(): void {
    super.reset();
    this.refractory.reset();
  }
}
