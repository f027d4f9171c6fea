/**
 * StateRecorder: records chosen units of a float/int payload every `every` steps (decimation).
 * Rows are stored back to back in a growable Float32Array.
 */
import { type Payload, SpikeArray } from '../core/payload.ts';
import type { Monitor } from './monitor.ts';

export class StateRecorder implements Monitor {
  readonly units: Int32Array;
  private buf: Float32Array;
  private stepsBuf: Int32Array;
  private rows = 0;
  private readonly data: ArrayLike<number>;

  constructor(
    readonly source: Payload,
    units?: ArrayLike<number>,
    /** Record every `every`-th step. */
    readonly every = 1,
  ) {
    if (source instanceof SpikeArray) source.demandDense();
    const d = (source as unknown as { data?: ArrayLike<number>; mask?: ArrayLike<number> }).data ?? (source as unknown as { mask: ArrayLike<number> }).mask;
    this.data = d;
    this.units = units ? Int32Array.from(units) : Int32Array.from({ length: source.size }, (_, i) => i);
    for (const u of this.units) {
      if (u < 0 || u >= source.size) throw new RangeError(`unit ${u} is outside 0..${source.size - 1}`);
    }
    if (!(every >= 1) || !Number.isInteger(every)) throw new RangeError(`every must be a positive integer, got ${every}`);
    this.buf = new Float32Array(Math.max(1, this.units.length) * 256);
    this.stepsBuf = new Int32Array(256);
  }

  sample(t: number): void {
    if (t % this.every !== 0) return;
    const m = this.units.length;
    if ((this.rows + 1) * m > this.buf.length || this.rows >= this.stepsBuf.length) {
      const b = new Float32Array(this.buf.length * 2);
      b.set(this.buf);
      this.buf = b;
      const s = new Int32Array(this.stepsBuf.length * 2);
      s.set(this.stepsBuf);
      this.stepsBuf = s;
    }
    const off = this.rows * m;
    for (let j = 0; j < m; j++) this.buf[off + j] = this.data[this.units[j]];
    this.stepsBuf[this.rows++] = t;
  }

  get length(): number {
    return this.rows;
  }

  /** Steps recorded and the values (row-major: rows × units). */
  values(): { steps: Int32Array; values: Float32Array; units: Int32Array } {
    return {
      steps: this.stepsBuf.subarray(0, this.rows),
      values: this.buf.subarray(0, this.rows * this.units.length),
      units: this.units,
    };
  }

  /** The trace of one recorded unit (by position in `units`). */
  trace(j: number): Float32Array {
    const m = this.units.length;
    const out = new Float32Array(this.rows);
    for (let r = 0; r < this.rows; r++) out[r] = this.buf[r * m + j];
    return out;
  }

  reset(): void {
    this.rows = 0;
  }
}
