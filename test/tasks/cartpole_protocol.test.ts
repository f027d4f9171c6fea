/**
 * The cartpole tutorial's protocol (Spark tutorials/cartpole.ipynb; spark-inventory.md §4):
 * exact brain-input sequences with a recording stand-in brain and a scripted environment, a
 * small real Brain on the real CartPole, and (when the loader and components are registered)
 * a short training run of the shipped ab_brain.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import '../../src/index.ts';
import { Brain, REGISTRY } from '../../src/index.ts';
import type { FloatArray } from '../../src/core/payload.ts';
import type { Neuron } from '../../src/controllers/neuron.ts';
import { loadCartpoleBrain, loadCartpoleCheckpoint, saveCartpoleCheckpoint } from '../../src/cli/cartpole.ts';
import { CartPole } from '../../src/envs/cartpole.ts';
import type { DiscreteActionSpec, Environment, ObservationSpec, StepResult } from '../../src/envs/environment.ts';
import {
  argmax,
  CARTPOLE_PROTOCOL as P,
  CartpoleProtocol,
  modulationScale,
  processObservation,
  steeringModulation,
} from '../../src/tasks/cartpole/protocol.ts';
import { curveCsv, parseCurveCsv, summarizeCurve } from '../../src/tasks/cartpole/curve.ts';
import { learningCurveSvg } from '../../src/tasks/cartpole/plot.ts';

const f32 = Math.fround;

/** Records every step's inputs (signal 4 values, then mod_a_ex, mod_a_in, mod_b_ex, mod_b_in). */
class RecordingBrain {
  calls: number[][] = [];
  private readonly action = { data: new Float32Array(2) };
  constructor(private readonly policy: (call: number) => number = () => 0) {}
  /** `steps` steps with the same inputs, as Brain.run: one recorded call per step. */
  run(inputs: Record<string, ArrayLike<number>>, steps = 1): Record<string, object> {
    const row = [...Array.from(inputs.signal)];
    for (const k of ['mod_a_ex', 'mod_a_in', 'mod_b_ex', 'mod_b_in']) row.push(inputs[k][0]);
    for (let k = 0; k < steps; k++) this.calls.push(row);
    const a = this.policy(this.calls.length - 1);
    this.action.data[0] = a === 0 ? 1 : 0;
    this.action.data[1] = a === 1 ? 1 : 0;
    return { action: this.action };
  }
}

interface ScriptedEpisode {
  /** Raw observations after each step; the last one ends the episode. */
  obs: number[][];
  terminated: boolean;
  truncated: boolean;
}

/** Plays scripted episodes; records reset seeds and actions. */
class ScriptedEnv implements Environment<Float64Array, number, null> {
  readonly observationSpec: ObservationSpec = { shape: [4], low: [], high: [], names: [] };
  readonly actionSpec: DiscreteActionSpec = { n: 2, names: ['left', 'right'] };
  resets: Array<number | undefined> = [];
  actions: number[] = [];
  private ep = -1;
  private t = 0;
  constructor(private readonly episodes: ScriptedEpisode[]) {}
  reset(seed?: number): Float64Array {
    this.resets.push(seed);
    // The first (seeded) reset is the tutorial's setup call; episodes start at the next one.
    if (this.resets.length > 1) this.ep++;
    this.t = 0;
    return Float64Array.from([0.24, -0.25, 0.02095, 0.35]);
  }
  step(action: number): StepResult<Float64Array> {
    this.actions.push(action);
    const e = this.episodes[this.ep];
    const o = e.obs[this.t++];
    const last = this.t === e.obs.length;
    return { observation: Float64Array.from(o), reward: 0, terminated: last && e.terminated, truncated: last && e.truncated };
  }
  getState(): null {
    return null;
  }
  setState(): void {}
}

const norm = (o: number[]): number[] => Array.from(processObservation(o, new Float64Array(4))).map(f32);

