/**
 * HebbianRule: pair-based Hebbian learning with exponential traces.
 *
 *   x_pre ← exp(−dt/τ_pre)·x_pre + s_pre/τ_pre,  y_post likewise (traces updated first)
 *   ΔK[o,i] = η·( y_post[o]·s_pre[i] + s_post[o]·x_pre[i] )
 *   K ← max(0, K + dt·ΔK)
 * With per-synapse presynaptic spikes (N2N delays), x_pre and s_pre are per synapse.
 * Spark: spark/nn/components/plasticity/hebbian_rule.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { PortSpec } from '../../core/payload.ts';
import { decayTrace, Plasticity } from './plasticity.ts';
import { PreTrace } from './pre_trace.ts';

export class HebbianRule extends Plasticity {
  static readonly type: string = 'hebbian_rule';
  static readonly schema: ConfigSchema = {
    type: 'hebbian_rule_config',
    classRef: 'hebbian_rule',
    fields: {
      ...moduleBaseFields,
      pre_tau: field.float(20, 'Time constant of the presynaptic trace.', { unit: 'ms', symbol: 'τ_pre', init: true, validators: ['positive'] }),
      post_tau: field.float(20, 'Time constant of the postsynaptic trace.', { unit: 'ms', symbol: 'τ_post', init: true, validators: ['positive'] }),
      eta: field.float(0.01, 'Learning rate.', { symbol: 'η' }),
    },
  };
  static readonly summary = 'Pair-based Hebbian rule with exponential pre/post traces.';
  static readonly reference = 'Gerstner & Kistler 2002, Spiking Neuron Models, ch. 10; Spark plasticity/hebbian_rule.py';
  static readonly equations = [
    'x_pre ← exp(−dt/τ_pre)·x_pre + s_pre/τ_pre   (per pre unit, or per synapse for N2N-delayed spikes)',
    'y[o] ← exp(−dt/τ_post)·y[o] + s_post[o]/τ_post',
    'ΔK[o,i] = η·( y[o]·s_pre[i] + s_post[o]·x_pre[o,i] )',
    'K ← max(0, K + dt·ΔK)',
  ].join('\n');

  xPre!: PreTrace;
  yPost!: Float32Array;
  private postDecay!: Float32Array;
  private postScale!: Float32Array;
  private eta = 0;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    // Lazily decayed, so per-synapse traces (N2N-delayed spikes) cost only their spikes.
    const pre = this.decayOf('pre_tau', inputSpecs.pre_spikes.shape);
    const post = this.decayOf('post_tau', inputSpecs.post_spikes.shape);
    this.xPre = new PreTrace(pre.tau, this.dt, this.asyncPre, this.nPre);
    this.postDecay = post.decay;
    this.postScale = post.tau.map((t) => 1 / t);
    this.track('pre_trace', this.xPre.trace.value);
    this.track('pre_trace_step', this.xPre.trace.last);
    this.yPost = this.track('post_trace', new Float32Array(post.tau.length));
    this.eta = this.cfg('eta');
  }

  step(): void {
    const { pre, post, xPre, yPost, nPre, nPost } = this;
    const t = this.tick();
    xPre.add(pre, t);
    decayTrace(yPost, this.postDecay, this.postScale, post);
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * this.eta;
    // Add both terms, then clip what changed (one clip per step, as in Spark).
    for (let pass = 0; pass < 2; pass++) {
      const clip = pass === 1;
      if (clip && this.clipAllIfPending()) break;
      // y_post[o]·s_pre: columns (or single synapses) of active presynaptic spikes.
      for (let c = 0; c < pre.count; c++) {
        const j = pre.indices[c];
        if (this.asyncPre) {
          K[j] = clip ? Math.max(0, K[j]) : K[j] + g * yPost[(j / nPre) | 0];
        } else {
          for (let o = 0, k = j; o < nPost; o++, k += nPre) K[k] = clip ? Math.max(0, K[k]) : K[k] + g * yPost[o];
        }
      }
      // s_post[o]·x_pre: rows of active postsynaptic units.
      for (let c = 0; c < post.count; c++) {
        const row = post.indices[c] * nPre;
        const o = post.indices[c];
        for (let i = 0; i < nPre; i++) K[row + i] = clip ? Math.max(0, K[row + i]) : K[row + i] + g * xPre.at(o, i, t);
      }
    }
  }

  reset(): void {
    this.resetBase();
    this.xPre.reset();
    this.yPost.fill(0);
  }
}
