import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/builtins.ts';
import { FloatArray, type PortSpec, SpikeArray, specOf } from '../../src/core/payload.ts';
import type { Compat } from '../../src/core/module.ts';
import { Rng } from '../../src/core/rng.ts';
import type { Plasticity } from '../../src/components/plasticity/plasticity.ts';
import { OjaRule } from '../../src/components/plasticity/oja_rule.ts';
import { ZenkeRule } from '../../src/components/plasticity/zenke_rule.ts';
import { ThreeFactorHebbianRule } from '../../src/components/plasticity/three_factor_hebbian_rule.ts';
import { QuadrupletRule } from '../../src/components/plasticity/quadruplet_rule.ts';
import { QuadrupletRuleTensor } from '../../src/components/plasticity/quadruplet_rule_tensor.ts';
import { QuadrupletRuleTensorDense } from '../../src/components/plasticity/quadruplet_rule_tensor_dense.ts';
import { StdpRule } from '../../src/components/plasticity/stdp_rule.ts';
import { HebbianRule } from '../../src/components/plasticity/hebbian_rule.ts';
import { N2NDelays } from '../../src/components/delays/n2n_delays.ts';

interface RigOpts {
  nPre: number;
  nPost: number;
  K0: number[] | Float32Array;
  asyncPre?: boolean;
  preInh?: number[];
  postInh?: number[];
  /** Third-factor port and its size. */
  factor?: [string, number];
  pre?: SpikeArray;
}

/** Builds a rule on payloads shared with the test; the kernel is updated in place. */
function rig(rule: Plasticity, o: RigOpts) {
  const preShape = o.asyncPre ? [o.nPost, o.nPre] : [o.nPre];
  const preInh = o.preInh ? Uint8Array.from(o.asyncPre ? Array.from({ length: o.nPost }, () => o.preInh!).flat() : o.preInh) : undefined;
  const pre = o.pre ?? new SpikeArray(preShape, preInh, o.asyncPre);
  const post = new SpikeArray([o.nPost], o.postInh ? Uint8Array.from(o.postInh) : undefined);
  const kernel = new FloatArray([o.nPost, o.nPre]);
  kernel.data.set(o.K0);
  const inputs: Record<string, SpikeArray | FloatArray> = { pre_spikes: pre, post_spikes: post, kernel };
  let m: Float32Array = new Float32Array(0);
  if (o.factor) {
    const f = new FloatArray([o.factor[1]]);
    inputs[o.factor[0]] = f;
    m = f.data;
  }
  const specs: Record<string, PortSpec> = {};
  for (const [k, v] of Object.entries(inputs)) specs[k] = specOf(v);
  rule.build(specs);
  rule.bind(inputs);
  assert.ok(rule.aliasInPlace('kernel', kernel));
  const K = kernel.data;
  return {
    pre,
    post,
    K,
    m,
    /** One step with these pre entries and post units spiking. */
    step(preIdx: number[] = [], postIdx: number[] = []) {
      if (!o.pre) {
        pre.clear();
        for (const i of preIdx) pre.add(i);
      }
      post.clear();
      for (const i of postIdx) post.add(i);
      rule.step();
    },
  };
}

