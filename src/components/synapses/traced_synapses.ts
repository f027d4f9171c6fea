/**
 * TracedSynapses: the current is an exponential trace of the delivered weights.
 *   z[o,i] ← base + e^{−dt/τ}·(z[o,i] − base) + scale·K[o,i]·v[o,i],   I[o] = Σ_i z[o,i]
 * Kept as one trace per post unit when τ and scale are uniform per post unit (exact; see
 * traced_base.ts). Spark: spark/nn/components/synapses/traced.py (TracedSynapses).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { synapseBaseFields } from './synapses.ts';
import { type TraceComponent, TracedSynapsesBase } from './traced_base.ts';

export class TracedSynapses extends TracedSynapsesBase {
  static readonly type: string = 'traced_synapses';
  static readonly schema: ConfigSchema = {
    type: 'traced_synapses_config',
    classRef: 'traced_synapses',
    fields: {
      ...synapseBaseFields,
      tau: field.float(5, 'Time constant of the synaptic trace.', { unit: 'ms', symbol: 'τ', init: true, validators: ['positive'] }),
      scale: field.float(1, 'Multiplies the delivered weights.', { init: true }),
      base: field.float(0, 'Resting value of each per-synapse trace.', { init: true }),
    },
  };
  static readonly summary: string = 'Exponentially decaying synaptic current (one trace).';
  static readonly reference: string = 'Spark: spark/nn/components/synapses/traced.py; spark/core/tracers.py (Tracer)';
  static readonly equations: string = [
    'z[o,i] ← base + exp(−dt/τ)·(z[o,i] − base) + scale·K[o,i]·v[i]   (v ∈ {−1,0,1}; v[o,i] for per-synapse spikes)',
    'I[o] = Σ_i z[o,i]',
    'With τ and scale uniform per post unit this is one trace per post unit: S[o] ← N·base + exp(−dt/τ)(S[o] − N·base) + scale·(K·v)[o].',
  ].join('\n');

  protected components(): TraceComponent[] {
    const tau = this.kernelParam('tau');
    return [{ tau, scale: this.kernelParam('scale'), base: this.kernelParam('base'), coef: new Float32Array(tau.length).fill(1) }];
  }
}