describe('cartpole protocol helpers', () => {
  it('scales observations by [2.4, 2.5, 0.2095, 3.5] and clips to [-1, 1]', () => {
    const out = processObservation([1.2, -5, 0.2095 / 2, 3.5], new Float64Array(4));
    assert.deepEqual(Array.from(out), [0.5, -1, 0.5, 1]);
  });

  it('modulation scale is sqrt(1 - ema/500)', () => {
    assert.equal(modulationScale(0), 1);
    assert.equal(modulationScale(375), 0.5);
    assert.equal(modulationScale(500), 0);
  });

  it('steers toward the side the pole fell, or to the centre when out of bounds with the pole upright', () => {
    // Pole fell to the right (θ > 0): B (push right) should have acted; A is punished.
    let s = steeringModulation([0.2, 0, 1, 0], 0.5);
    assert.deepEqual(s, { outOfBounds: false, byCartPosition: false, steerToB: true, modA: -12.5, modB: 1.25 });
    // Pole fell to the left.
    s = steeringModulation([0.2, 0, -1, 0], 1);
    assert.deepEqual(s, { outOfBounds: false, byCartPosition: false, steerToB: false, modA: 2.5, modB: -25 });
    // Out of bounds on the left, pole nearly upright: push right (B).
    s = steeringModulation([-1, 0, 0.049, 0], 1);
    assert.deepEqual(s, { outOfBounds: true, byCartPosition: true, steerToB: true, modA: -25, modB: 2.5 });
    // Out of bounds on the right with |θ_norm| ≥ 0.05: the pole rule decides (θ < 0 → A).
    s = steeringModulation([1, 0, -0.05, 0], 1);
    assert.deepEqual(s, { outOfBounds: true, byCartPosition: false, steerToB: false, modA: 2.5, modB: -25 });
  });

  it('OOB threshold (a variant, 0.05 in the tutorial): raised to 1, every out-of-bounds failure steers to the centre', () => {
    const p = { ...P, rewardOobThreshold: 1 };
    // Off the left edge with the pole leaning left: the tutorial pushes left (A), the variant right (B).
    assert.equal(steeringModulation([-1, 0, -0.3, 0], 1).steerToB, false);
    assert.equal(steeringModulation([-1, 0, -0.3, 0], 1, p).steerToB, true);
    assert.equal(steeringModulation([1, 0, 0.9, 0], 1, p).steerToB, false);
    // A pole failure inside the track still follows the pole.
    assert.equal(steeringModulation([0.5, 0, 1, 0], 1, p).steerToB, true);
    const make = (rewardOobThreshold: number) => new CartpoleProtocol(new RecordingBrain(() => 0), new ScriptedEnv([]), { params: { rewardOobThreshold } });
    for (const bad of [-0.1, Number.NaN]) assert.throws(() => make(bad), /rewardOobThreshold must be >= 0/);
  });

  it('modulation floor (a variant, 0 in the tutorial) bounds the scale from below; bad values are refused', () => {
    const make = (modulationFloor?: number) =>
      new CartpoleProtocol(new RecordingBrain(() => 0), new ScriptedEnv([]), modulationFloor === undefined ? {} : { params: { modulationFloor } });
    const state = { episode: 10, ema: 499, laggedEma: 495, started: true };
    const tutorial = make();
    tutorial.setState(state);
    assert.equal(tutorial.nextModulationScale, modulationScale(495));
    const floored = make(0.3);
    floored.setState(state);
    assert.equal(floored.nextModulationScale, 0.3);
    floored.setState({ ...state, laggedEma: 100 });
    assert.equal(floored.nextModulationScale, modulationScale(100));
    for (const bad of [-0.1, 1.5, Number.NaN]) assert.throws(() => make(bad), /modulationFloor must be in \[0, 1\]/);
  });

  it('argmax takes the first maximum, like numpy', () => {
    assert.equal(argmax([0.5, 0.5]), 0);
    assert.equal(argmax([0.1, 0.2]), 1);
    assert.equal(argmax([0, 0]), 0);
  });
});

