/**
 * CartPole-v1, following Gymnasium's `CartPoleEnv` plus its `TimeLimit(500)` wrapper
 * (gymnasium/envs/classic_control/cartpole.py). Dynamics from Barto, Sutton & Anderson (1983),
 * "Neuronlike adaptive elements that can solve difficult learning control problems",
 * with the corrected equations in Florian (2007), "Correct equations for the dynamics of the
 * cart-pole system" (https://coneural.org/florian/papers/05_cart_pole.pdf).
 *
 * Differences from Gymnasium, on purpose:
 * - State and observations are float64; Gymnasium keeps a float64 state but returns float32
 *   observations, so its observations differ from ours below ~1e-7 relative.
 * - Sutton–Barto reward (0 per step, −1 on termination) is the default here; Gymnasium's
 *   default is +1 per step including the terminating one (`suttonBartoReward: false`).
 * - Stepping a finished episode throws instead of warning; reset() must be called first.
 * - Velocity bounds in `observationSpec` are ±Infinity rather than ±float32 max.
 */
import { Rng } from '../core/rng.ts';
import type { DiscreteActionSpec, Environment, ObservationSpec, StepResult } from './environment.ts';

/** Physical constants and limits, same values and derivations as Gymnasium. */
export const CARTPOLE_PARAMS = Object.freeze({
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  totalMass: 0.1 + 1.0,
  /** Half the pole's length. */
  length: 0.5,
  poleMassLength: 0.1 * 0.5,
  forceMag: 10.0,
  /** Seconds per step. */
  tau: 0.02,
  /** 12 degrees, written as Gymnasium does so the float is identical. */
  thetaThresholdRadians: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
  /** Initial state components are uniform in [resetLow, resetHigh). */
  resetLow: -0.05,
  resetHigh: 0.05,
  maxEpisodeSteps: 500,
});

export interface CartPoleOptions {
  /** 0 per step and −1 on termination (default true); false gives Gymnasium's +1 per step. */
  suttonBartoReward?: boolean;
  /** Time limit; `truncated` is set once this many steps were taken (default 500). */
  maxEpisodeSteps?: number;
  /** Seed used until `reset(seed)` supplies another (default 0). uint32. */
  seed?: number;
}

/**
 * Lifecycle: `needsReset` before the first reset, `running` during an episode,
 * `terminated` / `truncated` once it ended (terminated wins if both happen on one step).
 */
export type CartPoleStatus = 'needsReset' | 'running' | 'terminated' | 'truncated';

/** Checkpoint: plain data, enough to continue bit-for-bit. */
export interface CartPoleState {
  /** x, ẋ, θ, θ̇. */
  physics: number[];
  /** Steps taken in the current episode. */
  steps: number;
  status: CartPoleStatus;
  /** `Rng.getState()` as plain numbers; its last entry (the spare normal) is null when there is none, as JSON has no NaN. */
  rng: Array<number | null>;
}

const STATUSES: readonly CartPoleStatus[] = ['needsReset', 'running', 'terminated', 'truncated'];
const P = CARTPOLE_PARAMS;

export class CartPole implements Environment<Float64Array, number, CartPoleState> {
  readonly observationSpec: ObservationSpec = Object.freeze({
    shape: Object.freeze([4]),
    // Twice the termination limits, as in Gymnasium, so the terminal observation is in bounds.
    low: Object.freeze([-P.xThreshold * 2, -Infinity, -P.thetaThresholdRadians * 2, -Infinity]),
    high: Object.freeze([P.xThreshold * 2, Infinity, P.thetaThresholdRadians * 2, Infinity]),
    names: Object.freeze(['cartPosition', 'cartVelocity', 'poleAngle', 'poleAngularVelocity']),
  });
  readonly actionSpec: DiscreteActionSpec = Object.freeze({
    n: 2,
    names: Object.freeze(['pushLeft', 'pushRight']),
  });
  readonly suttonBartoReward: boolean;
  readonly maxEpisodeSteps: number;

  private readonly rng: Rng;
  private readonly state = new Float64Array(4);
  private steps = 0;
  private status: CartPoleStatus = 'needsReset';

  constructor(options: CartPoleOptions = {}) {
    this.suttonBartoReward = options.suttonBartoReward ?? true;
    const maxSteps = options.maxEpisodeSteps ?? P.maxEpisodeSteps;
    if (!(maxSteps === Infinity || (Number.isInteger(maxSteps) && maxSteps >= 1))) {
      throw new RangeError(`CartPole maxEpisodeSteps must be a positive integer or Infinity, got ${maxSteps}`);
    }
    this.maxEpisodeSteps = maxSteps;
    this.rng = new Rng(checkSeed(options.seed ?? 0));
  }

