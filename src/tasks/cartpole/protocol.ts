/**
 * The training protocol of Spark's cartpole tutorial (tutorials/cartpole.ipynb, Tutorial #6;
 * Franco & Gershenson): a spiking "A vs B" brain balances CartPole-v1 from one punishing
 * modulation signal per failed episode, delivered to a reward-modulated plasticity rule.
 *
 * Per episode (`runEpisode`):
 * 1. warm-up: `warmupSteps` brain steps with a zero signal and zero modulation;
 * 2. per environment step: `stepsPerAction` brain steps with the scaled observation held and a
 *    small constant ("passive") modulation; the action is the argmax of the brain's `action`
 *    output after the last of those steps (0 = push left = pool A, 1 = push right = pool B);
 * 3. on termination (not truncation): one steering rollout of `stepsPerAction` steps with the
 *    observation the failing action was taken on, and a punishing modulation that decays by
 *    `modulationDecay` after every brain step. The pool that should have acted gets a small
 *    positive modulation, the other a large negative one.
 * The modulation scale is sqrt(1 − EMA/500) of the episode-length EMA, and, as in the tutorial's
 * loop, it uses the EMA from one episode earlier than the latest.
 *
 * Library code: no Node imports. The brain is anything with Spark's cartpole ports (`signal`,
 * `mod_a_ex`, `mod_a_in`, `mod_b_ex`, `mod_b_in` → `action`), so tests can pass a stand-in.
 */
import { InputError } from '../../core/errors.ts';
import type { Environment } from '../../envs/environment.ts';

/** Constants of the tutorial (cell "Reward metaparameters" / "Model metaparameters"). */
export const CARTPOLE_PROTOCOL = Object.freeze({
  /** Observation divisors: cart position, cart velocity, pole angle, pole angular velocity. */
  obsScale: Object.freeze([2.4, 2.5, 0.2095, 3.5]) as readonly number[],
  passiveModulationScale: -0.0001,
  rewardFallScale: -25,
  rewardOobScale: -25,
  /**
   * Out of bounds counts as a cart-position failure only if |θ_norm| is below this (0.05, i.e.
   * 0.6°, in the tutorial; a variant may raise it, see docs/cartpole.md).
   */
  rewardOobThreshold: 0.05 as number,
  /** The pool that should have acted receives this times the (negative) reward. */
  negRewardScale: -0.1,
  /** Inhibitory pools get this fraction of their excitatory pool's modulation. */
  modInhibitionScale: 0.25,
  dt: 1,
  /** exp(−dt / 0.5): per-step decay of the steering modulation. */
  modulationDecay: Math.exp(-1 / 0.5),
  episodes: 150,
  /** Brain steps per environment step: int(50 / dt). */
  stepsPerAction: 50,
  warmupSteps: 50,
  /** EMA ← α·EMA + (1 − α)·steps. */
  emaAlpha: 0.8,
  /** Episode length at which the modulation scale reaches 0. */
  emaTarget: 500,
  /**
   * Not in the tutorial (0 = the tutorial): a variant's lower bound on the modulation scale, so
   * that failures late in training still teach (see docs/cartpole.md).
   */
  modulationFloor: 0 as number,
  /** Seed of the first environment reset; later resets continue its stream. */
  envSeed: 42,
});

export type CartpoleProtocolParams = {
  -readonly [K in keyof typeof CARTPOLE_PROTOCOL]: (typeof CARTPOLE_PROTOCOL)[K];
};

/** How an episode ended. `out_of_bounds` is Spark's test |x_norm| ≥ 1 on the final observation. */
export type Outcome = 'pole_fell' | 'out_of_bounds' | 'truncated';
export const OUTCOMES: readonly Outcome[] = ['pole_fell', 'out_of_bounds', 'truncated'];

/** Brain input names of the cartpole model. */
export const CARTPOLE_INPUTS = ['signal', 'mod_a_ex', 'mod_a_in', 'mod_b_ex', 'mod_b_in'] as const;
export type CartpoleInputName = (typeof CARTPOLE_INPUTS)[number];
export type CartpoleInputs = Record<CartpoleInputName, Float32Array>;

/**
 * What the protocol needs from a brain: `run` takes one step (or `steps` steps with the same
 * inputs) and returns the last step's outputs, of which `action` holds one value per action in
 * `.data`. `Brain` satisfies it.
 */