describe('cartpole protocol mechanics (recording stand-in)', () => {
  // Episode 0: pole falls right after 3 steps; 1: out of bounds left, pole upright, after 2;
  // 2: truncated after 2; 3: terminated and truncated on the same step (counts as truncated).
  const episodes: ScriptedEpisode[] = [
    { obs: [[0.1, 0.1, 0.01, 0.1], [0.2, 0.2, 0.05, 0.2], [0.3, 0.3, 0.25, 0.3]], terminated: true, truncated: false },
    { obs: [[-2.0, -1, 0.001, 0], [-2.5, -1, 0.002, 0]], terminated: true, truncated: false },
    { obs: [[0, 0, 0, 0], [0.01, 0, 0, 0]], terminated: false, truncated: true },
    { obs: [[0, 0, 0.3, 0]], terminated: true, truncated: true },
  ];

  it('feeds the exact input sequence: priming, warm-up, 50 steps per action, decaying steering rollout', () => {
    const brain = new RecordingBrain((c) => (c % 2 === 0 ? 1 : 0));
    const env = new ScriptedEnv(episodes);
    const proto = new CartpoleProtocol(brain, env);
    const recs = episodes.map(() => proto.runEpisode());

    // First reset seeded 42, every later one unseeded.
    assert.deepEqual(env.resets, [42, undefined, undefined, undefined, undefined]);
    assert.deepEqual(recs.map((r) => [r.steps, r.outcome]), [
      [3, 'pole_fell'],
      [2, 'out_of_bounds'],
      [2, 'truncated'],
      [1, 'truncated'],
    ]);
    // Network steps: warm-up 50 + 50 per env step + 50 for a steering rollout.
    assert.deepEqual(recs.map((r) => r.networkSteps), [50 + 150 + 50, 50 + 100 + 50, 50 + 100, 50 + 50]);
    assert.equal(brain.calls.length, 1 + recs.reduce((a, r) => a + r.networkSteps, 0));
    assert.equal(proto.networkSteps, brain.calls.length);

    // The scale lags one episode: 1, 1, then from EMA after episode 0, then after episode 1.
    const ema0 = 0.8 * 0 + (1 - 0.8) * 3;
    const ema1 = 0.8 * ema0 + (1 - 0.8) * 2;
    const ema2 = 0.8 * ema1 + (1 - 0.8) * 2;
    const scales = [1, 1, (1 - ema0 / 500) ** 0.5, (1 - ema1 / 500) ** 0.5];
    assert.deepEqual(recs.map((r) => r.modulationScale), scales);
    assert.deepEqual(recs.map((r) => r.ema), [ema0, ema1, ema2, 0.8 * ema2 + (1 - 0.8) * 1]);

    // Build the expected sequence.
    const reset = norm([0.24, -0.25, 0.02095, 0.35]);
    const expected: number[][] = [[...reset, 0, 0, 0, 0]]; // priming step
    episodes.forEach((ep, e) => {
      const s = scales[e];
      for (let k = 0; k < 50; k++) expected.push([0, 0, 0, 0, 0, 0, 0, 0]);
      const passive = [f32(P.passiveModulationScale * s), f32(P.passiveModulationScale * s * 0.25)];
      let obs = reset;
      const seen: number[][] = [];
      for (const raw of ep.obs) {
        seen.push(obs);
        for (let k = 0; k < 50; k++) expected.push([...obs, passive[0], passive[1], passive[0], passive[1]]);
        obs = norm(raw);
      }
      if (!ep.truncated) {
        const st = steeringModulation(processObservation(ep.obs[ep.obs.length - 1], new Float64Array(4)), s);
        let m = [f32(st.modA), f32(st.modA * 0.25), f32(st.modB), f32(st.modB * 0.25)];
        const signal = seen[seen.length - 1]; // the observation the failing action was taken on
        for (let k = 0; k < 50; k++) {
          expected.push([...signal, ...m]);
          m = m.map((v) => f32(v * Math.exp(-2)));
        }
      }
    });
    assert.equal(brain.calls.length, expected.length);
    for (let i = 0; i < expected.length; i++) assert.deepEqual(brain.calls[i], expected[i], `brain step ${i}`);

    // Episode 0: the pole fell right → steer to B: A gets −25·s, B +2.5·s, inhibitory pools a quarter.
    const firstRollout = 1 + 50 + 150;
    assert.deepEqual(brain.calls[firstRollout].slice(4), [-25, -6.25, 2.5, 0.625]);
    assert.equal(recs[0].steerToB, true);
    // Episode 1: out of bounds on the left with the pole upright → steer to B (centre).
    assert.equal(recs[1].steerToB, true);
    // The decay factor is applied after each step.
    assert.equal(brain.calls[firstRollout + 1][4], f32(-25 * Math.exp(-2)));
  });

  it('with learning off, every modulation input is 0 and no steering rollout runs', () => {
    const brain = new RecordingBrain();
    const proto = new CartpoleProtocol(brain, new ScriptedEnv(episodes), { learning: false });
    const recs = episodes.map(() => proto.runEpisode());
    assert.deepEqual(recs.map((r) => r.networkSteps), [200, 150, 150, 100]);
    assert.equal(brain.calls.length, 600); // no priming step when evaluating
    for (const c of brain.calls) assert.deepEqual(c.slice(4), [0, 0, 0, 0]);
    assert.deepEqual(recs.map((r) => r.outcome), ['pole_fell', 'out_of_bounds', 'truncated', 'truncated']);
  });

  it('acts on the argmax of the action output after the 50th step', () => {
    // Action 1 only when the call index is the last of each 50-step block.
    const brain = new RecordingBrain((c) => ((c - 1 - 50) % 50 === 49 ? 1 : 0));
    const env = new ScriptedEnv(episodes);
    new CartpoleProtocol(brain, env).runEpisode();
    assert.deepEqual(env.actions, [1, 1, 1]);
  });

  it('beginEpisode/envStep/endEpisode match runEpisode and can be aborted', () => {
    const proto = new CartpoleProtocol(new RecordingBrain(), new ScriptedEnv(episodes));
    proto.beginEpisode();
    let n = 1;
    while (!proto.envStep()) n++;
    assert.equal(n, 3);
    const r = proto.endEpisode();
    assert.equal(r.episode, 0);
    proto.beginEpisode();
    proto.envStep();
    proto.abortEpisode();
    assert.equal(proto.episode, 1);
    assert.throws(() => proto.endEpisode(), /finished episode/);
  });
});

