/**
 * RefractoryLeakySoma: LIF whose input is ignored for a cooldown after each spike (the leak goes on).
 * Spark: spark/nn/components/somas/leaky.py (RefractoryLeakySoma).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { LeakySoma, leakyFields } from './leaky_soma.ts';
import { cooldownField, RefractoryCounter } from './refractory.ts';

export const refractoryLeakyFields = { ...leakyFields, cooldown: cooldownField };

export class RefractoryLeakySoma extends LeakySoma {
  static override readonly type: string = 'refractory_leaky_soma';
  static override readonly schema: ConfigSchema = {
    type: 'refractory_leaky_soma_config',
    classRef: 'refractory_leaky_soma',
    fields: refractoryLeakyFields,
  };
  static override readonly summary: string = 'LIF soma that ignores its input for a cooldown after each spike.';
  static override readonly reference: string = 'Gerstner et al. 2014, Neuronal Dynamics, ch. 1.3; Spark somas/leaky.py';
  static override readonly equations: string = `All potentials relative to rest; c counts steps since the last spike.
ready = c > n_ref,  n_ref = round(cooldown / dt)
V ← e^(−dt/τ_m)·V + ready·(1 − e^(−dt/τ_m))·R·I
s = (V > θ − V_rest) ∧ ready;  if s: V ← V_reset − V_rest
c ← s ? 0 : c + 1        (input ignored for n_ref + 1 steps after a spike)`;

  protected refractory!: RefractoryCounter;

  protected override init(): void {
    super.init();
    this.refractory = new RefractoryCounter(this.param('cooldown'), this.dt, this.compat === 'spark', this.alloc);
    this.track('refractory', this.refractory.counter);
  }

  protected override update(): void {
    const { v, current, decay, gainR, thresholdRel, resetRel, spikes, refractory } = this;
    for (let i = 0; i < this.n; i++) {
      const ready = refractory.ready(i);
      let x = decay[i] * v[i] + (ready ? gainR[i] * current[i] : 0);
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
