/**
 * Refractory counter shared by the refractory somas: steps since the last spike, per unit.
 *
 * Spark (somas/leaky.py, RefractoryLeakySoma) keeps a uint16 counter that starts at the cooldown
 * (so input is ignored on the very first step) and wraps after 65 535 spike-free steps. Here the
 * counter is an Int32Array that saturates at cooldown + 1 (it never wraps) and starts ready; under
 * `compat: 'spark'` it starts at the cooldown as in Spark. See docs/compat.md.
 */
import { field } from '../../core/config/field.ts';
import { type ArrayAlloc, HEAP_ALLOC } from '../../wasm/arena.ts';

export const cooldownField = field.float(2.0, 'Refractory period after a spike.', {
  unit: 'ms',
  symbol: 't_ref',
  init: true,
  validators: ['non_negative'],
});

/** Round half to even, as jnp.round does, so cooldown/dt gives Spark's step count. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export class RefractoryCounter {
  /** Steps since the last spike, saturating at `steps + 1`. */
  readonly counter: Int32Array;
  /** Cooldown in steps, round(cooldown / dt). */
  readonly steps: Int32Array;
  private readonly startAtCooldown: boolean;

  constructor(cooldownMs: Float32Array, dt: number, sparkCompat: boolean, alloc: ArrayAlloc = HEAP_ALLOC) {
    const n = cooldownMs.length;
    this.steps = alloc.i32(n);
    for (let i = 0; i < n; i++) this.steps[i] = roundHalfEven(cooldownMs[i] / dt);
    this.counter = alloc.i32(n);
    this.startAtCooldown = sparkCompat;
  }

  reset(): void {
    const { counter, steps } = this;
    const extra = this.startAtCooldown ? 0 : 1;
    for (let i = 0; i < counter.length; i++) counter[i] = steps[i] + extra;
  }

  /** Spark's RefractoryLeaky/RefractoryExponential rule: ready once more than `steps` steps passed. */
  ready(i: number): boolean {
    return this.counter[i] > this.steps[i];
  }

  /** StrictRefractoryLeaky's rule: ready once `steps` steps passed. */
  readyStrict(i: number): boolean {
    return this.counter[i] >= this.steps[i];
  }

  /** Advances unit i after the spike test. */
  advance(i: number, spiked: boolean): void {
    const c = this.counter[i];
    this.counter[i] = spiked ? 0 : c <= this.steps[i] ? c + 1 : c;
  }
}
