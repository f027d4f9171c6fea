/**
 * QuadrupletRule: a modulated rule with four terms — presynaptic (α), pre-with-post-trace (β),
 * postsynaptic (γ) and post-with-pre-trace (δ):
 *   x_pre ← e^{−dt/τ_pre}·x_pre + s_pre/τ_pre,   y[o] ← e^{−dt/τ_post}·y[o] + s_post[o]/τ_post
 *   ΔK[o,i] = η·(m + m_0)·( α·s_pre[i] + β·y[o]·s_pre[i] + γ·s_post[o] + δ·s_post[o]·x_pre[o,i] )
 *   K ← max(0, K + dt·ΔK)
 * η is Spark's `gamma` field (Spark's code reads a missing `eta` and crashes at build, and also
 * calls `.init` on plain floats). m_0 = `modulation_baseline`, default 0.1 as in Spark's code
 * (the tensor rule has none). m is one value or one per postsynaptic unit.
 * Spark: spark/nn/components/plasticity/quadruplet_rule.py (QuadrupletRule).
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { FloatArray, PortSpec } from '../../core/payload.ts';
import { resolveParam } from '../../core/params.ts';
import { clipTouched, Plasticity, plasticityInputs } from './plasticity.ts';
import { PreTrace } from './pre_trace.ts';

export class QuadrupletRule extends Plasticity {
  static readonly type: string = 'quadruplet_rule';
  static override readonly inputs = {
    modulation: { payload: 'float_array' as const, description: 'Modulation: one value, or one per postsynaptic unit.' },
    ...plasticityInputs,
  };
  static readonly schema: ConfigSchema = {
    type: 'quadruplet_rule_config',
    classRef: 'quadruplet_rule',
    fields: {
      ...moduleBaseFields,
      pre_tau: field.float(10, 'Time constant of the presynaptic trace.', { unit: 'ms', symbol: 'τ_pre', init: true, validators: ['positive'] }),
      post_tau: field.float(10, 'Time constant of the postsynaptic trace.', { unit: 'ms', symbol: 'τ_post', init: true, validators: ['positive'] }),
      q_alpha: field.float(1, 'Weight of the presynaptic term.', { symbol: 'α', init: true }),
      q_beta: field.float(1, 'Weight of the pre-spike × post-trace term.', { symbol: 'β', init: true }),
      q_gamma: field.float(1, 'Weight of the postsynaptic term.', { symbol: 'γ', init: true }),
      q_delta: field.float(1, 'Weight of the post-spike × pre-trace term.', { symbol: 'δ', init: true }),
      gamma: field.float(0.1, 'Learning rate (η in the equations).', { symbol: 'η' }),
      modulation_baseline: field.float(0.1, 'Added to the modulation (Spark hard-codes 0.1; spark-snn extension).', { symbol: 'm_0' }),
    },
  };
  static readonly summary = 'Modulated four-term (quadruplet) plasticity rule.';
  static readonly reference = 'Spark plasticity/quadruplet_rule.py (QuadrupletRule)';
  static readonly equations = [
    'x_pre ← exp(−dt/τ_pre)·x_pre + s_pre/τ_pre   (per pre unit, or per synapse for N2N-delayed spikes)',
    'y[o] ← exp(−dt/τ_post)·y[o] + s_post[o]/τ_post',
    'ΔK[o,i] = η·(m + m_0)·( α·s_pre[i] + β·y[o]·s_pre[i] + γ·s_post[o] + δ·s_post[o]·x_pre[o,i] )',
    'K ← max(0, K + dt·ΔK)',
  ].join('\n');

  xPre!: PreTrace;
  yPost!: Float32Array;
  private postDecay!: Float32Array;
  private postTau!: Float32Array;
  private qa!: Float32Array;
  private qb!: Float32Array;
  private qg!: Float32Array;
  private qd!: Float32Array;
  private eta = 0;
  private baseline = 0;
  private mStride = 0;
  private mod!: Float32Array;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    const kshape = [this.nPost, this.nPre];
    const preShape = this.asyncPre ? kshape : [this.nPre];
    this.xPre = new PreTrace(resolveParam(this, 'pre_tau', preShape), this.dt, this.asyncPre, this.nPre);
    this.track('pre_trace', this.xPre.trace.value);
    this.track('pre_trace_step', this.xPre.trace.last);
    const post = this.decayOf('post_tau', inputSpecs.post_spikes.shape);
    this.postDecay = post.decay;
    this.postTau = post.tau;
    this.yPost = this.track('post_trace', new Float32Array(this.nPost));
    this.qa = resolveParam(this, 'q_alpha', kshape);
    this.qb = resolveParam(this, 'q_beta', kshape);
    this.qg = resolveParam(this, 'q_gamma', kshape);
    this.qd = resolveParam(this, 'q_delta', kshape);
    this.eta = this.cfg('gamma');
    this.baseline = this.cfg('modulation_baseline');
    this.mStride = this.factorStride(inputSpecs, 'modulation');
  }

  protected override connect(): void {
    super.connect();
    this.mod = (this.in.modulation as FloatArray).data;
  }

  step(): void {
    const { pre, post, yPost, xPre, nPre, nPost, mod, mStride, baseline, qa, qb, qg, qd } = this;
    const t = this.tick();
    xPre.add(pre, t);
    for (let o = 0; o < nPost; o++) yPost[o] *= this.postDecay[o];
    for (let c = 0; c < post.count; c++) yPost[post.indices[c]] += 1 / this.postTau[post.indices[c]];
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * this.eta;
    // α·s_pre + β·y·s_pre on the entries of active presynaptic spikes.
    for (let c = 0; c < pre.count; c++) {
      const j = pre.indices[c];
      if (this.asyncPre) {
        const o = (j / nPre) | 0;
        K[j] += g * (mod[o * mStride] + baseline) * (qa[j] + qb[j] * yPost[o]);
      } else {
        for (let o = 0, k = j; o < nPost; o++, k += nPre) K[k] += g * (mod[o * mStride] + baseline) * (qa[k] + qb[k] * yPost[o]);
      }
    }
    // γ·s_post + δ·s_post·x_pre on the rows of active postsynaptic units.
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      const f = g * (mod[o * mStride] + baseline);
      for (let i = 0, k = o * nPre; i < nPre; i++, k++) K[k] += f * (qg[k] + qd[k] * xPre.at(o, i, t));
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