export interface ProtocolBrain {
  run(inputs: Record<string, ArrayLike<number>>, steps?: number): Record<string, object>;
}

/** One finished episode. `ema` is the EMA after this episode (the tutorial's `train_steps_ema[-1]`). */
export interface EpisodeRecord {
  /** 0-based. */
  episode: number;
  steps: number;
  outcome: Outcome;
  ema: number;
  /** The modulation scale used during this episode. */
  modulationScale: number;
  /** Brain steps run in this episode (warm-up and steering rollout included). */
  networkSteps: number;
  /** The steering decision of the terminal rollout (null when truncated or learning is off). */
  steerToB: boolean | null;
}

/** Protocol state besides brain and environment, for checkpoints. */
export interface CartpoleProtocolState {
  episode: number;
  /** `train_steps_ema[-1]` (0 before the first episode). */
  ema: number;
  /** `current_train_ema_steps`: the EMA one episode behind, from which the scale is computed. */
  laggedEma: number;
  started: boolean;
}

export interface CartpoleProtocolOptions {
  /** false: all modulation inputs are held at 0 and no steering rollout is run (evaluation). */
  learning?: boolean;
  /** Overrides of the tutorial's constants (tests, variants); the defaults are the tutorial's. */
  params?: Partial<CartpoleProtocolParams>;
  /**
   * Run one brain step with the first observation and zero modulation after the seeded reset,
   * like the tutorial's brain-building call (default: true when learning, false otherwise).
   */
  primingStep?: boolean;
}

/** x / obsScale, clipped to [−1, 1] (the tutorial's `process_obs`). Writes into `out`. */
export function processObservation<T extends Float32Array | Float64Array>(
  obs: ArrayLike<number>,
  out: T,
  scale: readonly number[] = CARTPOLE_PROTOCOL.obsScale,
): T {
  for (let i = 0; i < scale.length; i++) {
    const v = obs[i] / scale[i];
    out[i] = v > 1 ? 1 : v < -1 ? -1 : v;
  }
  return out;
}

/** sqrt(1 − ema/target), the tutorial's `(1 - ema/500)**0.5`. */
export function modulationScale(ema: number, target: number = CARTPOLE_PROTOCOL.emaTarget): number {
  return (1 - ema / target) ** 0.5;
}

/** The steering decision from the normalised post-failure observation. */
export interface Steering {
  outOfBounds: boolean;
  /** Judged by the cart position (out of bounds with a nearly upright pole), not the pole angle. */
  byCartPosition: boolean;
  steerToB: boolean;
  /** Excitatory modulation of pools A and B (inhibitory pools get `modInhibitionScale` times these). */
  modA: number;
  modB: number;
}

/**
 * The tutorial's critic-like rule. Out of bounds with a nearly upright pole: steer toward the
 * centre (B = push right when x < 0). Otherwise: steer toward the side the pole fell (B when θ > 0).
 * reward = scale·(−25); the pool to steer to gets −0.1·reward, the other gets reward.
 */
export function steeringModulation(
  obsNorm: ArrayLike<number>,
  scale: number,
  p: Pick<CartpoleProtocolParams, 'rewardOobThreshold' | 'rewardOobScale' | 'rewardFallScale' | 'negRewardScale'> = CARTPOLE_PROTOCOL,
): Steering {
  const outOfBounds = Math.abs(obsNorm[0]) >= 1;
  const byCartPosition = outOfBounds && Math.abs(obsNorm[2]) < p.rewardOobThreshold;
  let steerToB: boolean;
  let reward: number;
  if (byCartPosition) {
    steerToB = obsNorm[0] < 0;
    reward = p.rewardOobScale * scale;
  } else {
    steerToB = obsNorm[2] > 0;
    reward = p.rewardFallScale * scale;
  }
  const modA = steerToB ? reward : p.negRewardScale * reward;
  const modB = !steerToB ? reward : p.negRewardScale * reward;
  return { outOfBounds, byCartPosition, steerToB, modA, modB };
}

/** Index of the largest value; the first on ties, like numpy's argmax (NaN wins, as in numpy). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) return i;
    if (values[i] > values[best]) best = i;
  }
  return best;
}

type CartpoleEnv = Environment<ArrayLike<number>, number, unknown>;

/**
 * Runs the tutorial's training (or, with learning off, evaluation) episodes on one brain and
 * one environment. Use `runEpisode()`, or `beginEpisode()` / `envStep()` / `endEpisode()` to
 * interleave other work (e.g. yielding to the event loop) between environment steps.
 */
