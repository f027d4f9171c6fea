/**
 * LeakySoma: leaky integrate-and-fire (LIF).
 *
 *   τ_m dV/dt = −V + R·I,  integrated exactly over dt with I held constant:
 *   V ← decay·V + (1 − decay)·R·I,   decay = exp(−dt/τ_m)
 *   spike if V > θ;  then V ← V_reset
 * All potentials relative to rest. Spark: spark/nn/components/somas/leaky.py (LeakySoma).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { moduleBaseFields } from '../../core/config/field.ts';
import { Soma } from './soma.ts';
import { f32In } from '../../wasm/arena.ts';

export const leakyFields = {
  ...moduleBaseFields,
  potential_rest: field.float(-60, 'Resting potential.', { unit: 'mV', symbol: 'V_rest', init: true }),
  potential_reset: field.float(-50, 'Potential after a spike.', { unit: 'mV', symbol: 'V_reset', init: true }),
  potential_tau: field.float(20, 'Membrane time constant.', { unit: 'ms', symbol: 'τ_m', init: true, validators: ['positive'] }),
  resistance: field.float(0.1, 'Membrane resistance; R·I is in mV for I in pA.', { unit: 'GΩ', symbol: 'R', init: true }),
  threshold: field.float(-40, 'Spike threshold.', { unit: 'mV', symbol: 'θ', init: true }),
};

export class LeakySoma extends Soma {
  static readonly type: string = 'leaky_soma';
  static readonly schema: ConfigSchema = { type: 'leaky_soma_config', classRef: 'leaky_soma', fields: leakyFields };
  static readonly summary: string = 'Leaky integrate-and-fire soma (LIF).';
  static readonly reference: string = 'Gerstner et al. 2014, Neuronal Dynamics, ch. 1.3; Spark somas/leaky.py';
  static readonly equations: string = [
    'V ← e^(−dt/τ_m)·V + (1 − e^(−dt/τ_m))·R·I        (exact for I constant over dt)',
    'spike if V > θ − V_rest;  then V ← V_reset − V_rest',
    'V is relative to V_rest; I in pA, R in GΩ, so R·I is in mV',
  ].join('\n');

  protected decay!: Float32Array;
  protected gainR!: Float32Array;
  protected thresholdRel!: Float32Array;
  protected resetRel!: Float32Array;

  protected init(): void {
    const rest = this.param('potential_rest');
    const tau = this.param('potential_tau');
    const r = this.param('resistance');
    const a = this.alloc;
    this.thresholdRel = f32In(a, this.param('threshold').map((x, i) => x - rest[i]));
    this.resetRel = f32In(a, this.param('potential_reset').map((x, i) => x - rest[i]));
    this.decay = f32In(a, tau.map((t) => Math.exp(-this.dt / t)));
    this.gainR = f32In(a, this.decay.map((d, i) => (1 - d) * r[i]));
  }

  protected update(): void {
    const { v, current, decay, gainR, thresholdRel, resetRel, spikes } = this;
    for (let i = 0; i < this.n; i++) {
      let x = decay[i] * v[i] + gainR[i] * current[i];
      if (x > thresholdRel[i]) {
        spikes.add(i);
        x = resetRel[i];
      }
      v[i] = x;
    }
  }
}
