/**
 * RDTracedSynapses: a rise–decay (difference of exponentials) synaptic current.
 *   τ_r' = τ_r·τ_d/(τ_r + τ_d)
 *   r[o,i] ← b_r + e^{−dt/τ_r'}(r − b_r) + s_r·K[o,i]·v,   d[o,i] ← b_d + e^{−dt/τ_d}(d − b_d) + s_d·K[o,i]·v
 *   I[o] = Σ_i (d[o,i] − r[o,i])
 * Spark: spark/nn/components/synapses/traced.py (RDTracedSynapses), spark/core/tracers.py (RDTracer).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { synapseBaseFields } from './synapses.ts';
import { type TraceComponent, TracedSynapsesBase } from './traced_base.ts';

/** Spark's rise time constant: the rise tracer uses τ_r·τ_d/(τ_r + τ_d). */
export function effectiveRiseTau(rise: Float32Array, decay: Float32Array): Float32Array {
  return rise.map((r, k) => (r * decay[k]) / (r + decay[k]));
}

export class RDTracedSynapses extends TracedSynapsesBase {
  static readonly type: string = 'rd_traced_synapses';
  static readonly schema: ConfigSchema = {
    type: 'rd_traced_synapses_config',
    classRef: 'rd_traced_synapses',
    fields: {
      ...synapseBaseFields,
      tau_rise: field.float(1, 'Rise time constant.', { unit: 'ms', symbol: 'τ_r', init: true, validators: ['positive'] }),
      scale_rise: field.float(1, 'Scale of the rise trace.', { init: true }),
      base_rise: field.float(0, 'Resting value of the rise trace.', { init: true }),
      tau_decay: field.float(5, 'Decay time constant.', { unit: 'ms', symbol: 'τ_d', init: true, validators: ['positive'] }),
      scale_decay: field.float(1, 'Scale of the decay trace.', { init: true }),
      base_decay: field.float(0, 'Resting value of the decay trace.', { init: true }),
    },
  };
  static readonly summary: string = 'Rise–decay (double exponential) synaptic current.';
  static readonly reference: string = 'Spark: spark/nn/components/synapses/traced.py; spark/core/tracers.py (RDTracer)';
  static readonly equations: string = [
    "τ_r' = τ_r·τ_d/(τ_r + τ_d)",
    "r[o,i] ← base_rise + exp(−dt/τ_r')(r[o,i] − base_rise) + scale_rise·K[o,i]·v[i]",
    'd[o,i] ← base_decay + exp(−dt/τ_d)(d[o,i] − base_decay) + scale_decay·K[o,i]·v[i]',
    'I[o] = Σ_i (d[o,i] − r[o,i])',
  ].join('\n');

  protected components(): TraceComponent[] {
    const tauDecay = this.kernelParam('tau_decay');
    const tauRise = effectiveRiseTau(this.kernelParam('tau_rise'), tauDecay);
    const n = tauDecay.length;
    return [
      { tau: tauDecay, scale: this.kernelParam('scale_decay'), base: this.kernelParam('base_decay'), coef: new Float32Array(n).fill(1) },
      { tau: tauRise, scale: this.kernelParam('scale_rise'), base: this.kernelParam('base_rise'), coef: new Float32Array(n).fill(-1) },
    ];
  }
}