describe('curve records and plot', () => {
  it('writes and parses curve.csv; a cut-off last line is dropped', () => {
    const pts = [
      { episode: 0, steps: 12, outcome: 'pole_fell' as const, ema: 2.4 },
      { episode: 1, steps: 500, outcome: 'truncated' as const, ema: 101.92 },
    ];
    const text = curveCsv(pts);
    assert.equal(text, 'episode,steps,outcome,ema\n0,12,pole_fell,2.4000\n1,500,truncated,101.9200\n');
    assert.deepEqual(parseCurveCsv(text), pts);
    assert.deepEqual(parseCurveCsv(`${text}2,33,out_of`), pts);
    assert.throws(() => parseCurveCsv('episode,steps\n'), /first line/);
    const s = summarizeCurve(pts);
    assert.equal(s.firstEma195, null);
    assert.equal(s.finalEma, 101.92);
  });

  it('renders an SVG with the three outcome markers and axis titles', async () => {
    const svg = await learningCurveSvg([
      { episode: 0, steps: 12, outcome: 'pole_fell', ema: 2.4 },
      { episode: 1, steps: 30, outcome: 'out_of_bounds', ema: 7.92 },
      { episode: 2, steps: 500, outcome: 'truncated', ema: 106.3 },
    ]);
    assert.match(svg, /^<svg/);
    for (const t of ['Episode', '# Steps', 'Pole fell', 'Out of bounds', 'Truncated']) assert.ok(svg.includes(t), t);
  });
});

describe('cartpole protocol on a real Brain', () => {
  it('runs episodes of a small spiking brain on CartPole with the expected step counts', () => {
    const pool = { units: [16], inhibitory_rate: 0, soma__resistance: 1, synapses__kernel: 30 };
    const brain = new Brain({
      seed: 7,
      modules_specs: [
        { name: 'spiker', module: 'poisson_spiker', inputs: { signal: '__call__.signal' }, config: { max_freq: 500 } },
        // Consumes the modulation inputs (the Hebbian rule of lif_neuron takes none).
        {
          name: 'mods',
          module: 'poisson_spiker',
          inputs: { signal: ['__call__.mod_a_ex', '__call__.mod_a_in', '__call__.mod_b_ex', '__call__.mod_b_in'] },
          config: { max_freq: 0 },
        },
        { name: 'A', module: 'lif_neuron', inputs: { in_spikes: 'spiker.spikes' }, config: pool },
        { name: 'B', module: 'lif_neuron', inputs: { in_spikes: 'spiker.spikes' }, config: pool },
        {
          name: 'integrator',
          module: 'exponential_integrator',
          inputs: { spikes: ['A.out_spikes', 'B.out_spikes'] },
          config: { num_outputs: 2, shuffle: false },
          outputs: { action: 'signal' },
        },
      ],
    });
    const proto = new CartpoleProtocol(brain, new CartPole());
    for (let e = 0; e < 3; e++) {
      const r = proto.runEpisode();
      assert.ok(r.steps >= 1 && r.steps <= 500);
      assert.equal(r.networkSteps, 50 + 50 * r.steps + (r.outcome === 'truncated' ? 0 : 50));
    }
    assert.equal(brain.t, proto.networkSteps);
  });
});

const NEEDED = ['topological_linear_spiker', 'n2n_delays', 'traced_synapses', 'adaptive_leaky_soma', 'quadruplet_rule_tensor', 'exponential_integrator'];
const missing = NEEDED.filter((n) => !REGISTRY.has(n));

