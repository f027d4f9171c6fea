import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CartPole, type CartPoleState } from '../../src/envs/cartpole.ts';

/**
 * One explicit-Euler step written out independently from Gymnasium's CartPole-v1 equations
 * (Florian 2007 corrected form), with the constants as literals.
 */
function handStep(s: readonly number[], action: number): number[] {
  const [x, xDot, th, thDot] = s;
  const f = action === 1 ? 10 : -10;
  const mp = 0.1;
  const mTotal = 1.1;
  const halfLen = 0.5;
  const c = Math.cos(th);
  const sn = Math.sin(th);
  const temp = (f + 0.05 * thDot ** 2 * sn) / mTotal;
  const thAcc = (9.8 * sn - c * temp) / (halfLen * (4 / 3 - (mp * c ** 2) / mTotal));
  const xAcc = temp - (0.05 * thAcc * c) / mTotal;
  return [x + 0.02 * xDot, xDot + 0.02 * xAcc, th + 0.02 * thDot, thDot + 0.02 * thAcc];
}

function assertClose(actual: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Puts a fresh env into a running episode at the given physical state. */
function envAt(physics: number[], opts: ConstructorParameters<typeof CartPole>[0] = {}, steps = 0): CartPole {
  const env = new CartPole(opts);
  env.reset(0);
  env.setState({ ...env.getState(), physics, steps });
  return env;
}

const THETA_12_DEG = (12 * 2 * Math.PI) / 360;

test('three steps match the hand-computed Euler trajectory', () => {
  const start = [0.01, -0.02, 0.03, -0.04];
  const env = envAt(start);
  let expected = start;
  for (const a of [1, 0, 1]) {
    expected = handStep(expected, a);
    const r = env.step(a);
    assertClose(r.observation, expected, 1e-12, `after action ${a}`);
    assert.equal(r.terminated, false);
    assert.equal(r.truncated, false);
  }
});

test('matches values from a transcription of Gymnasium CartPoleEnv.step', () => {
  // Computed in Python with Gymnasium's step() code (math.cos/sin, float64 state).
  const env = envAt([0.01, -0.02, 0.03, -0.04]);
  const ref = [
    [0.009600000000000001, 0.17467919574755525, 0.0292, -0.3230687179600081],
    [0.013093583914951107, -0.020846120233304483, 0.02273862564079984, -0.021322189539218106],
    [0.012676661510285018, 0.17394248021606085, 0.022312181850015475, -0.3067449777344227],
  ];
  [1, 0, 1].forEach((a, i) => assertClose(env.step(a).observation, ref[i], 1e-12, `step ${i + 1}`));
});

test('position advances with the old velocity (explicit, not semi-implicit, Euler)', () => {
  const env = envAt([0, 1, 0, 2]);
  const o = env.step(1).observation;
  assert.equal(o[0], 0.02);
  assert.equal(o[2], 0.04);
});

test('terminates when x leaves [-2.4, 2.4], not on the boundary', () => {
  const right = envAt([2.39, 1, 0, 0]).step(0);
  assert.equal(right.terminated, true);
  assert.equal(right.reward, -1);
  const left = envAt([-2.39, -1, 0, 0]).step(1);
  assert.equal(left.terminated, true);
  // x stays exactly 2.4 with zero velocity: the comparison is strict.
  assert.equal(envAt([2.4, 0, 0, 0]).step(1).terminated, false);
});

test('terminates when theta leaves ±12 degrees', () => {
  assert.ok(Math.abs(THETA_12_DEG - 0.20943951023931953) < 1e-16);
  const fwd = envAt([0, 0, 0.2094, 0.1]).step(1);
  assert.ok(fwd.observation[2] > THETA_12_DEG);
  assert.equal(fwd.terminated, true);
  const back = envAt([0, 0, -0.2094, -0.1]).step(0);
  assert.equal(back.terminated, true);
  // Just inside: not terminated.
  assert.equal(envAt([0, 0, 0.2, 0.1]).step(0).terminated, false);
});

test('step after termination, or before reset, throws; reset recovers', () => {
  const env = envAt([2.39, 1, 0, 0]);
  assert.equal(env.step(1).terminated, true);
  assert.throws(() => env.step(0), /terminated; call reset\(\)/);
  env.reset();
  assert.doesNotThrow(() => env.step(0));
  assert.throws(() => new CartPole().step(0), /before reset\(\)/);
});

test('default time limit is 500 steps', () => {
  const env = new CartPole();
  assert.equal(env.maxEpisodeSteps, 500);
  // A simple PD-like policy keeps the pole up for this seed; the episode is truncated at step 500.
  let o = env.reset(7);
  for (let t = 1; t <= 500; t++) {
    const r = env.step(o[2] + 0.3 * o[3] + 0.01 * o[0] + 0.05 * o[1] > 0 ? 1 : 0);
    o = r.observation;
    assert.equal(r.terminated, false, `terminated at step ${t}`);
    assert.equal(r.truncated, t === 500, `truncated flag at step ${t}`);
    assert.equal(r.reward, 0);
  }
  assert.throws(() => env.step(0), /truncated; call reset\(\)/);
});

test('custom maxEpisodeSteps truncates at exactly that step', () => {
  const env = new CartPole({ maxEpisodeSteps: 5 });
  env.reset(1);
  for (let t = 1; t <= 5; t++) {
    const r = env.step(t % 2);
    assert.equal(r.terminated, false);
    assert.equal(r.truncated, t === 5);
  }
  assert.throws(() => env.step(0), /call reset\(\)/);
  env.reset();
  assert.equal(env.step(0).truncated, false, 'reset clears the step counter');
  assert.throws(() => new CartPole({ maxEpisodeSteps: 0 }), /maxEpisodeSteps/);
  assert.throws(() => new CartPole({ maxEpisodeSteps: 2.5 }), /maxEpisodeSteps/);
});

test('termination and truncation on the same step are both reported (as Gymnasium TimeLimit)', () => {
  const env = envAt([2.39, 1, 0, 0], { maxEpisodeSteps: 10 }, 9);
  const r = env.step(1);
  assert.equal(r.terminated, true);
  assert.equal(r.truncated, true);
  assert.equal(r.reward, -1);
});

test('seeded resets are reproducible; different seeds differ; reset() continues the stream', () => {
  const a = new CartPole();
  const b = new CartPole();
  const a1 = a.reset(42);
  assert.deepEqual(b.reset(42), a1);
  assert.notDeepEqual(b.reset(43), a1);
  const a2 = a.reset();
  assert.notDeepEqual(a2, a1);
  // Same sequence again after reseeding.
  assert.deepEqual(a.reset(42), a1);
  assert.deepEqual(a.reset(), a2);
  // The constructor seed plays the role of the first reset's seed.
  assert.deepEqual(new CartPole({ seed: 42 }).reset(), a1);
  assert.throws(() => a.reset(-1), /seed/);
  assert.throws(() => a.reset(1.5), /seed/);
});

test('initial state is within [-0.05, 0.05) in every component', () => {
  const env = new CartPole({ seed: 3 });
  let maxAbs = 0;
  for (let k = 0; k < 2000; k++) {
    const o = env.reset();
    assert.equal(o.length, 4);
    for (const v of o) {
      assert.ok(v >= -0.05 && v < 0.05, `initial component ${v}`);
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
  }
  assert.ok(maxAbs > 0.045, 'samples should cover the range');
});

test('rewards: Sutton–Barto 0 / −1 by default, Gymnasium +1 including the terminal step', () => {
  const sb = envAt([2.38, 0.5, 0, 0]);
  const sbRewards: number[] = [];
  for (;;) {
    const r = sb.step(1);
    sbRewards.push(r.reward);
    if (r.terminated) break;
  }
  assert.ok(sbRewards.length >= 2);
  assert.deepEqual(sbRewards, [...sbRewards.slice(0, -1).map(() => 0), -1]);

  const gym = envAt([2.38, 0.5, 0, 0], { suttonBartoReward: false });
  const gymRewards: number[] = [];
  for (;;) {
    const r = gym.step(1);
    gymRewards.push(r.reward);
    if (r.terminated) break;
  }
  assert.equal(gymRewards.length, sbRewards.length);
  assert.ok(gymRewards.every((v) => v === 1));
});

test('getState/setState round trip continues identically, across resets', () => {
  const env = new CartPole({ maxEpisodeSteps: 30 });
  env.reset(5);
  for (let t = 0; t < 7; t++) env.step(t % 2);
  const snap = env.getState();
  const snapCopy = structuredClone(snap);

  const run = (e: CartPole): number[][] => {
    const out: number[][] = [];
    for (let ep = 0; ep < 3; ep++) {
      for (;;) {
        const r = e.step(out.length % 3 === 0 ? 0 : 1);
        out.push([...r.observation, r.reward, Number(r.terminated), Number(r.truncated)]);
        if (r.terminated || r.truncated) break;
      }
      out.push([...e.reset()]); // unseeded reset draws from the restored RNG
    }
    return out;
  };

  const first = run(env);
  // The snapshot is a copy: running on did not change it.
  assert.deepEqual(snap, snapCopy);
  env.setState(snap);
  assert.deepEqual(run(env), first);

  const other = new CartPole({ maxEpisodeSteps: 30 });
  other.setState(snap);
  assert.deepEqual(run(other), first);
  // Through JSON, as the cartpole sidecar stores it (no spare normal drawn: null, not NaN).
  assert.equal(snap.rng[4], null);
  const viaJson = new CartPole({ maxEpisodeSteps: 30 });
  viaJson.setState(JSON.parse(JSON.stringify(snap)) as CartPoleState);
  assert.deepEqual(run(viaJson), first);
  assert.equal(snap.steps, 7);
  assert.equal(snap.status, 'running');
});

test('setState rejects malformed checkpoints without changing the env', () => {
  const env = envAt([0.01, 0.02, 0.03, 0.04]);
  const good = env.getState();
  const bad: unknown[] = [
    { ...good, physics: [0, 0, 0] },
    { ...good, steps: -1 },
    { ...good, status: 'done' },
    { ...good, rng: [1, 2, 3] },
  ];
  for (const b of bad) assert.throws(() => env.setState(b as CartPoleState), RangeError);
  assert.deepEqual(env.getState(), good);
});

test('invalid actions throw an error naming the valid values', () => {
  const env = new CartPole();
  env.reset(0);
  for (const a of [2, -1, 0.5, NaN, '1' as unknown as number]) {
    assert.throws(() => env.step(a), /must be 0 \(push left\) or 1 \(push right\)/);
  }
  assert.doesNotThrow(() => env.step(1));
});

test('observations are copies and specs describe the task', () => {
  const env = envAt([0.01, 0.02, 0.03, 0.04]);
  const o = env.step(1).observation;
  assert.ok(o instanceof Float64Array);
  o[0] = 99;
  assert.notEqual(env.getState().physics[0], 99);
  assert.deepEqual(env.observationSpec.shape, [4]);
  assert.deepEqual(env.observationSpec.high, [4.8, Infinity, THETA_12_DEG * 2, Infinity]);
  assert.deepEqual(env.observationSpec.low, [-4.8, -Infinity, -THETA_12_DEG * 2, -Infinity]);
  assert.equal(env.observationSpec.names.length, 4);
  assert.equal(env.actionSpec.n, 2);
  assert.deepEqual(env.actionSpec.names, ['pushLeft', 'pushRight']);
});
