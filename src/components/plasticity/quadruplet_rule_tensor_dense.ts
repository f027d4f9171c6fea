/**
 * QuadrupletRuleTensorDense: the straightforward dense form of QuadrupletRuleTensor, kernel-shaped
 * traces and parameters updated every step exactly as Spark writes it. Not registered; it is the
 * reference the event-driven rule is tested against. Cost O(post × pre) per step.
 * Spark: spark/nn/components/plasticity/quadruplet_rule.py (QuadrupletRuleTensor).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { FloatArray, PortSpec } from '../../core/payload.ts';
import { Plasticity } from './plasticity.ts';
import {
  quadrupletTensorEquations,
  quadrupletTensorInputs,
  quadrupletTensorSchema,
  synapseClasses,
  type TypeParams,
  typeParams,
} from './quadruplet_tensor_params.ts';

export class QuadrupletRuleTensorDense extends Plasticity {
  static readonly type: string = 'quadruplet_rule_tensor';
  static override readonly inputs = quadrupletTensorInputs;
  static readonly schema: ConfigSchema = quadrupletTensorSchema;
  static readonly summary = 'Dense reference form of quadruplet_rule_tensor.';
  static readonly reference = 'Spark: spark/nn/components/plasticity/quadruplet_rule.py (QuadrupletRuleTensor)';
  static readonly equations = quadrupletTensorEquations;

  x!: Float32Array;
  y!: Float32Array;
  private T!: Uint8Array;
  private p!: TypeParams;
  private eta = 0;
  private mStride = 0;
  private mod!: Float32Array;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    const n = this.nPost * this.nPre;
    this.x = this.track('pre_trace', new Float32Array(n));
    this.y = this.track('post_trace', new Float32Array(n));
    this.T = new Uint8Array(n);
    this.mStride = this.factorStride(inputSpecs, 'modulation');
    this.p = typeParams(this.config.values);
    this.eta = this.cfg('eta');
  }

  protected override connect(): void {
    super.connect();
    this.mod = (this.in.modulation as FloatArray).data;
    const { preCls, postCls } = synapseClasses(this.pre, this.post, this.nPre, this.nPost, this.compat);
    for (let o = 0; o < this.nPost; o++) for (let i = 0; i < this.nPre; i++) this.T[o * this.nPre + i] = 2 * postCls[o] + preCls[i];
  }

  step(): void {
    const { nPre, nPost, x, y, T, pre, post, mod, mStride, p, eta } = this;
    this.beginUpdate();
    const K = this.kOut;
    for (let o = 0; o < nPost; o++) {
      const sPost = post.mask[o];
      const m = mod[o * mStride];
      for (let i = 0; i < nPre; i++) {
        const k = o * nPre + i;
        const t = T[k];
        const sPre = this.asyncPre ? pre.mask[k] : pre.mask[i];
        x[k] = Math.exp(-this.dt / p.preTau[t]) * x[k] + sPre / p.preTau[t];
        y[k] = Math.exp(-this.dt / p.postTau[t]) * y[k] + sPost / p.postTau[t];
        const dK = eta * m * (p.alpha[t] * sPre + p.beta[t] * y[k] * sPre + p.gamma[t] * sPost + p.delta[t] * x[k] * sPost);
        K[k] = Math.min(Math.max(K[k] + this.dt * dK, 0), p.maxClip[t]);
      }
    }
  }

  reset(): void {
    this.resetBase();
    this.x.fill(0);
    this.y.fill(0);
  }
}
