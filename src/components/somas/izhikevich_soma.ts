/**
 * IzhikevichSoma: Izhikevich 2003 ("Simple model of spiking neurons", IEEE TNN 14:1569, eq. 1–3):
 *   v' = 0.04v² + 5v + 140 − u + R·I,   u' = a(bv − u),   v ≥ 30 mV → v ← c, u ← u + d
 * with v in absolute mV inside the update and stored rest-relative like every soma. Spark's
 * IzhikevichSoma spikes on every step (rest-relative sign error); this follows the paper while
 * keeping Spark's field names (a = recovery_timescale, b = recovery_sensitivity, c =
 * potential_reset, d = recovery_update). See docs/compat.md.
 * Spark: spark/nn/components/somas/izhikevich.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { Soma } from './soma.ts';

export class IzhikevichSoma extends Soma {
  static readonly type: string = 'izhikevich_soma';
  static readonly schema: ConfigSchema = {
    type: 'izhikevich_soma_config',
    classRef: 'izhikevich_soma',
    fields: {
      ...moduleBaseFields,
      potential_rest: field.float(-65.0, 'Initial potential; the stored potential is relative to it.', {
        unit: 'mV',
        symbol: 'V_rest',
        init: true,
      }),
      potential_reset: field.float(-65.0, 'Potential after a spike (Izhikevich c).', { unit: 'mV', symbol: 'c', init: true }),
      resistance: field.float(0.1, "Input gain: R·I enters v' in mV/ms for I in pA (R = 1: I in the paper's units).", {
        unit: 'GΩ',
        symbol: 'R',
        init: true,
      }),
      threshold: field.float(30.0, 'Spike cut-off (spike when v ≥ threshold).', { unit: 'mV', symbol: 'v_peak', init: true }),
      recovery_timescale: field.float(0.02, 'Time scale of the recovery variable (Izhikevich a).', { unit: '1/ms', symbol: 'a', init: true }),
      recovery_sensitivity: field.float(0.2, 'Sensitivity of u to subthreshold v (Izhikevich b).', { symbol: 'b', init: true }),
      recovery_update: field.float(2, 'Increment of u per spike (Izhikevich d).', { unit: 'mV/ms', symbol: 'd', init: true }),
      potential_substeps: field.int(1, 'Euler sub-steps of v per dt (u once per dt, with the new v); the 2003 code uses 2 half-steps of 0.5 ms.', {
        validators: ['positive'],
      }),
    },
  };
  static readonly summary: string = 'Izhikevich 2003 simple model (quadratic v, linear recovery u).';
  static readonly reference: string = 'Izhikevich 2003, Simple model of spiking neurons, IEEE Trans Neural Netw 14:1569';
  static readonly equations: string = `v = V + V_rest (absolute mV), u in mV/ms; starts at v = V_rest, u = b·V_rest (the paper's init).
repeat n = potential_substeps times:  v ← v + (dt/n)·(0.04·v² + 5·v + 140 − u + R·I)
u ← u + dt·a·(b·v − u)              (with the updated v, as in the 2003 code)
s = v ≥ v_peak;  if s: v ← c, u ← u + d`;

  /** Recovery variable u (mV/ms). */
  recovery!: Float32Array;
  protected rest!: Float32Array;
  protected reset_!: Float32Array;
  protected gain!: Float32Array;
  protected peak!: Float32Array;
  protected a!: Float32Array;
  protected b!: Float32Array;
  protected d!: Float32Array;
  protected substeps = 1;

  protected init(): void {
    this.rest = this.param('potential_rest');
    this.reset_ = this.param('potential_reset');
    this.gain = this.param('resistance');
    this.peak = this.param('threshold');
    this.a = this.param('recovery_timescale');
    this.b = this.param('recovery_sensitivity');
    this.d = this.param('recovery_update');
    this.substeps = this.cfg<number>('potential_substeps');
    this.recovery = this.track('recovery', new Float32Array(this.n));
  }

  protected update(): void {
    const { v, current, rest, gain, peak, a, b, d, recovery, spikes, substeps } = this;
    const h = this.dt / substeps;
    const dt = this.dt;
    const c = this.reset_;
    for (let i = 0; i < this.n; i++) {
      let x = v[i] + rest[i];
      let u = recovery[i];
      const drive = 140 - u + gain[i] * current[i];
      for (let k = 0; k < substeps; k++) x += h * (0.04 * x * x + 5 * x + drive);
      u += dt * a[i] * (b[i] * x - u);
      if (x >= peak[i]) {
        spikes.add(i);
        x = c[i];
        u += d[i];
      }
      v[i] = x - rest[i];
      recovery[i] = u;
    }
  }

  override reset(): void {
    super.reset();
    for (let i = 0; i < this.n; i++) this.recovery[i] = this.b[i] * this.rest[i];
  }
}
