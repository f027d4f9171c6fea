/**
 * StrictRefractoryLeakySoma: LIF clamped at the reset potential for a cooldown after each spike
 * (Spark calls it didactic; with cooldown = t_ref − dt it matches Brian2's `(unless refractory)` LIF).
 * Spark: spark/nn/components/somas/leaky.py (StrictRefractoryLeakySoma).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { refractoryLeakyFields, RefractoryLeakySoma } from './refractory_leaky_soma.ts';

export class StrictRefractoryLeakySoma extends RefractoryLeakySoma {
  static override readonly type: string = 'strict_refractory_leaky_soma';
  static override readonly schema: ConfigSchema = {
    type: 'strict_refractory_leaky_soma_config',
    classRef: 'strict_refractory_leaky_soma',
    fields: { ...refractoryLeakyFields },
  };
  static override readonly summary: string = 'LIF soma clamped at the reset potential during its refractory period.';
  static override readonly equations: string = `All potentials relative to rest; c counts steps since the last spike.
ready = c ≥ n_ref,  n_ref = round(cooldown / dt)
V ← ready ? e^(−dt/τ_m)·V + (1 − e^(−dt/τ_m))·R·I : V_reset − V_rest
s = (V > θ − V_rest) ∧ ready;  if s: V ← V_reset − V_rest
c ← s ? 0 : c + 1        (V clamped for n_ref steps after a spike)`;

  protected override update(): void {
    const { v, current, decay, gainR, thresholdRel, resetRel, spikes, refractory } = this;
    for (let i = 0; i < this.n; i++) {
      const ready = refractory.readyStrict(i);
      let x = ready ? decay[i] * v[i] + gainR[i] * current[i] : resetRel[i];
      const s = ready && x > thresholdRel[i];
      if (s) {
        spikes.add(i);
        x = resetRel[i];
      }
      v[i] = x;
      refractory.advance(i, s);
    }
  }
}