export class CartpoleProtocol {
  readonly brain: ProtocolBrain;
  readonly env: CartpoleEnv;
  readonly learning: boolean;
  readonly params: Readonly<CartpoleProtocolParams>;
  readonly primingStep: boolean;
  /** Reused every brain step (the step loop allocates nothing). */
  readonly inputs: CartpoleInputs;

  /** Total brain steps run by this protocol. */
  networkSteps = 0;
  private state: CartpoleProtocolState = { episode: 0, ema: 0, laggedEma: 0, started: false };
  private readonly obs: Float64Array;
  private readonly prevObs: Float64Array;
  private readonly obsDim: number;
  // Current episode.
  private inEpisode = false;
  private episodeSteps = 0;
  private episodeNetworkSteps = 0;
  private scale = 1;
  private terminated = false;
  private truncated = false;

  constructor(brain: ProtocolBrain, env: CartpoleEnv, options: CartpoleProtocolOptions = {}) {
    this.brain = brain;
    this.env = env;
    this.learning = options.learning ?? true;
    this.params = Object.freeze({ ...CARTPOLE_PROTOCOL, ...options.params });
    const floor = this.params.modulationFloor;
    if (!(floor >= 0 && floor <= 1)) throw new InputError(`modulationFloor must be in [0, 1], got ${floor}.`);
    const oob = this.params.rewardOobThreshold;
    if (!(oob >= 0)) throw new InputError(`rewardOobThreshold must be >= 0, got ${oob}.`);
    this.primingStep = options.primingStep ?? this.learning;
    this.obsDim = this.params.obsScale.length;
    const envDim = env.observationSpec.shape.reduce((a, b) => a * b, 1);
    if (envDim !== this.obsDim) {
      throw new InputError(`the cartpole protocol scales ${this.obsDim} observation values but the environment gives ${envDim}.`);
    }
    this.obs = new Float64Array(this.obsDim);
    this.prevObs = new Float64Array(this.obsDim);
    this.inputs = {
      signal: new Float32Array(this.obsDim),
      mod_a_ex: new Float32Array(1),
      mod_a_in: new Float32Array(1),
      mod_b_ex: new Float32Array(1),
      mod_b_in: new Float32Array(1),
    };
  }

  /** Episodes finished so far. */
  get episode(): number {
    return this.state.episode;
  }

  /** EMA of episode lengths after the last finished episode. */
  get ema(): number {
    return this.state.ema;
  }

  /** The modulation scale the next episode will use. */
  get nextModulationScale(): number {
    return Math.max(this.params.modulationFloor, modulationScale(this.state.laggedEma, this.params.emaTarget));
  }

  getState(): CartpoleProtocolState {
    return { ...this.state };
  }

  /** Restores protocol counters (with the brain and environment restored separately). */
  setState(s: CartpoleProtocolState): void {
    for (const k of ['episode', 'ema', 'laggedEma'] as const) {
      if (typeof s[k] !== 'number' || !Number.isFinite(s[k])) throw new InputError(`cartpole protocol state '${k}' must be a finite number, got ${String(s[k])}.`);
    }
    this.state = { episode: s.episode, ema: s.ema, laggedEma: s.laggedEma, started: Boolean(s.started) };
  }

  /**
   * The seeded first reset (`env.reset(seed=42)` in the tutorial), then, if enabled, one brain
   * step with that observation and zero modulation (the tutorial's brain-building call).
   * Called by the first episode if not called before.
   */
  start(): void {
    if (this.state.started) return;
    this.state.started = true;
    const first = this.env.reset(this.params.envSeed);
    if (this.primingStep) {
      processObservation(first, this.obs, this.params.obsScale);
      this.setModulation(0, 0);
      this.inputs.signal.set(this.obs);
      this.brain.run(this.inputs);
      this.networkSteps++;
    }
  }

  /** Runs one whole episode and returns its record. */
  runEpisode(): EpisodeRecord {
    this.beginEpisode();
    while (!this.envStep());
    return this.endEpisode();
  }

