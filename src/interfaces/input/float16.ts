/**
 * Rounding to IEEE 754 half precision (round half to even), for constants that Spark stores as
 * float16 and that change behaviour visibly when kept in float32 (compat 'spark' only).
 * Node 20 has no Math.f16round.
 */
export function toFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity;
  // Spacing of float16 values around a: 2^(e − 10), with subnormals below 2^−14.
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const q = 2 ** (e - 10);
  const m = a / q;
  const fl = Math.floor(m);
  const frac = m - fl;
  const r = frac > 0.5 || (frac === 0.5 && fl % 2 === 1) ? fl + 1 : fl;
  return Math.sign(x) * r * q;
}