  reset(seed?: number): Float64Array {
    if (seed !== undefined) this.rng.reseed(checkSeed(seed));
    const s = this.state;
    for (let i = 0; i < 4; i++) {
      // numpy's uniform(low, high) is low + (high − low)·U.
      s[i] = P.resetLow + (P.resetHigh - P.resetLow) * this.rng.uniform();
    }
    this.steps = 0;
    this.status = 'running';
    return Float64Array.from(s);
  }

  step(action: number): StepResult<Float64Array> {
    if (action !== 0 && action !== 1) {
      throw new RangeError(`CartPole action must be 0 (push left) or 1 (push right), got ${String(action)}`);
    }
    if (this.status !== 'running') {
      throw new Error(
        this.status === 'needsReset'
          ? 'CartPole.step() called before reset()'
          : `CartPole.step() called after the episode was ${this.status}; call reset() first`,
      );
    }
    const s = this.state;
    const x = s[0];
    const xDot = s[1];
    const theta = s[2];
    const thetaDot = s[3];
    const force = action === 1 ? P.forceMag : -P.forceMag;
    const cosTheta = Math.cos(theta);
    const sinTheta = Math.sin(theta);
    // Operation order copied from Gymnasium so results match to the last bit where libm agrees.
    const temp = (force + P.poleMassLength * (thetaDot * thetaDot) * sinTheta) / P.totalMass;
    const thetaAcc =
      (P.gravity * sinTheta - cosTheta * temp) /
      (P.length * (4.0 / 3.0 - (P.massPole * (cosTheta * cosTheta)) / P.totalMass));
    const xAcc = temp - (P.poleMassLength * thetaAcc * cosTheta) / P.totalMass;
    // Explicit Euler ('euler' integrator): positions advance with the old velocities.
    s[0] = x + P.tau * xDot;
    s[1] = xDot + P.tau * xAcc;
    s[2] = theta + P.tau * thetaDot;
    s[3] = thetaDot + P.tau * thetaAcc;

    const terminated =
      s[0] < -P.xThreshold ||
      s[0] > P.xThreshold ||
      s[2] < -P.thetaThresholdRadians ||
      s[2] > P.thetaThresholdRadians;
    this.steps++;
    // Like Gymnasium's TimeLimit, truncation is independent of termination.
    const truncated = this.steps >= this.maxEpisodeSteps;
    this.status = terminated ? 'terminated' : truncated ? 'truncated' : 'running';

    let reward: number;
    if (this.suttonBartoReward) reward = terminated ? -1 : 0;
    else reward = 1;
    return { observation: Float64Array.from(s), reward, terminated, truncated };
  }

  getState(): CartPoleState {
    return {
      physics: Array.from(this.state),
      steps: this.steps,
      status: this.status,
      rng: Array.from(this.rng.getState(), (v) => (Number.isNaN(v) ? null : v)),
    };
  }

  setState(state: CartPoleState): void {
    // Validate everything before changing anything, so a bad checkpoint leaves us intact.
    if (!Array.isArray(state.physics) || state.physics.length !== 4 || !state.physics.every(isNumber)) {
      throw new RangeError('CartPole state.physics must be 4 numbers (x, xDot, theta, thetaDot)');
    }
    if (!Number.isInteger(state.steps) || state.steps < 0) {
      throw new RangeError(`CartPole state.steps must be a non-negative integer, got ${state.steps}`);
    }
    if (!STATUSES.includes(state.status)) {
      throw new RangeError(`CartPole state.status must be one of ${STATUSES.join(', ')}, got ${String(state.status)}`);
    }
    if (!Array.isArray(state.rng) || state.rng.length !== 5 || !state.rng.slice(0, 4).every(isNumber) || !(isNumber(state.rng[4]) || state.rng[4] === null)) {
      throw new RangeError('CartPole state.rng must be 5 numbers from Rng.getState() (the last may be null)');
    }
    this.state.set(state.physics);
    this.steps = state.steps;
    this.status = state.status;
    this.rng.setState(state.rng.map((v) => v ?? NaN));
  }
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number';
}

function checkSeed(seed: number): number {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`CartPole seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return seed;
}