function close(a: number, b: number, tol = 1e-6, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${msg}: ${a} vs ${b}`);
}

test('oja_rule: K ← K + dt·η(y·s_pre − K·y²), traces first (post then pre)', () => {
  const r = rig(new OjaRule({ post_tau: 20, eta: 0.1 }), { nPre: 2, nPost: 1, K0: [0.5, 0.5] });
  r.step([], [0]);
  let y = 1 / 20;
  let k0 = 0.5 + 0.1 * (0 - 0.5 * y * y);
  close(r.K[0], k0);
  close(r.K[1], k0);
  r.step([0], []);
  y *= Math.exp(-1 / 20);
  const k1 = k0 + 0.1 * (0 - k0 * y * y);
  k0 = k0 + 0.1 * (y - k0 * y * y);
  close(r.K[0], k0);
  close(r.K[1], k1);
});

test('three_factor_hebbian_rule: pairings with per-neuron pre spikes, reward + baseline', () => {
  const g = 0.1;
  for (const [first, second] of [['pre', 'post'], ['post', 'pre']]) {
    const r = rig(new ThreeFactorHebbianRule({}), { nPre: 2, nPost: 2, K0: [1, 1, 1, 1], factor: ['reward', 1] });
    r.m[0] = 0.4;
    r.step(first === 'pre' ? [1] : [], first === 'post' ? [0] : []);
    r.step();
    r.step(second === 'pre' ? [1] : [], second === 'post' ? [0] : []);
    // Either order: ΔK[0,1] = γ·(r + 0.1)·e^{−2/10}/10 (symmetric Hebbian window).
    const dk = g * (0.4 + 0.1) * (Math.exp(-2 / 10) / 10);
    close(r.K[1], 1 + dk, 1e-6, `${first}-before-${second}`);
    assert.deepEqual([r.K[0], r.K[2], r.K[3]], [1, 1, 1]);
  }
  // reward_baseline is a field; r + r_0 = 0 freezes learning.
  const r = rig(new ThreeFactorHebbianRule({ reward_baseline: -0.4 }), { nPre: 1, nPost: 1, K0: [1], factor: ['reward', 1] });
  r.m[0] = 0.4;
  r.step([0], []);
  r.step([], [0]);
  assert.equal(r.K[0], 1);
});

test('three_factor_hebbian_rule: per-synapse (N2N) spikes equal per-neuron spikes delayed alike', () => {
  const rng = new Rng(4);
  const nPre = 6;
  const nPost = 4;
  const input = new SpikeArray([nPre]);
  const delays = new N2NDelays({ units: [nPost], max_delay: 1 });
  delays.build({ in_spikes: specOf(input) });
  delays.bind({ in_spikes: input });
  const K0 = Float32Array.from({ length: nPre * nPost }, () => rng.uniform());
  const a = rig(new ThreeFactorHebbianRule({}), { nPre, nPost, K0, asyncPre: true, factor: ['reward', 1], pre: delays.out.out_spikes as SpikeArray });
  const b = rig(new ThreeFactorHebbianRule({}), { nPre, nPost, K0, factor: ['reward', nPost] });
  let prev: number[] = [];
  for (let t = 0; t < 500; t++) {
    input.clear();
    const now: number[] = [];
    for (let i = 0; i < nPre; i++) if (rng.uniform() < 0.2) {
      input.add(i);
      now.push(i);
    }
    delays.step();
    const post: number[] = [];
    for (let o = 0; o < nPost; o++) if (rng.uniform() < 0.15) post.push(o);
    a.m[0] = rng.uniform() - 0.5;
    b.m.fill(a.m[0]);
    a.step([], post);
    b.step(prev, post);
    prev = now;
  }
  for (let k = 0; k < K0.length; k++) close(a.K[k], b.K[k], 1e-5, `synapse ${k}`);
});

test('quadruplet_rule: η·(m + 0.1)·(α·s_pre + β·y·s_pre + γ·s_post + δ·s_post·x_pre)', () => {
  const cfg = { q_alpha: 0.5, q_beta: -2, q_gamma: 0.25, q_delta: 3, gamma: 0.1 };
  const mm = 0.3;
  const eta = 0.1 * (mm + 0.1);
  // pre at step 1, post at step 3.
  let r = rig(new QuadrupletRule(cfg), { nPre: 1, nPost: 1, K0: [2], factor: ['modulation', 1] });
  r.m[0] = mm;
  r.step([0], []);
  close(r.K[0], 2 + eta * 0.5);
  r.step();
  r.step([], [0]);
  close(r.K[0], 2 + eta * 0.5 + eta * (0.25 + 3 * (Math.exp(-0.2) / 10)), 1e-6, 'pre before post');
  // post at step 1, pre at step 3.
  r = rig(new QuadrupletRule(cfg), { nPre: 1, nPost: 1, K0: [2], factor: ['modulation', 1] });
  r.m[0] = mm;
  r.step([], [0]);
  r.step();
  r.step([0], []);
  close(r.K[0], 2 + eta * 0.25 + eta * (0.5 - 2 * (Math.exp(-0.2) / 10)), 1e-6, 'post before pre');
});

const TENSOR = {
  pre_tau: [10, 15, 20, 40],
  post_tau: [14, 27, 16, 12],
  q_alpha: [1.2, 1.0, -1.1, -1.3],
  q_beta: [-1.3, -1.2, 1.6, 1.05],
  q_gamma: [0.4, 1.6, 1.8, -1.2],
  q_delta: [-0.75, 0.4, -1.7, 1.5],
  max_clip: [50, 50, 100, 100],
  eta: 0.1,
};

for (const compat of ['correct', 'spark'] as Compat[]) {
  test(`quadruplet_rule_tensor (${compat}): per-type pairings EE/EI/IE/II from the real masks`, () => {
    const eta = 0.1;
    const mm = 0.5;
    const type = (o: number, i: number) => (compat === 'spark' ? 0 : 2 * o + i);
    for (const order of ['pre-post', 'post-pre']) {
      // Pre unit 1 and post unit 1 are inhibitory: T[o,i] = 2·o + i.
      const r = rig(new QuadrupletRuleTensor(TENSOR, { compat }), {
        nPre: 2, nPost: 2, K0: [5, 5, 5, 5], preInh: [0, 1], postInh: [0, 1], factor: ['modulation', 1],
      });
      r.m[0] = mm;
      if (order === 'pre-post') {
        r.step([0, 1], []);
        r.step();
        r.step([], [0, 1]);
      } else {
        r.step([], [0, 1]);
        r.step();
        r.step([0, 1], []);
      }
      for (let o = 0; o < 2; o++) {
        for (let i = 0; i < 2; i++) {
          const T = type(o, i);
          const a = TENSOR.q_alpha[T];
          const g = TENSOR.q_gamma[T];
          const expected =
            order === 'pre-post'
              ? 5 + eta * mm * a + eta * mm * (g + TENSOR.q_delta[T] * (Math.exp(-2 / TENSOR.pre_tau[T]) / TENSOR.pre_tau[T]))
              : 5 + eta * mm * g + eta * mm * (a + TENSOR.q_beta[T] * (Math.exp(-2 / TENSOR.post_tau[T]) / TENSOR.post_tau[T]));
          close(r.K[o * 2 + i], expected, 1e-6, `${order} T=${T}`);
        }
      }
    }
  });
}

test('quadruplet_rule_tensor: clips to [0, max_clip[T]] (also the initial kernel)', () => {
  const r = rig(new QuadrupletRuleTensor({ ...TENSOR, max_clip: [1, 2, 3, 4] }), {
    nPre: 2, nPost: 2, K0: [9, 9, -1, 9], preInh: [0, 1], postInh: [0, 1], factor: ['modulation', 1],
  });
  r.m[0] = 0;
  r.step();
  assert.deepEqual([...r.K], [1, 2, 0, 4]);
  r.m[0] = 1000;
  r.step([], [1]);
  // Row 1 types IE (γ 1.8 > 0) → max 3; II (γ −1.2 < 0) → 0.
  assert.deepEqual([...r.K], [1, 2, 3, 0]);
});

/** The event-driven tensor rule against the dense Spark-form reference over random traffic. */
function tensorAgreement(asyncPre: boolean, modPerPost: boolean, steps: number): number {
  const rng = new Rng(21);
  const nPre = 24;
  const nPost = 16;
  const preInh = Uint8Array.from({ length: nPre }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const postInh = Array.from({ length: nPost }, (_, o) => (o % 5 === 0 ? 1 : 0));
  const input = new SpikeArray([nPre], preInh);
  let pre: SpikeArray | undefined;
  let delays: N2NDelays | undefined;
  if (asyncPre) {
    delays = new N2NDelays({ units: [nPost], max_delay: 4, seed: 8 });
    delays.build({ in_spikes: specOf(input) });
    delays.bind({ in_spikes: input });
    pre = delays.out.out_spikes as SpikeArray;
  } else pre = input;
  const K0 = Float32Array.from({ length: nPre * nPost }, () => (rng.uniform() < 0.5 ? 0 : 10 * rng.uniform()));
  const cfg = { ...TENSOR, max_clip: [6, 8, 7, 9] };
  const opts = { nPre, nPost, K0, asyncPre, postInh, pre, factor: ['modulation', modPerPost ? nPost : 1] as [string, number] };
  const a = rig(new QuadrupletRuleTensor(cfg), opts);
  const b = rig(new QuadrupletRuleTensorDense(cfg), opts);
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    input.clear();
    for (let i = 0; i < nPre; i++) if (rng.uniform() < 0.08) input.add(i);
    delays?.step();
    const post: number[] = [];
    for (let o = 0; o < nPost; o++) if (rng.uniform() < 0.06) post.push(o);
    for (let o = 0; o < a.m.length; o++) a.m[o] = (rng.uniform() - 0.3) * 2;
    b.m.set(a.m);
    a.step([], post);
    b.step([], post);
    for (let k = 0; k < K0.length; k++) worst = Math.max(worst, Math.abs(a.K[k] - b.K[k]));
  }
  return worst;
}

test('quadruplet_rule_tensor: event-driven form equals the dense form to 1e-5 over 3000 steps', () => {
  for (const [asyncPre, perPost] of [[true, false], [false, false], [true, true], [false, true]]) {
    const worst = tensorAgreement(asyncPre, perPost, 3000);
    assert.ok(worst < 1e-5, `async=${asyncPre} perPost=${perPost}: max |ΔK| = ${worst}`);
  }
});

test('zenke_rule: transmitter-induced term alone (pre spike, no post): K ← K + dt·η·d', () => {
  const r = rig(new ZenkeRule({}), { nPre: 2, nPost: 1, K0: [0.5, 0.5] });
  r.step([0], []);
  close(r.K[0], 0.5 + 0.1 * 1);
  close(r.K[1], 0.5);
});

test('zenke_rule: post spike after pre spike (triplet LTP, heterosynaptic, target trace)', () => {
  const r = rig(new ZenkeRule({}), { nPre: 1, nPost: 1, K0: [0.5] });
  const P = 20;
  const tw = 20000;
  const dw = Math.exp(-1 / tw);
  const target = (w: number, K: number) => dw * w + (K - P * w * (0.25 - w) * (0.5 - w)) / tw;
  // Step 1: pre spike. x = 1/20; K += η·(b·y·1 + d) with y = 0.
  r.step([0], []);
  let w = target(0, 0.5);
  let K = 0.5 + 0.1 * 1;
  close(r.K[0], K);
  // Step 2: post spike. y = ȳ = 1/20, x = e^{−1/20}/20.
  r.step([], [0]);
  const x = Math.exp(-1 / 20) / 20;
  const y = 1 / 20;
  w = target(w, K);
  K = K + 0.1 * (1 * y * x + -1 * (K - w) * y ** 3);
  close(r.K[0], K);
});

test('stdp_rule: pre-before-post potentiates by A₊e^{−Δt/τ₊}, post-before-pre depresses by A₋e^{−Δt/τ₋}', () => {
  for (const [first, sign] of [['pre', 1], ['post', -1]] as const) {
    const r = rig(new StdpRule({ a_plus: 0.01, a_minus: 0.012, max_clip: 1 }), { nPre: 1, nPost: 1, K0: [0.5] });
    r.step(first === 'pre' ? [0] : [], first === 'post' ? [0] : []);
    for (let t = 0; t < 4; t++) r.step();
    r.step(first === 'pre' ? [] : [0], first === 'pre' ? [0] : []);
    const amp = sign > 0 ? 0.01 : 0.012;
    close(r.K[0], 0.5 + sign * amp * Math.exp(-5 / 20), 1e-6, `${first} first`);
  }
});

test('stdp_rule: a same-step pair counts as pre-before-post (+A₊, Brian2 pathway order)', () => {
  const r = rig(new StdpRule({ a_plus: 0.01, a_minus: 0.012, max_clip: 1 }), { nPre: 1, nPost: 1, K0: [0.5] });
  r.step([0], [0]);
  close(r.K[0], 0.51);
});

test('hebbian_rule: pre-before-post and post-before-pre both add η·e^{−Δt/τ}/τ (ordinary and N2N spikes)', () => {
  for (const asyncPre of [false, true]) {
    for (const order of ['pre-post', 'post-pre']) {
      const r = rig(new HebbianRule({}), { nPre: 2, nPost: 2, K0: [1, 1, 1, 1], asyncPre });
      const preIdx = asyncPre ? [1 * 2 + 0] : [0]; // synapse (1, 0) or pre unit 0
      r.step(order === 'pre-post' ? preIdx : [], order === 'pre-post' ? [] : [1]);
      r.step();
      r.step(order === 'pre-post' ? [] : preIdx, order === 'pre-post' ? [1] : []);
      close(r.K[2], 1 + 0.01 * (Math.exp(-2 / 20) / 20), 1e-6, `${order} async=${asyncPre}`);
      assert.equal(r.K[3], 1);
    }
  }
});
