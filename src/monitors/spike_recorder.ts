/**
 * SpikeRecorder: stores spikes sparsely as (step, index) events. The cost per step is the number
 * of spikes; storage grows by doubling (Brian2's SpikeMonitor keeps the same two arrays).
 */
import type { SpikeArray } from '../core/payload.ts';
import type { Monitor } from './monitor.ts';

export class SpikeRecorder implements Monitor {
  private stepsBuf = new Int32Array(1024);
  private indexBuf = new Int32Array(1024);
  private n = 0;

  constructor(
    readonly source: SpikeArray,
    /** Record only steps in [start, stop). */
    readonly start = 0,
    readonly stop = Infinity,
  ) {
    source.demandDense();
  }

  sample(t: number): void {
    if (t < this.start || t >= this.stop) return;
    const s = this.source;
    if (this.n + s.count > this.stepsBuf.length) this.grow(this.n + s.count);
    for (let c = 0; c < s.count; c++) {
      this.stepsBuf[this.n] = t;
      this.indexBuf[this.n++] = s.indices[c];
    }
  }

  private grow(need: number): void {
    let cap = this.stepsBuf.length;
    while (cap < need) cap *= 2;
    const a = new Int32Array(cap);
    a.set(this.stepsBuf.subarray(0, this.n));
    const b = new Int32Array(cap);
    b.set(this.indexBuf.subarray(0, this.n));
    this.stepsBuf = a;
    this.indexBuf = b;
  }

  /** Number of recorded events. */
  get length(): number {
    return this.n;
  }

  /** Recorded events (views, valid until the next sample). */
  events(): { steps: Int32Array; indices: Int32Array } {
    return { steps: this.stepsBuf.subarray(0, this.n), indices: this.indexBuf.subarray(0, this.n) };
  }

  /** Spike count per unit. */
  countsPerUnit(): Int32Array {
    const c = new Int32Array(this.source.size);
    for (let k = 0; k < this.n; k++) c[this.indexBuf[k]]++;
    return c;
  }

  reset(): void {
    this.n = 0;
  }
}
