/**
 * Waiting for another thread through a word of shared memory: spin briefly (a step of work is tens
 * of microseconds, about what a sleeping thread takes to wake), then sleep in short Atomics.wait
 * slices, and give up after `stallMs` (the other thread is gone). Used by the brain split and the
 * kernel thread. Atomics.wait blocks, which browsers allow only off the main thread.
 */

/** Spins before sleeping. */
const SPINS = 20_000;

export interface WaitOptions {
  /** Who is waited for, for the error message ("the brain's second thread"). */
  who: string;
  /** Give up after this long (ms); Infinity waits for good. */
  stallMs: number;
  /** Called between sleeps, e.g. to surface the other thread's reported errors (it throws them). */
  failed?: () => void;
}

/** Until `c[word]` differs from `from`; returns the new value. */
export function waitWhile(c: Int32Array, word: number, from: number, options: WaitOptions): number {
  let spins = 0;
  let since = 0;
  for (let v = Atomics.load(c, word); ; v = Atomics.load(c, word)) {
    if (v !== from) return v;
    if (++spins < SPINS) continue;
    options.failed?.();
    if (since === 0) since = performance.now();
    else if (performance.now() - since > options.stallMs) throw new Error(`${options.who} has not answered for ${options.stallMs / 1000} s`);
    Atomics.wait(c, word, from, 2);
  }
}

/** Until `c[word]`, a counter that only grows, reaches `target`. */
export function waitFor(c: Int32Array, word: number, target: number, options: WaitOptions): void {
  for (let v = Atomics.load(c, word); v < target; v = Atomics.load(c, word)) waitWhile(c, word, v, options);
}
