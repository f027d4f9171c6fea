/**
 * A minimal interface for episodic control tasks, modelled on Gymnasium's `Env` API
 * (https://gymnasium.farama.org/api/env/), reduced to what online learners need.
 *
 * Contract:
 * - `reset()` must be called before the first `step()` and after an episode ends
 *   (`terminated` or `truncated`); implementations throw otherwise.
 * - `terminated` means the task reached a terminal state (no bootstrapping past it);
 *   `truncated` means it was cut short by a time limit. Both can be true on the same step.
 * - `getState()` / `setState()` capture everything a run depends on (physics, step counter,
 *   RNG), so a restored environment continues bit-for-bit identically.
 */

/** Describes a flat, real-valued observation vector. */
export interface ObservationSpec {
  /** Array shape, e.g. `[4]`. */
  readonly shape: readonly number[];
  /** Lower bound of each component (may be `-Infinity`). */
  readonly low: readonly number[];
  /** Upper bound of each component (may be `Infinity`). */
  readonly high: readonly number[];
  /** Human-readable name of each component, same order as the observation. */
  readonly names: readonly string[];
}

/** A discrete action set: valid actions are the integers `0 .. n-1`. */
export interface DiscreteActionSpec {
  readonly n: number;
  /** Name of each action, indexed by action. */
  readonly names: readonly string[];
}

export interface StepResult<Obs> {
  observation: Obs;
  reward: number;
  /** A terminal state was reached. */
  terminated: boolean;
  /** The episode hit its step limit. */
  truncated: boolean;
}

/**
 * An environment with observation type `Obs`, action type `Act`, and a checkpoint type `State`
 * (a plain data object, so it can be serialised by the caller).
 */
export interface Environment<Obs, Act, State = unknown> {
  readonly observationSpec: ObservationSpec;
  readonly actionSpec: DiscreteActionSpec;
  /** Starts a new episode. With a seed, reseeds first; without one, continues the RNG stream. */
  reset(seed?: number): Obs;
  /** Advances one time step. */
  step(action: Act): StepResult<Obs>;
  /** Exact snapshot of the environment (a copy; later steps do not change it). */
  getState(): State;
  /** Restores a snapshot taken by `getState()`. */
  setState(state: State): void;
}
