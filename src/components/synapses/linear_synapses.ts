/**
 * LinearSynapses: instantaneous currents, I[o] = Σ_i K[o,i]·v[i] with v ∈ {−1, 0, 1}
 * (or Σ_i K[o,i]·v[o,i] for per-synapse spikes from N2N delays).
 * Spark: spark/nn/components/synapses/linear.py.
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { synapseBaseFields, Synapses } from './synapses.ts';

export class LinearSynapses extends Synapses {
  static readonly type: string = 'linear_synapses';
  static readonly schema: ConfigSchema = { type: 'linear_synapses_config', classRef: 'linear_synapses', fields: { ...synapseBaseFields } };
  static readonly summary: string = 'Instantaneous weighted sum of presynaptic spikes.';
  static readonly reference: string = 'Spark: spark/nn/components/synapses/linear.py';
  static readonly equations: string = 'I[o] = Σ_i K[o,i]·v[i]   (v ∈ {−1, 0, 1}: inhibitory spikes count −1; v[o,i] for per-synapse spikes)';

  step(): void {
    this.currents.fill(0);
    this.deliver(this.currents);
  }

  reset(): void {
    this.currents.fill(0);
  }
}
