/**
 * StdpRule (spark-snn extension; not in Spark): additive pair-based STDP with separate
 * potentiation and depression amplitudes, as in Song, Miller & Abbott 2000 (Nat. Neurosci. 3:919)
 * and Brian2's examples/synapses/STDP.py.
 *   x_pre ← e^{−dt/τ_pre}·x_pre + s_pre,   y[o] ← e^{−dt/τ_post}·y[o]
 *   K[o,i] ← K[o,i] − A₋·y[o]·s_pre[i]          (pre spikes see earlier post spikes)
 *   y[o] ← y[o] + s_post[o]
 *   K[o,i] ← K[o,i] + A₊·s_post[o]·x_pre[o,i]   (post spikes see pre spikes up to now)
 *   K ← clip(K, 0, K_max)
 * Amplitudes are per spike pairing (no dt factor). As in Brian2 (pre pathway before post), a
 * same-step pair counts as pre-before-post (+A₊). Work is proportional to spikes (lazy x_pre).
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { PortSpec } from '../../core/payload.ts';
import { resolveParam } from '../../core/params.ts';
import { Plasticity } from './plasticity.ts';
import { PreTrace } from './pre_trace.ts';

export class StdpRule extends Plasticity {
  static readonly type: string = 'stdp_rule';
  static readonly schema: ConfigSchema = {
    type: 'stdp_rule_config',
    classRef: 'stdp_rule',
    fields: {
      ...moduleBaseFields,
      pre_tau: field.float(20, 'Time constant of the presynaptic trace.', { unit: 'ms', symbol: 'τ₊', init: true, validators: ['positive'] }),
      post_tau: field.float(20, 'Time constant of the postsynaptic trace.', { unit: 'ms', symbol: 'τ₋', init: true, validators: ['positive'] }),
      a_plus: field.float(0.01, 'Potentiation per pre-before-post pairing.', { symbol: 'A₊', validators: ['non_negative'] }),
      a_minus: field.float(0.0105, 'Depression per post-before-pre pairing.', { symbol: 'A₋', validators: ['non_negative'] }),
      max_clip: field.float(1, 'Largest weight.', { symbol: 'K_max', validators: ['non_negative'] }),
    },
  };
  static readonly summary = 'Additive pair-based STDP (spark-snn extension).';
  static readonly reference = 'Song, Miller & Abbott 2000, Nat. Neurosci. 3:919; Brian2 examples/synapses/STDP.py';
  static readonly equations = [
    'x_pre ← exp(−dt/τ₊)·x_pre + s_pre;   y[o] ← exp(−dt/τ₋)·y[o]',
    'K[o,i] ← K[o,i] − A₋·y[o]·s_pre[i];   y[o] ← y[o] + s_post[o]',
    'K[o,i] ← clip(K[o,i] + A₊·s_post[o]·x_pre[o,i], 0, K_max)   (a same-step pair counts as pre-before-post)',
  ].join('\n');

  xPre!: PreTrace;
  yPost!: Float32Array;
  private yDecay!: Float32Array;
  private aPlus = 0;
  private aMinus = 0;
  private kMax = 0;
  private readonly upper = (): number => this.kMax;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    const preShape = this.asyncPre ? [this.nPost, this.nPre] : [this.nPre];
    const tau = resolveParam(this, 'pre_tau', preShape);
    this.xPre = new PreTrace(tau, this.dt, this.asyncPre, this.nPre, new Float32Array(tau.length).fill(1));
    this.track('pre_trace', this.xPre.trace.value);
    this.track('pre_trace_step', this.xPre.trace.last);
    this.yDecay = this.decayOf('post_tau', inputSpecs.post_spikes.shape).decay;
    this.yPost = this.track('post_trace', new Float32Array(this.nPost));
    this.aPlus = this.cfg('a_plus');
    this.aMinus = this.cfg('a_minus');
    this.kMax = this.cfg('max_clip');
  }

  step(): void {
    const { pre, post, xPre, yPost, yDecay, nPre, nPost, aPlus, aMinus, kMax } = this;
    const t = this.tick();
    xPre.add(pre, t);
    for (let o = 0; o < nPost; o++) yPost[o] *= yDecay[o];
    this.beginUpdate();
    const K = this.kOut;
    for (let c = 0; c < pre.count; c++) {
      const j = pre.indices[c];
      if (this.asyncPre) K[j] -= aMinus * yPost[(j / nPre) | 0];
      else for (let o = 0, k = j; o < nPost; o++, k += nPre) K[k] -= aMinus * yPost[o];
    }
    for (let c = 0; c < post.count; c++) yPost[post.indices[c]] += 1;
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      for (let i = 0, k = o * nPre; i < nPre; i++, k++) K[k] += aPlus * xPre.at(o, i, t);
    }
    if (this.clipAllIfPending(this.upper)) return;
    for (let c = 0; c < pre.count; c++) {
      const j = pre.indices[c];
      if (this.asyncPre) K[j] = clip(K[j], kMax);
      else for (let o = 0, k = j; o < nPost; o++, k += nPre) K[k] = clip(K[k], kMax);
    }
    for (let c = 0; c < post.count; c++) {
      for (let k = post.indices[c] * nPre, e = k + nPre; k < e; k++) K[k] = clip(K[k], kMax);
    }
  }

  reset(): void {
    this.resetBase();
    this.xPre.reset();
    this.yPost.fill(0);
  }
}

function clip(v: number, hi: number): number {
  return v < 0 ? 0 : v > hi ? hi : v;
}
