/**
 * QuadrupletRuleTensor: the quadruplet rule with parameters per synapse type (EE, EI, IE, II),
 * the rule of Spark's cartpole brain. Equations in `equations` (Spark:
 * spark/nn/components/plasticity/quadruplet_rule.py, QuadrupletRuleTensor).
 *
 * Event-driven and exact (up to float rounding) against Spark's dense form
 * (QuadrupletRuleTensorDense):
 * - y_post[o,i] depends on i only through the pre class, so it is kept per (o, pre class);
 * - x_pre[o,i] for ordinary spikes depends on o only through the post class: per (post class, i);
 *   for per-synapse (N2N-delayed) spikes it is per synapse, decayed lazily on read (LazyTrace);
 * - α, β touch only the entries of arriving presynaptic spikes, γ, δ only the rows of spiking
 *   postsynaptic units, and only those entries are clipped.
 * So a step costs the spikes times their fan-out, not post × pre.
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { FloatArray, PortSpec } from '../../core/payload.ts';
import { LazyTrace } from '../tracers.ts';
import { Plasticity } from './plasticity.ts';
import {
  quadrupletTensorEquations,
  quadrupletTensorInputs,
  quadrupletTensorSchema,
  synapseClasses,
  type TypeParams,
  typeParams,
} from './quadruplet_tensor_params.ts';

export class QuadrupletRuleTensor extends Plasticity {
  static readonly type: string = 'quadruplet_rule_tensor';
  static override readonly inputs = quadrupletTensorInputs;
  static readonly schema: ConfigSchema = quadrupletTensorSchema;
  static readonly summary = 'Modulated quadruplet rule with parameters per synapse type (EE, EI, IE, II).';
  static readonly reference = 'Spark: spark/nn/components/plasticity/quadruplet_rule.py (QuadrupletRuleTensor)';
  static readonly equations = quadrupletTensorEquations;

  /** Inhibition class of each pre / post unit (see synapseClasses). */
  preCls!: Uint8Array;
  postCls!: Uint8Array;
  private p!: TypeParams;
  /** Pre trace: per synapse (async) or per (post class, pre unit); τ by synapse type. */
  private x!: LazyTrace;
  /** Jump 1/τ_pre[T] by synapse type. */
  private xJump!: Float64Array;
  /** Post trace per (post unit, pre class): y[o·2 + q]. */
  yPost!: Float32Array;
  private yDecay!: Float32Array;
  private yJump!: Float32Array;
  private eta = 0;
  private mStride = 0;
  private mod!: Float32Array;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    this.p = typeParams(this.config.values);
    this.eta = this.cfg('eta');
    this.mStride = this.factorStride(inputSpecs, 'modulation');
    this.yPost = this.track('post_trace', new Float32Array(this.nPost * 2));
    // Classes from the build-time flags; `connect` refreshes them from the bound payloads.
    const flags = (inh: Uint8Array | undefined, n: number) => Uint8Array.from({ length: n }, (_, i) => (inh?.[i] ? 1 : 0));
    const spark = this.compat === 'spark';
    this.buildTraces(
      spark ? new Uint8Array(this.nPre) : flags(inputSpecs.pre_spikes.inhibitory, this.nPre),
      spark ? new Uint8Array(this.nPost) : flags(inputSpecs.post_spikes.inhibitory, this.nPost),
    );
  }

  private buildTraces(preCls: Uint8Array, postCls: Uint8Array): void {
    const { nPre, nPost, p } = this;
    this.preCls = preCls;
    this.postCls = postCls;
    const m = this.asyncPre ? nPost * nPre : 2 * nPre;
    this.x = new LazyTrace(m, this.dt, p.preTau);
    this.xJump = p.preTau.map((t) => 1 / t);
    this.track('pre_trace', this.x.value);
    this.track('pre_trace_step', this.x.last);
    this.yDecay = new Float32Array(nPost * 2);
    this.yJump = new Float32Array(nPost * 2);
    for (let o = 0; o < nPost; o++) {
      for (let q = 0; q < 2; q++) {
        const t = p.postTau[2 * postCls[o] + q];
        this.yDecay[o * 2 + q] = Math.exp(-this.dt / t);
        this.yJump[o * 2 + q] = 1 / t;
      }
    }
  }

  protected override connect(): void {
    super.connect();
    this.mod = (this.in.modulation as FloatArray).data;
    const { preCls, postCls } = synapseClasses(this.pre, this.post, this.nPre, this.nPost, this.compat);
    if (!sameBytes(preCls, this.preCls) || !sameBytes(postCls, this.postCls)) {
      // Flags changed after build (e.g. a mask bound late): re-derive τ per entry; traces restart.
      this.buildTraces(preCls, postCls);
      this.reset();
    }
  }

  step(): void {
    const { pre, post, x, xJump, yPost, yDecay, yJump, preCls, postCls, nPre, nPost, mod, mStride, asyncPre } = this;
    const { alpha, beta, gamma, delta, maxClip } = this.p;
    const t = this.tick();
    const sPost = post.mask;
    // Post traces first (this step's spikes count, as in Spark).
    for (let j = 0; j < 2 * nPost; j++) yPost[j] *= yDecay[j];
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      yPost[2 * o] += yJump[2 * o];
      yPost[2 * o + 1] += yJump[2 * o + 1];
    }
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * this.eta;
    const fullClip = this.fullClipPending;
    // One pass over the presynaptic spikes: bump x_pre, add α + β·y_post, and clip unless the
    // row also spikes (then the row pass adds γ + δ·x_pre and clips once, as Spark does).
    for (let c = 0; c < pre.count; c++) {
      const e = pre.indices[c];
      if (asyncPre) {
        const o = (e / nPre) | 0;
        const q = preCls[e - o * nPre];
        const T = 2 * postCls[o] + q;
        x.bumpClass(e, t, xJump[T], T);
        const v = K[e] + g * mod[o * mStride] * (alpha[T] + beta[T] * yPost[2 * o + q]);
        K[e] = sPost[o] ? v : clip(v, maxClip[T]);
      } else {
        const q = preCls[e];
        x.bumpClass(e, t, xJump[q], q);
        x.bumpClass(nPre + e, t, xJump[2 + q], 2 + q);
        for (let o = 0, k = e; o < nPost; o++, k += nPre) {
          const T = 2 * postCls[o] + q;
          const v = K[k] + g * mod[o * mStride] * (alpha[T] + beta[T] * yPost[2 * o + q]);
          K[k] = sPost[o] ? v : clip(v, maxClip[T]);
        }
      }
    }
    // γ + δ·x_pre on the rows of spiking postsynaptic units, then clip.
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      const f = g * mod[o * mStride];
      const pc = postCls[o];
      const row = o * nPre;
      const xBase = asyncPre ? row : pc * nPre;
      for (let i = 0; i < nPre; i++) {
        const T = 2 * pc + preCls[i];
        K[row + i] = clip(K[row + i] + f * (gamma[T] + delta[T] * x.readClass(xBase + i, t, T)), maxClip[T]);
      }
    }
    if (fullClip) {
      this.fullClipPending = false;
      for (let o = 0, k = 0; o < nPost; o++) {
        for (let i = 0; i < nPre; i++, k++) K[k] = clip(K[k], maxClip[2 * postCls[o] + preCls[i]]);
      }
    }
  }

  reset(): void {
    this.resetBase();
    this.x.reset();
    this.yPost.fill(0);
  }
}

function clip(v: number, hi: number): number {
  return v < 0 ? 0 : v > hi ? hi : v;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
