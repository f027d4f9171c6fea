/**
 * The presynaptic spikes of the last L steps, as a ring of index lists (one per step). A unit
 * spikes at most once per step, so each row holds at most n entries and the ring has a fixed
 * size: it never grows, and checkpoints restore it into a module built from the same config.
 */
import type { SpikeArray } from '../../core/payload.ts';

export class SpikeHistory {
  readonly length: number;
  readonly n: number;
  /** Row r holds the spiking units of one step at [r·n, r·n + counts[r]). */
  readonly rows: Int32Array;
  readonly counts: Int32Array;
  /** Row of the current step, in a 1-element array so checkpoints save it. */
  readonly head: Int32Array;

  constructor(length: number, n: number) {
    this.length = length;
    this.n = n;
    this.rows = new Int32Array(length * n);
    this.counts = new Int32Array(length);
    this.head = new Int32Array(1);
  }

  /** Advances one step and records this step's spikes as age 0. */
  push(spikes: SpikeArray): void {
    const h = this.head[0] + 1 === this.length ? 0 : this.head[0] + 1;
    this.head[0] = h;
    const base = h * this.n;
    for (let c = 0; c < spikes.count; c++) this.rows[base + c] = spikes.indices[c];
    this.counts[h] = spikes.count;
  }

  /** Row index holding the spikes of `age` steps ago (0 = this step). */
  row(age: number): number {
    const r = this.head[0] - age;
    return r < 0 ? r + this.length : r;
  }

  reset(): void {
    this.counts.fill(0);
    this.head[0] = 0;
  }
}
