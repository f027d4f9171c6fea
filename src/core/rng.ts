/**
 * Seeded pseudo-random generator: xoshiro128** (Blackman & Vigna 2018), seeded through SplitMix32.
 *
 * Every module owns one, seeded from its config, so the same config gives the same run.
 * The whole state is four uint32 words (plus a cached normal), so checkpoints can save and
 * restore it exactly.
 */
export class Rng {
  private s = new Uint32Array(4);
  /** Second value of the last Box–Muller pair, NaN when empty. */
  private spareNormal = NaN;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    // SplitMix32 spreads one 32-bit seed over the four state words (never all zero).
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spareNormal = NaN;
  }

  /** Next uniformly distributed uint32. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() * 2.3283064365386963e-10;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal deviate (Box–Muller, caching the second value). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i];
      a[i] = a[j];
      a[j] = tmp;
    }
    return a;
  }

  /** A fresh uint32 seed for a child generator. */
  deriveSeed(): number {
    return this.nextUint32();
  }

  /** Exact state, for checkpoints: four state words and the cached normal. */
  getState(): Float64Array {
    return Float64Array.of(this.s[0], this.s[1], this.s[2], this.s[3], this.spareNormal);
  }

  setState(state: ArrayLike<number>): void {
    if (state.length !== 5) throw new RangeError(`Rng state must have 5 numbers, got ${state.length}`);
    for (let i = 0; i < 4; i++) this.s[i] = state[i] >>> 0;
    this.spareNormal = state[4];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Mixes a parent seed with a name into a child seed (FNV-1a over the name, then SplitMix32). */
export function deriveSeed(parentSeed: number, name: string): number {
  let h = 0x811c9dc5 ^ (parentSeed >>> 0);
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let z = (h + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
