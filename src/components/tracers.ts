/**
 * Trace helpers shared by synapses and plasticity rules.
 *
 * Spark's Tracer (spark/core/tracers.py) updates every entry every step:
 *   z ← base + e^{−dt/τ}·(z − base) + scale·x.
 * With base 0 and sparse input, most steps only decay the trace. `LazyTrace` stores each entry's
 * value at its last update step and decays it on read, z(t) = z(t_last)·e^{−dt·(t − t_last)/τ},
 * which equals the eager recursion up to float rounding, so per-step work is proportional to
 * the entries read or bumped, not to the array size.
 */

/** Decay factor e^{−dt/τ} of each time constant. */
export function decayFactors(tau: ArrayLike<number>, dt: number): Float32Array {
  const out = new Float32Array(tau.length);
  for (let i = 0; i < tau.length; i++) out[i] = Math.exp(-dt / tau[i]);
  return out;
}

/** Longest table of decay powers kept per time-constant class. */
const MAX_TABLE = 4096;
/** Tables reach e^{−TABLE_SPAN}; longer gaps use Math.exp. */
const TABLE_SPAN = 60;
/** Up to this many distinct time constants share power tables; more fall back to Math.exp. */
const MAX_CLASSES = 16;

/**
 * A base-0 exponential trace with decay applied on read. Time is an integer step count owned by
 * the caller (steps since reset). Powers e^{−Δ·dt/τ} come from a table per distinct τ (few
 * classes) or from Math.exp (τ per entry).
 */
export class LazyTrace {
  readonly n: number;
  /** Value of each entry at step `last[k]`. */
  readonly value: Float32Array;
  /** Step of each entry's last update. */
  readonly last: Int32Array;
  /** dt/τ of each entry (Math.exp fallback). */
  private readonly rate: Float64Array;
  /** Offset of each entry's power table in `pow` (class · len), or −1 without tables. */
  private readonly offset: Int32Array;
  /** Flat power tables: pow[c·len + Δ] = e^{−Δ·dt/τ_c}. */
  private readonly pow: Float64Array;
  private readonly len: number;
  /** Start of class c's table in `pow`, and its dt/τ. */
  private readonly classOffset: Int32Array;
  private readonly classRate: Float64Array;

  /**
   * `tau`: τ of each entry (ms), or the entry count when entries take their τ from `classTau`
   * through readClass/bumpClass (fewer memory streams per access, for hot loops). `dt` in ms.
   */
  constructor(tau: ArrayLike<number> | number, dt: number, classTau: ArrayLike<number> = []) {
    const perEntry = typeof tau !== 'number';
    const n = perEntry ? tau.length : tau;
    this.n = n;
    this.value = new Float32Array(n);
    this.last = new Int32Array(n);
    this.rate = new Float64Array(perEntry ? n : 0);
    this.offset = new Int32Array(perEntry ? n : 0);
    const classes = new Map<number, number>();
    for (let c = 0; c < classTau.length; c++) if (!classes.has(classTau[c])) classes.set(classTau[c], classes.size);
    if (perEntry) {
      for (let k = 0; k < n; k++) {
        this.rate[k] = dt / tau[k];
        if (classes.size <= MAX_CLASSES && !classes.has(tau[k])) classes.set(tau[k], classes.size);
      }
    }
    const tabled = classes.size <= MAX_CLASSES;
    let len = 0;
    if (tabled) for (const t of classes.keys()) len = Math.max(len, Math.min(MAX_TABLE, Math.ceil((TABLE_SPAN * t) / dt) + 1));
    this.len = len;
    this.pow = new Float64Array(tabled ? classes.size * len : 0);
    this.classOffset = new Int32Array(classTau.length);
    if (tabled) {
      for (const [t, c] of classes) for (let d = 0; d < len; d++) this.pow[c * len + d] = Math.exp((-d * dt) / t);
      if (perEntry) for (let k = 0; k < n; k++) this.offset[k] = classes.get(tau[k])! * len;
      for (let c = 0; c < classTau.length; c++) this.classOffset[c] = classes.get(classTau[c])! * len;
    }
    this.classRate = Float64Array.from(classTau, (t) => dt / t);
  }

  /** Value at step t of entry k whose τ is class c of `classTau`. */
  readClass(k: number, t: number, c: number): number {
    const v = this.value[k];
    if (v === 0) return 0;
    const d = t - this.last[k];
    if (d < this.len) return v * this.pow[this.classOffset[c] + d];
    return v * Math.exp(-d * this.classRate[c]);
  }

  /** z_k ← z_k(t) + add at step t, for an entry of class c. */
  bumpClass(k: number, t: number, add: number, c: number): void {
    this.value[k] = this.readClass(k, t, c) + add;
    this.last[k] = t;
  }

  /** Value of entry k at step t (t ≥ its last update). */
  read(k: number, t: number): number {
    const v = this.value[k];
    if (v === 0) return 0;
    const d = t - this.last[k];
    if (d < this.len) return v * this.pow[this.offset[k] + d];
    return v * Math.exp(-d * this.rate[k]);
  }

  /** z_k ← z_k(t) + add, at step t. */
  bump(k: number, t: number, add: number): void {
    this.value[k] = this.read(k, t) + add;
    this.last[k] = t;
  }

  reset(): void {
    this.value.fill(0);
    this.last.fill(0);
  }
}
