/**
 * PoissonSpiker: each unit spikes with probability dt·max_freq/1000·signal per step
 * (a Bernoulli approximation of a Poisson process with rate max_freq·signal).
 * Spark: spark/nn/interfaces/input/poisson.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { InputInterface } from './input_interface.ts';

export class PoissonSpiker extends InputInterface {
  static readonly type: string = 'poisson_spiker';
  static readonly schema: ConfigSchema = {
    type: 'poisson_spiker_config',
    classRef: 'poisson_spiker',
    fields: {
      ...moduleBaseFields,
      max_freq: field.float(100, 'Rate at signal = 1.', { unit: 'Hz', validators: ['non_negative'] }),
    },
  };
  static readonly summary = 'Rate code: Bernoulli spikes with probability ∝ signal.';
  static readonly reference = 'Dayan & Abbott 2001, ch. 1.4; Spark interfaces/input/poisson.py';
  static readonly equations = 'spike_i = U(0,1) < dt·max_freq/1000·signal_i   (mean rate max_freq·signal_i while dt·max_freq·signal_i ≤ 1000)';

  private p = 0;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    this.p = (this.dt * this.cfg('max_freq')) / 1000;
    return { spikes: new SpikeArray(inputSpecs.signal.shape) };
  }

  protected override connect(): void {
    super.connect();
    this.spikes = this.out.spikes as SpikeArray;
  }

  step(): void {
    const { signal, spikes, p, rng } = this;
    spikes.clear();
    for (let i = 0; i < signal.length; i++) if (rng.uniform() < p * signal[i]) spikes.add(i);
  }

  reset(): void {
    this.spikes?.clear();
  }
}
