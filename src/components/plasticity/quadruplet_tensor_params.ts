/**
 * Shared pieces of the tensor quadruplet rule and its dense reference: the config fields (4-tuples
 * ordered EE, EI, IE, II) and the synapse type T[o,i] = 2·post_inhibitory[o] + pre_inhibitory[i]
 * (0 EE, 1 EI: inhibitory pre, 2 IE: inhibitory post, 3 II).
 */
import { field, moduleBaseFields } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { Compat } from '../../core/module.ts';
import type { SpikeArray } from '../../core/payload.ts';
import { plasticityInputs } from './plasticity.ts';

const order = '(order: EE, EI, IE, II)';

export const quadrupletTensorInputs = {
  modulation: { payload: 'float_array' as const, description: 'Modulation: one value, or one per postsynaptic unit.' },
  ...plasticityInputs,
};

export const quadrupletTensorSchema: ConfigSchema = {
  type: 'quadruplet_rule_tensor_config',
  classRef: 'quadruplet_rule_tensor',
  fields: {
    ...moduleBaseFields,
    pre_tau: field.tuple([10, 10, 10, 10], `Time constant of the presynaptic trace per synapse type ${order}.`, { unit: 'ms', symbol: 'τ_pre', validators: ['positive'] }),
    post_tau: field.tuple([10, 10, 10, 10], `Time constant of the postsynaptic trace per synapse type ${order}.`, { unit: 'ms', symbol: 'τ_post', validators: ['positive'] }),
    q_alpha: field.tuple([1, 1, 1, 1], `Weight of the presynaptic term ${order}.`, { symbol: 'α' }),
    q_beta: field.tuple([1, 1, 1, 1], `Weight of the pre-spike × post-trace term ${order}.`, { symbol: 'β' }),
    q_gamma: field.tuple([1, 1, 1, 1], `Weight of the postsynaptic term ${order}.`, { symbol: 'γ' }),
    q_delta: field.tuple([1, 1, 1, 1], `Weight of the post-spike × pre-trace term ${order}.`, { symbol: 'δ' }),
    max_clip: field.tuple([20, 20, 20, 20], `Largest weight ${order}.`, { symbol: 'K_max' }),
    eta: field.float(0.1, 'Learning rate.', { symbol: 'η' }),
  },
};

export const quadrupletTensorEquations = [
  'T[o,i] = 2·inh_post[o] + inh_pre[i]  (0 EE, 1 EI, 2 IE, 3 II; compat spark: T = 0 everywhere)',
  'x_pre[o,i] ← exp(−dt/τ_pre[T])·x_pre[o,i] + s_pre[o,i]/τ_pre[T]',
  'y_post[o,i] ← exp(−dt/τ_post[T])·y_post[o,i] + s_post[o]/τ_post[T]',
  'ΔK = η·m·( α[T]·s_pre + β[T]·y_post·s_pre + γ[T]·s_post + δ[T]·x_pre·s_post )',
  'K ← clip(K + dt·ΔK, 0, max_clip[T])',
  'Traces are updated with this step’s spikes before ΔK (Spark’s order).',
].join('\n');

/** Per-type parameters as Float64Array(4) each. */
export interface TypeParams {
  preTau: Float64Array;
  postTau: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  gamma: Float64Array;
  delta: Float64Array;
  maxClip: Float64Array;
}

export function typeParams(values: Record<string, unknown>): TypeParams {
  const t = (name: string) => Float64Array.from(values[name] as number[]);
  return {
    preTau: t('pre_tau'),
    postTau: t('post_tau'),
    alpha: t('q_alpha'),
    beta: t('q_beta'),
    gamma: t('q_gamma'),
    delta: t('q_delta'),
    maxClip: t('max_clip'),
  };
}

/**
 * Inhibition class (0/1) of each pre and post unit, from the real flags of the bound spikes. For
 * per-synapse pre spikes the flag of pre unit i is that of synapse (0, i). Spark loses the masks
 * at build, so under compat 'spark' every class is 0 (EE parameters everywhere).
 */
export function synapseClasses(
  pre: SpikeArray,
  post: SpikeArray,
  nPre: number,
  nPost: number,
  compat: Compat,
): { preCls: Uint8Array; postCls: Uint8Array } {
  const preCls = new Uint8Array(nPre);
  const postCls = new Uint8Array(nPost);
  if (compat !== 'spark') {
    for (let i = 0; i < nPre; i++) preCls[i] = pre.inhibitory[i] ? 1 : 0;
    for (let o = 0; o < nPost; o++) postCls[o] = post.inhibitory[o] ? 1 : 0;
  }
  return { preCls, postCls };
}
