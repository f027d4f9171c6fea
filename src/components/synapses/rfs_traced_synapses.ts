/**
 * RFSTracedSynapses: rise with a fast and a slow decay, mixed by α.
 *   I[o] = Σ_i [ α·RD(τ_r, τ_fast)[o,i] + (1 − α)·RD(τ_r, τ_slow)[o,i] ]
 * where RD is the rise–decay trace of RDTracedSynapses driven by K[o,i]·v.
 * Spark: spark/nn/components/synapses/traced.py (RFSTracedSynapses), spark/core/tracers.py (RFSTracer).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { effectiveRiseTau } from './rd_traced_synapses.ts';
import { synapseBaseFields } from './synapses.ts';
import { type TraceComponent, TracedSynapsesBase } from './traced_base.ts';

export class RFSTracedSynapses extends TracedSynapsesBase {
  static readonly type: string = 'rfs_traced_synapses';
  static readonly schema: ConfigSchema = {
    type: 'rfs_traced_synapses_config',
    classRef: 'rfs_traced_synapses',
    fields: {
      ...synapseBaseFields,
      alpha: field.float(0.8, 'Weight of the fast component.', { symbol: 'α', init: true, validators: ['zero_one'] }),
      tau_rise: field.float(1, 'Rise time constant.', { unit: 'ms', symbol: 'τ_r', init: true, validators: ['positive'] }),
      scale_rise: field.float(1, 'Scale of the rise traces.', { init: true }),
      base_rise: field.float(0, 'Resting value of the rise traces.', { init: true }),
      tau_fast_decay: field.float(5, 'Fast decay time constant.', { unit: 'ms', symbol: 'τ_f', init: true, validators: ['positive'] }),
      scale_fast_decay: field.float(1, 'Scale of the fast decay trace.', { init: true }),
      base_fast_decay: field.float(0, 'Resting value of the fast decay trace.', { init: true }),
      tau_slow_decay: field.float(50, 'Slow decay time constant.', { unit: 'ms', symbol: 'τ_s', init: true, validators: ['positive'] }),
      scale_slow_decay: field.float(1, 'Scale of the slow decay trace.', { init: true }),
      base_slow_decay: field.float(0, 'Resting value of the slow decay trace.', { init: true }),
    },
  };
  static readonly summary: string = 'Rise with fast and slow decays (triple exponential) synaptic current.';
  static readonly reference: string = 'Spark: spark/nn/components/synapses/traced.py; spark/core/tracers.py (RFSTracer)';
  static readonly equations: string = [
    "RD_x: r ← b_r + exp(−dt/τ_r')(r − b_r) + s_r·K·v with τ_r' = τ_r·τ_x/(τ_r + τ_x);  d ← b_x + exp(−dt/τ_x)(d − b_x) + s_x·K·v;  RD_x = d − r",
    'I[o] = Σ_i [ α·RD_fast[o,i] + (1 − α)·RD_slow[o,i] ]',
  ].join('\n');

  protected components(): TraceComponent[] {
    const alpha = this.kernelParam('alpha');
    const tauRise = this.kernelParam('tau_rise');
    const tauFast = this.kernelParam('tau_fast_decay');
    const tauSlow = this.kernelParam('tau_slow_decay');
    const scaleRise = this.kernelParam('scale_rise');
    const baseRise = this.kernelParam('base_rise');
    const beta = alpha.map((a) => 1 - a);
    return [
      { tau: tauFast, scale: this.kernelParam('scale_fast_decay'), base: this.kernelParam('base_fast_decay'), coef: alpha },
      { tau: effectiveRiseTau(tauRise, tauFast), scale: scaleRise, base: baseRise, coef: alpha.map((a) => -a) },
      { tau: tauSlow, scale: this.kernelParam('scale_slow_decay'), base: this.kernelParam('base_slow_decay'), coef: beta },
      { tau: effectiveRiseTau(tauRise, tauSlow), scale: scaleRise, base: baseRise, coef: beta.map((b) => -b) },
    ];
  }
}
