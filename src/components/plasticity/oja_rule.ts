/**
 * OjaRule: Hebbian growth with a weight-proportional decay, driven by a postsynaptic trace.
 *   y[o] ← e^{−dt/τ_post}·y[o] + s_post[o]/τ_post
 *   ΔK[o,i] = η·( y[o]·s_pre[i] − K[o,i]·y[o]² )
 *   K ← max(0, K + dt·ΔK)
 * The decay term changes every row whose trace is non-zero, so this rule is dense per step
 * (as in Spark). Spark: spark/nn/components/plasticity/hebbian_rule.py (OjaRule);
 * Oja 1982, J. Math. Biol. 15:267.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { PortSpec } from '../../core/payload.ts';
import { Plasticity } from './plasticity.ts';

export class OjaRule extends Plasticity {
  static readonly type: string = 'oja_rule';
  static readonly schema: ConfigSchema = {
    type: 'oja_rule_config',
    classRef: 'oja_rule',
    fields: {
      ...moduleBaseFields,
      post_tau: field.float(20, 'Time constant of the postsynaptic trace.', { unit: 'ms', symbol: 'τ_post', init: true, validators: ['positive'] }),
      eta: field.float(0.1, 'Learning rate.', { symbol: 'η' }),
    },
  };
  static readonly summary = "Oja's rule: Hebbian growth with weight-proportional decay.";
  static readonly reference = 'Oja 1982, J. Math. Biol. 15:267; Spark plasticity/hebbian_rule.py (OjaRule)';
  static readonly equations = [
    'y[o] ← exp(−dt/τ_post)·y[o] + s_post[o]/τ_post',
    'ΔK[o,i] = η·( y[o]·s_pre[i] − K[o,i]·y[o]² )',
    'K ← max(0, K + dt·ΔK)',
  ].join('\n');

  yPost!: Float32Array;
  private decay!: Float32Array;
  private tau!: Float32Array;
  private eta = 0;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    const post = this.decayOf('post_tau', inputSpecs.post_spikes.shape);
    this.decay = post.decay;
    this.tau = post.tau;
    this.yPost = this.track('post_trace', new Float32Array(this.nPost));
    this.eta = this.cfg('eta');
  }

  step(): void {
    const { pre, post, yPost, decay, tau, nPre, nPost } = this;
    for (let o = 0; o < nPost; o++) yPost[o] *= decay[o];
    for (let c = 0; c < post.count; c++) yPost[post.indices[c]] += 1 / tau[post.indices[c]];
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * this.eta;
    // −K·y² on every row with a non-zero trace, then +y·s_pre on the active presynaptic entries.
    for (let o = 0; o < nPost; o++) {
      const y = yPost[o];
      if (y === 0) continue;
      const f = g * y * y;
      for (let k = o * nPre, e = k + nPre; k < e; k++) K[k] -= f * K[k];
    }
    for (let c = 0; c < pre.count; c++) {
      const j = pre.indices[c];
      if (this.asyncPre) K[j] += g * yPost[(j / nPre) | 0];
      else for (let o = 0, k = j; o < nPost; o++, k += nPre) K[k] += g * yPost[o];
    }
    if (this.clipAllIfPending()) return;
    for (let o = 0; o < nPost; o++) {
      if (yPost[o] === 0) continue;
      for (let k = o * nPre, e = k + nPre; k < e; k++) if (K[k] < 0) K[k] = 0;
    }
  }

  reset(): void {
    this.resetBase();
    this.yPost.fill(0);
  }
}
