/**
 * ThreeFactorHebbianRule: the Hebbian rule gated by a reward signal.
 *   x_pre ← e^{−dt/τ_pre}·x_pre + s_pre/τ_pre,   y[o] ← e^{−dt/τ_post}·y[o] + s_post[o]/τ_post
 *   ΔK[o,i] = γ·(r + r_0)·( y[o]·s_pre[i] + s_post[o]·x_pre[i] )
 *   K ← max(0, K + dt·ΔK)
 * r is one value or one per postsynaptic unit. Spark hard-codes r_0 = 0.1; here it is the
 * `reward_baseline` field (default 0.1). Spark keeps x_pre kernel-shaped, so its rule only
 * accepts per-synapse (N2N-delayed) pre spikes; ours also takes ordinary per-unit spikes
 * (then x_pre is per presynaptic unit). Work is proportional to spikes (lazy x_pre).
 * Spark: spark/nn/components/plasticity/three_factor_rule.py.
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { FloatArray, PortSpec } from '../../core/payload.ts';
import { resolveParam } from '../../core/params.ts';
import { clipTouched, Plasticity, plasticityInputs } from './plasticity.ts';
import { PreTrace } from './pre_trace.ts';

export class ThreeFactorHebbianRule extends Plasticity {
  static readonly type: string = 'three_factor_hebbian_rule';
  static override readonly inputs = {
    reward: { payload: 'float_array' as const, description: 'Reward: one value, or one per postsynaptic unit.' },
    ...plasticityInputs,
  };
  static readonly schema: ConfigSchema = {
    type: 'three_factor_hebbian_rule_config',
    classRef: 'three_factor_hebbian_rule',
    fields: {
      ...moduleBaseFields,
      pre_tau: field.float(10, 'Time constant of the presynaptic trace.', { unit: 'ms', symbol: 'τ_pre', init: true, validators: ['positive'] }),
      post_tau: field.float(10, 'Time constant of the postsynaptic trace.', { unit: 'ms', symbol: 'τ_post', init: true, validators: ['positive'] }),
      gamma: field.float(0.1, 'Learning rate.', { symbol: 'γ' }),
      reward_baseline: field.float(0.1, 'Added to the reward (Spark hard-codes 0.1; spark-snn extension).', { symbol: 'r_0' }),
    },
  };
  static readonly summary = 'Reward-modulated pair-based Hebbian rule.';
  static readonly reference = 'Frémaux & Gerstner 2016, Front. Neural Circuits 9:85; Spark plasticity/three_factor_rule.py';
  static readonly equations = [
    'x_pre ← exp(−dt/τ_pre)·x_pre + s_pre/τ_pre   (per pre unit, or per synapse for N2N-delayed spikes)',
    'y[o] ← exp(−dt/τ_post)·y[o] + s_post[o]/τ_post',
    'ΔK[o,i] = γ·(r + r_0)·( y[o]·s_pre[i] + s_post[o]·x_pre[o,i] )',
    'K ← max(0, K + dt·ΔK)',
  ].join('\n');

  xPre!: PreTrace;
  yPost!: Float32Array;
  private postDecay!: Float32Array;
  private postTau!: Float32Array;
  private gamma = 0;
  private baseline = 0;
  private rStride = 0;
  private reward!: Float32Array;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    const preShape = this.asyncPre ? [this.nPost, this.nPre] : [this.nPre];
    this.xPre = new PreTrace(resolveParam(this, 'pre_tau', preShape), this.dt, this.asyncPre, this.nPre);
    this.track('pre_trace', this.xPre.trace.value);
    this.track('pre_trace_step', this.xPre.trace.last);
    const post = this.decayOf('post_tau', inputSpecs.post_spikes.shape);
    this.postDecay = post.decay;
    this.postTau = post.tau;
    this.yPost = this.track('post_trace', new Float32Array(this.nPost));
    this.gamma = this.cfg('gamma');
    this.baseline = this.cfg('reward_baseline');
    this.rStride = this.factorStride(inputSpecs, 'reward');
  }

  protected override connect(): void {
    super.connect();
    this.reward = (this.in.reward as FloatArray).data;
  }

  step(): void {
    const { pre, post, yPost, xPre, nPre, nPost, reward, rStride, baseline } = this;
    const t = this.tick();
    xPre.add(pre, t);
    for (let o = 0; o < nPost; o++) yPost[o] *= this.postDecay[o];
    for (let c = 0; c < post.count; c++) yPost[post.indices[c]] += 1 / this.postTau[post.indices[c]];
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * this.gamma;
    // y[o]·s_pre: the entries of active presynaptic spikes.
    for (let c = 0; c < pre.count; c++) {
      const j = pre.indices[c];
      if (this.asyncPre) {
        const o = (j / nPre) | 0;
        K[j] += g * (reward[o * rStride] + baseline) * yPost[o];
      } else {
        for (let o = 0, k = j; o < nPost; o++, k += nPre) K[k] += g * (reward[o * rStride] + baseline) * yPost[o];
      }
    }
    // s_post[o]·x_pre: rows of active postsynaptic units.
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      const f = g * (reward[o * rStride] + baseline);
      for (let i = 0, k = o * nPre; i < nPre; i++, k++) K[k] += f * xPre.at(o, i, t);
    }
    if (this.clipAllIfPending()) return;
    clipTouched(K, pre, post, this.asyncPre, nPre, nPost);
  }

  reset(): void {
    this.resetBase();
    this.xPre.reset();
    this.yPost.fill(0);
  }
}
