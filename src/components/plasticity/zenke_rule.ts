/**
 * ZenkeRule: triplet LTP, doublet LTD, heterosynaptic decay towards a consolidated target weight,
 * and transmitter-induced potentiation (Zenke, Agnes & Gerstner 2015, Nat. Commun. 6:6922).
 * Following Spark's implementation:
 *   x ← e^{−dt/τ_pre}x + s_pre/τ_pre,  y ← e^{−dt/τ_post}y + s_post/τ_post,  ȳ ← e^{−dt/τ_slow}ȳ + s_post/τ_slow
 *   δ = K − P·w̃(1/4 − w̃)(1/2 − w̃)   (old w̃),   w̃ ← e^{−dt/τ_w}w̃ + δ/τ_w
 *   ΔK[o,i] = η·[ a·ȳ[o]s_post[o]·x[i] + b·y[o]s_pre[i] + c·(K − w̃)[o,i]·y[o]³s_post[o] + d·s_pre[i] ]
 *   K ← max(0, K + dt·ΔK)
 * The target trace w̃ moves every step for every synapse, so this rule is dense per step (as in
 * Spark). With per-synapse pre spikes, x and s_pre are per synapse.
 * Spark: spark/nn/components/plasticity/zenke_rule.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { PortSpec } from '../../core/payload.ts';
import { resolveParam } from '../../core/params.ts';
import { Plasticity } from './plasticity.ts';

export class ZenkeRule extends Plasticity {
  static readonly type: string = 'zenke_rule';
  static readonly schema: ConfigSchema = {
    type: 'zenke_rule_config',
    classRef: 'zenke_rule',
    fields: {
      ...moduleBaseFields,
      pre_tau: field.float(20, 'Time constant of the presynaptic trace.', { unit: 'ms', symbol: 'τ_pre', init: true, validators: ['positive'] }),
      post_tau: field.float(20, 'Time constant of the fast postsynaptic trace.', { unit: 'ms', symbol: 'τ_post', init: true, validators: ['positive'] }),
      post_slow_tau: field.float(20, 'Time constant of the slow postsynaptic trace.', { unit: 'ms', symbol: 'τ_slow', init: true, validators: ['positive'] }),
      target_tau: field.float(20000, 'Time constant of the consolidated target weight.', { unit: 'ms', symbol: 'τ_w', init: true, validators: ['positive'] }),
      a: field.float(1, 'Triplet LTP amplitude.'),
      b: field.float(-1, 'Doublet LTD amplitude.'),
      c: field.float(-1, 'Heterosynaptic amplitude.'),
      d: field.float(1, 'Transmitter-induced amplitude.'),
      p: field.float(20, 'Strength of the target weight dynamics.', { symbol: 'P' }),
      eta: field.float(0.1, 'Learning rate.', { symbol: 'η' }),
    },
  };
  static readonly summary = 'Zenke et al. 2015 rule: triplet LTP, LTD, heterosynaptic and transmitter-induced terms.';
  static readonly reference = 'Zenke, Agnes & Gerstner 2015, Nat. Commun. 6:6922; Spark plasticity/zenke_rule.py';
  static readonly equations = [
    'x ← exp(−dt/τ_pre)x + s_pre/τ_pre;  y ← exp(−dt/τ_post)y + s_post/τ_post;  ȳ ← exp(−dt/τ_slow)ȳ + s_post/τ_slow',
    'δ = K − P·w̃(1/4 − w̃)(1/2 − w̃);  w̃ ← exp(−dt/τ_w)w̃ + δ/τ_w',
    'ΔK[o,i] = η·[ a·ȳ[o]s_post[o]x[i] + b·y[o]s_pre[i] + c·(K − w̃)[o,i]·y[o]³s_post[o] + d·s_pre[i] ]',
    'K ← max(0, K + dt·ΔK)',
  ].join('\n');

  xPre!: Float32Array;
  yPost!: Float32Array;
  ySlow!: Float32Array;
  target!: Float32Array;
  private xDecay!: Float32Array;
  private xTau!: Float32Array;
  private yDecay!: Float32Array;
  private yTau!: Float32Array;
  private sDecay!: Float32Array;
  private sTau!: Float32Array;
  private wDecay!: Float32Array;
  private wTau!: Float32Array;
  private c = { a: 0, b: 0, c: 0, d: 0, p: 0, eta: 0 };

  protected init(inputSpecs: Record<string, PortSpec>): void {
    const kshape = [this.nPost, this.nPre];
    const x = this.decayOf('pre_tau', this.asyncPre ? kshape : [this.nPre]);
    const y = this.decayOf('post_tau', inputSpecs.post_spikes.shape);
    const s = this.decayOf('post_slow_tau', inputSpecs.post_spikes.shape);
    [this.xDecay, this.xTau, this.yDecay, this.yTau, this.sDecay, this.sTau] = [x.decay, x.tau, y.decay, y.tau, s.decay, s.tau];
    this.wTau = resolveParam(this, 'target_tau', kshape);
    this.wDecay = this.wTau.map((t) => Math.exp(-this.dt / t));
    this.xPre = this.track('pre_trace', new Float32Array(x.tau.length));
    this.yPost = this.track('post_trace', new Float32Array(this.nPost));
    this.ySlow = this.track('post_slow_trace', new Float32Array(this.nPost));
    this.target = this.track('target_trace', new Float32Array(this.nPost * this.nPre));
    this.c = { a: this.cfg('a'), b: this.cfg('b'), c: this.cfg('c'), d: this.cfg('d'), p: this.cfg('p'), eta: this.cfg('eta') };
  }

  step(): void {
    const { pre, post, xPre, yPost, ySlow, target, nPre, nPost, asyncPre } = this;
    const { a, b, c, d, p, eta } = this.c;
    for (let j = 0; j < xPre.length; j++) xPre[j] = this.xDecay[j] * xPre[j] + pre.mask[j] / this.xTau[j];
    for (let o = 0; o < nPost; o++) {
      const s = post.mask[o];
      yPost[o] = this.yDecay[o] * yPost[o] + s / this.yTau[o];
      ySlow[o] = this.sDecay[o] * ySlow[o] + s / this.sTau[o];
    }
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * eta;
    for (let o = 0; o < nPost; o++) {
      const s = post.mask[o];
      const la = a * ySlow[o] * s;
      const lb = b * yPost[o];
      const yo = yPost[o];
      const lc = c * yo * yo * yo * s;
      for (let i = 0, k = o * nPre; i < nPre; i++, k++) {
        const w = target[k];
        const wNew = this.wDecay[k] * w + (K[k] - p * w * (0.25 - w) * (0.5 - w)) / this.wTau[k];
        target[k] = wNew;
        const sp = asyncPre ? pre.mask[k] : pre.mask[i];
        const x = asyncPre ? xPre[k] : xPre[i];
        const dK = la * x + lb * sp + lc * (K[k] - wNew) + d * sp;
        const v = K[k] + g * dK;
        K[k] = v < 0 ? 0 : v;
      }
    }
    this.fullClipPending = false;
  }

  reset(): void {
    this.resetBase();
    this.xPre.fill(0);
    this.yPost.fill(0);
    this.ySlow.fill(0);
    this.target.fill(0);
  }
}
