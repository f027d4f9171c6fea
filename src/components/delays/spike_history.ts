/**
 * The presynaptic spikes of the last L steps, as a ring of index lists (one per step). A unit
 * spikes at most once per step, so each row holds at most n entries and the ring has a fixed
 * size: it never grows, and checkpoints restore it into a module built from the same config.
 */
import type { SpikeArray } from '../../core/payload.ts';
import { type ArrayAlloc, HEAP_ALLOC } from '../../wasm/arena.ts';

export class SpikeHistory {
  readonly length: number;
  readonly n: number;
  /** Row r holds the spiking units of one step at [r·n, r·n + counts[r]). */
  readonly rows: Int32Array;
  readonly counts: Int32Array;
  /** Row of the current step, in a 1-element array so checkpoints save it. */
  readonly head: Int32Array;

  /** `alloc`: where the arrays live (a WebAssembly arena, for the delays' group-listing kernel). */
  constructor(length: number, n: number, alloc: ArrayAlloc = HEAP_ALLOC) {
    this.length = length;
    this.n = n;
    this.rows = alloc.i32(length * n);
    this.counts = alloc.i32(length);
    this.head = alloc.i32(1);
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
