/**
 * TopologicalPoissonSpiker: population code (see topological_code.ts) with Bernoulli spikes,
 * each virtual unit spiking with probability dt·max_freq/1000·rate per step.
 * Spark: spark/nn/interfaces/input/topological.py (TopologicalPoissonSpiker).
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { InputInterface } from './input_interface.ts';
import { TopologicalCode, topologicalEquations, topologicalFields } from './topological_code.ts';

export class TopologicalPoissonSpiker extends InputInterface {
  static readonly type: string = 'topological_poisson_spiker';
  static readonly schema: ConfigSchema = {
    type: 'topological_poisson_spiker_config',
    classRef: 'topological_poisson_spiker',
    fields: {
      ...moduleBaseFields,
      ...topologicalFields,
      max_freq: field.float(100, 'Rate at the peak of the bump.', { unit: 'Hz', symbol: 'f_max', validators: ['non_negative'] }),
    },
  };
  static readonly summary = 'Population code: a Gaussian-like bump over virtual units per signal value, Poisson spikes.';
  static readonly reference = 'Spark: spark/nn/interfaces/input/topological.py';
  static readonly equations = `${topologicalEquations}
spike_ir = U(0,1) < dt·f_max/1000·rate_ir`;

  code!: TopologicalCode;
  private p = 0;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    this.code = new TopologicalCode(this, inputSpecs.signal.shape);
    this.p = (this.dt * this.cfg('max_freq')) / 1000;
    return { spikes: new SpikeArray(this.code.outputShape) };
  }

  protected override connect(): void {
    super.connect();
    this.spikes = this.out.spikes as SpikeArray;
  }

  step(): void {
    const { code, spikes, p, rng } = this;
    code.compute(this.signal);
    const rate = code.rate;
    spikes.clear();
    for (let j = 0; j < rate.length; j++) if (rng.uniform() < p * rate[j]) spikes.add(j);
  }

  reset(): void {
    this.spikes?.clear();
  }
}
