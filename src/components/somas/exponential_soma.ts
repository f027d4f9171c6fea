/**
 * ExponentialSoma: exponential integrate-and-fire (EIF; Fourcaud-Trocmé, Hansel, van Vreeswijk &
 * Brunel 2003, J Neurosci 23:11628; Gerstner et al. 2014, Neuronal Dynamics, ch. 5.2):
 *   τ_m dV/dt = −V + Δ_T·exp((V − V_T)/Δ_T) + R·I,   V > θ → V ← V_reset   (rest-relative)
 * integrated with forward Euler (Spark's scheme) or the midpoint rule (`method: 'rk2'`, as Brian2's
 * rk2), with I held constant over the step.
 * Spark: spark/nn/components/somas/exponential.py (ExponentialSoma).
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { Soma } from './soma.ts';

export const exponentialFields = {
  ...moduleBaseFields,
  potential_rest: field.float(-70.0, 'Resting potential.', { unit: 'mV', symbol: 'V_rest', init: true }),
  potential_reset: field.float(-51.0, 'Potential after a spike.', { unit: 'mV', symbol: 'V_reset', init: true }),
  potential_tau: field.float(5.0, 'Membrane time constant.', { unit: 'ms', symbol: 'τ_m', init: true, validators: ['positive'] }),
  resistance: field.float(0.5, 'Membrane resistance; R·I is in mV for I in pA.', { unit: 'GΩ', symbol: 'R', init: true }),
  threshold: field.float(-30.0, 'Spike cut-off: a spike is emitted when V exceeds it.', { unit: 'mV', symbol: 'θ', init: true }),
  rheobase_threshold: field.float(-50.0, 'Rheobase threshold of the exponential term.', { unit: 'mV', symbol: 'V_T', init: true }),
  spike_slope: field.float(2.0, 'Sharpness of spike initiation.', { unit: 'mV', symbol: 'Δ_T', init: true, validators: ['positive'] }),
  method: field.string('euler', "Integration scheme: 'euler' (forward Euler, Spark's) or 'rk2' (midpoint rule, Brian2's rk2).", {
    options: ['euler', 'rk2'],
  }),
};

export class ExponentialSoma extends Soma {
  static readonly type: string = 'exponential_soma';
  static readonly schema: ConfigSchema = { type: 'exponential_soma_config', classRef: 'exponential_soma', fields: exponentialFields };
  static readonly summary: string = 'Exponential integrate-and-fire soma (EIF).';
  static readonly reference: string =
    'Fourcaud-Trocmé et al. 2003, J Neurosci 23:11628; Gerstner et al. 2014, Neuronal Dynamics, ch. 5.2; Spark somas/exponential.py';
  static readonly equations: string = `All potentials relative to rest (V_T, θ, V_reset minus V_rest); I constant over the step.
f(V) = (−V + Δ_T·exp((V − V_T)/Δ_T) + R·I) / τ_m
euler: V ← V + dt·f(V)
rk2:   V ← V + dt·f(V + (dt/2)·f(V))
s = V > θ;  if s: V ← V_reset`;

  protected invTau!: Float32Array;
  protected resistance!: Float32Array;
  protected rheobaseRel!: Float32Array;
  protected slope!: Float32Array;
  protected thresholdRel!: Float32Array;
  protected resetRel!: Float32Array;
  protected rk2 = false;

  protected init(): void {
    const rest = this.param('potential_rest');
    this.invTau = this.param('potential_tau').map((t) => 1 / t);
    this.resistance = this.param('resistance');
    this.rheobaseRel = this.param('rheobase_threshold').map((x, i) => x - rest[i]);
    this.slope = this.param('spike_slope');
    this.thresholdRel = this.param('threshold').map((x, i) => x - rest[i]);
    this.resetRel = this.param('potential_reset').map((x, i) => x - rest[i]);
    this.rk2 = this.cfg<string>('method') === 'rk2';
  }

  /** dV/dt of unit i at potential x with drive R·I (mV). */
  protected dv(i: number, x: number, drive: number): number {
    const d = this.slope[i];
    return (-x + d * Math.exp((x - this.rheobaseRel[i]) / d) + drive) * this.invTau[i];
  }

  /** One integration step of unit i from x with drive R·I. */
  protected integrate(i: number, x: number, drive: number): number {
    const h = this.dt;
    return this.rk2 ? x + h * this.dv(i, x + 0.5 * h * this.dv(i, x, drive), drive) : x + h * this.dv(i, x, drive);
  }

  protected update(): void {
    const { v, current, resistance, thresholdRel, resetRel, spikes } = this;
    for (let i = 0; i < this.n; i++) {
      let x = this.integrate(i, v[i], resistance[i] * current[i]);
      if (x > thresholdRel[i]) {
        spikes.add(i);
        x = resetRel[i];
      }
      v[i] = x;
    }
  }
}