/** A copy of a pool's synaptic kernel. */
function kernelOf(brain: Brain, pool: string): Float32Array {
  const neuron = brain.module(pool) as Neuron;
  return Float32Array.from((neuron.module('synapses').getProperty('kernel') as FloatArray).data);
}

/** Sum of changes, and the counts of entries that went up and down. */
function change(before: Float32Array, after: Float32Array): { sum: number; up: number; down: number } {
  let sum = 0;
  let up = 0;
  let down = 0;
  for (let i = 0; i < before.length; i++) {
    const d = after[i] - before[i];
    sum += d;
    if (d > 0) up++;
    else if (d < 0) down++;
  }
  return { sum, up, down };
}

const POOLS = ['A_excitatory', 'A_inhibitory', 'B_excitatory', 'B_inhibitory'];

describe('the shipped ab_brain under the protocol', { skip: missing.length ? `components not registered yet: ${missing.join(', ')}` : false }, () => {
  it('learns in the direction the quadruplet rule predicts, and learning off changes no weight', () => {
    const brain = loadCartpoleBrain({ compat: 'spark' });
    const env = new CartPole();
    const proto = new CartpoleProtocol(brain, env);
    proto.start(); // seeded reset and the priming step, which builds the brain
    // QuadrupletRuleTensor, EE parameters (compat 'spark'): ΔK = η·m·(α·s_pre + β·y_post·s_pre + γ·s_post + δ·x_pre·s_post)
    // with α = 1.207, β = −1.298, γ = 0.398, δ = −0.75. With refractory spiking the traces stay
    // small (y_post, x_pre ≲ 0.4; measured: no entry ever moves against m), so α + β·y > 0 and γ + δ·x > 0: every event moves K in the
    // direction of m. So the (negative) passive modulation depresses all pools, and in the
    // steering rollout the punished pool (m = −25·s) is depressed while the pool steered to
    // (m = +2.5·s) is potentiated.
    for (let e = 0; e < 2; e++) {
      const k0 = Object.fromEntries(POOLS.map((p) => [p, kernelOf(brain, p)]));
      proto.beginEpisode();
      while (!proto.envStep());
      const k1 = Object.fromEntries(POOLS.map((p) => [p, kernelOf(brain, p)]));
      for (const p of POOLS) {
        const c = change(k0[p], k1[p]);
        assert.ok(c.sum < 0 && c.down > 0, `episode ${e}: passive modulation depresses ${p} (${JSON.stringify(c)})`);
        assert.equal(c.up, 0, `episode ${e}: ${p} only depressed (${JSON.stringify(c)})`);
      }
      const r = proto.endEpisode();
      assert.notEqual(r.outcome, 'truncated', 'an untrained brain fails quickly');
      assert.equal(r.networkSteps, 50 + 50 * r.steps + 50);
      const k2 = Object.fromEntries(POOLS.map((p) => [p, kernelOf(brain, p)]));
      const punished = r.steerToB ? 'A' : 'B';
      const steered = r.steerToB ? 'B' : 'A';
      for (const kind of ['excitatory', 'inhibitory']) {
        const down = change(k1[`${punished}_${kind}`], k2[`${punished}_${kind}`]);
        const up = change(k1[`${steered}_${kind}`], k2[`${steered}_${kind}`]);
        assert.ok(down.sum < 0 && down.up === 0, `episode ${e}: punished ${punished}_${kind} depressed (${JSON.stringify(down)})`);
        assert.ok(up.sum > 0 && up.down === 0, `episode ${e}: steered ${steered}_${kind} potentiated (${JSON.stringify(up)})`);
      }
    }

    // Checkpoint, then evaluate with learning off: modulation 0 makes ΔK exactly 0, so the
    // restored weights stay bit-identical through a whole episode.
    const dir = mkdtempSync(join(tmpdir(), 'cartpole-'));
    try {
      const path = join(dir, 'checkpoint.spark.safetensors');
      saveCartpoleCheckpoint(brain, path, proto, env);
      const { brain: restored, sidecar } = loadCartpoleCheckpoint(path);
      assert.deepEqual(sidecar?.protocol, proto.getState());
      for (const p of POOLS) assert.deepEqual(kernelOf(restored, p), kernelOf(brain, p), `${p} restored`);
      const evalProto = new CartpoleProtocol(restored, new CartPole(), { learning: false });
      const before = POOLS.map((p) => kernelOf(restored, p));
      const r = evalProto.runEpisode();
      assert.ok(r.steps >= 1);
      POOLS.forEach((p, i) => assert.deepEqual(kernelOf(restored, p), before[i], `${p} unchanged with learning off`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