  /** Resets the environment (unseeded: the stream continues) and runs the warm-up. */
  beginEpisode(): void {
    if (this.inEpisode) throw new InputError('beginEpisode() called during an episode; finish it with endEpisode() first.');
    this.start();
    this.inEpisode = true;
    this.scale = this.nextModulationScale;
    this.episodeSteps = 0;
    this.episodeNetworkSteps = 0;
    this.terminated = false;
    this.truncated = false;
    processObservation(this.env.reset(), this.obs, this.params.obsScale);
    // Warm-up: zero signal, zero modulation.
    this.inputs.signal.fill(0);
    this.setModulation(0, 0);
    this.rollout(this.params.warmupSteps, 1);
  }

  /** One environment step (50 brain steps, then act). Returns true when the episode is over. */
  envStep(): boolean {
    if (!this.inEpisode || this.terminated || this.truncated) {
      throw new InputError('envStep() needs a running episode; call beginEpisode() first.');
    }
    const passive = this.learning ? this.params.passiveModulationScale * this.scale : 0;
    this.setModulation(passive, passive);
    this.inputs.signal.set(this.obs);
    // modulation_decay = 1 during normal steps: the inputs stay constant.
    const out = this.rollout(this.params.stepsPerAction, 1);
    const action = argmax(actionValues(out));
    this.prevObs.set(this.obs);
    const r = this.env.step(action);
    processObservation(r.observation, this.obs, this.params.obsScale);
    this.episodeSteps++;
    this.terminated = r.terminated;
    this.truncated = r.truncated;
    return r.terminated || r.truncated;
  }

  /** After the last environment step: the steering rollout (training only), EMA update, record. */
  endEpisode(): EpisodeRecord {
    if (!this.inEpisode || !(this.terminated || this.truncated)) {
      throw new InputError('endEpisode() needs a finished episode; keep calling envStep() until it returns true.');
    }
    const p = this.params;
    let outcome: Outcome = 'truncated';
    let steerToB: boolean | null = null;
    // The tutorial tests `not truncated`: an episode both terminated and truncated counts as truncated.
    if (!this.truncated) {
      const s = steeringModulation(this.obs, this.scale, p);
      outcome = s.outOfBounds ? 'out_of_bounds' : 'pole_fell';
      if (this.learning) {
        steerToB = s.steerToB;
        this.inputs.signal.set(this.prevObs);
        this.setModulation(s.modA, s.modB);
        this.rollout(p.stepsPerAction, p.modulationDecay);
      }
    }
    // The tutorial's ordering: the scale of the next episode uses the EMA before this update.
    const st = this.state;
    st.laggedEma = st.ema;
    st.ema = p.emaAlpha * st.laggedEma + (1 - p.emaAlpha) * this.episodeSteps;
    const record: EpisodeRecord = {
      episode: st.episode,
      steps: this.episodeSteps,
      outcome,
      ema: st.ema,
      modulationScale: this.scale,
      networkSteps: this.episodeNetworkSteps,
      steerToB,
    };
    st.episode++;
    this.inEpisode = false;
    return record;
  }

  /** Abandons a running episode (e.g. on Ctrl-C): nothing is recorded, counters are unchanged. */
  abortEpisode(): void {
    this.inEpisode = false;
  }

  private setModulation(modA: number, modB: number): void {
    const k = this.params.modInhibitionScale;
    const x = this.inputs;
    x.mod_a_ex[0] = modA;
    x.mod_a_in[0] = modA * k;
    x.mod_b_ex[0] = modB;
    x.mod_b_in[0] = modB * k;
  }

  /** `steps` brain steps; after each, the modulation inputs are multiplied by `decay`. Returns the last outputs. */
  private rollout(steps: number, decay: number): Record<string, object> {
    const x = this.inputs;
    let out: Record<string, object> = {};
    if (decay === 1) out = this.brain.run(x, steps);
    else {
      for (let i = 0; i < steps; i++) {
        out = this.brain.run(x);
        x.mod_a_ex[0] *= decay;
        x.mod_a_in[0] *= decay;
        x.mod_b_ex[0] *= decay;
        x.mod_b_in[0] *= decay;
      }
    }
    this.networkSteps += steps;
    this.episodeNetworkSteps += steps;
    return out;
  }
}

/** The `action` output's values, with a clear error when the brain has none. */
function actionValues(out: Record<string, object>): ArrayLike<number> {
  const a = out.action as { data?: ArrayLike<number> } | undefined;
  if (!a || !a.data || typeof a.data.length !== 'number') {
    throw new InputError(
      `the cartpole brain must have a float output named 'action' (one value per action); its outputs are: ${Object.keys(out).join(', ') || 'none'}.`,
    );
  }
  return a.data;
}
