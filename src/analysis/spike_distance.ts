/**
 * Bivariate spike-train distances of Kreuz et al.: the ISI-distance (Kreuz, Haas, Morelli,
 * Abarbanel & Politi 2007, J Neurosci Methods 165:151) and the SPIKE-distance (Kreuz, Chicharro,
 * Houghton, Andrzejak & Mormann 2013, J Neurophysiol 109:1457).
 *
 * Edge handling follows PySpike (Mulansky & Kreuz 2016, SoftwareX 5:183; checked against
 * github.com/mariomulansky/PySpike at commit 56464c6, pyspike/cython/python_backend.py and its
 * tests), so results agree with PySpike's `isi_distance` / `spike_distance` with default options
 * (MRTS = 0, not rate-independent):
 *
 * - Input: spikes are sorted, duplicates dropped, and spikes outside [tStart, tEnd] dropped.
 *   An empty train is replaced by auxiliary spikes at tStart and tEnd (PySpike's
 *   `get_spikes_non_empty`); so two empty trains have distance 0.
 * - Edge ISIs: the interval before the first spike uses max(s0 − tStart, s1 − s0) and the one after
 *   the last spike max(tEnd − s_last, s_last − s_prev) (just s0 − tStart or tEnd − s0 with one
 *   spike). This is the SPIKY/PySpike edge correction (Kreuz, Mulansky & Bozanic 2015, J Neurophysiol
 *   113:3432) rather than the plain auxiliary-spike ISI.
 * - SPIKE edges: in the interval before the first / after the last spike the weighted spike-time
 *   difference S_1(t) is held constant at the Δt of that spike (PySpike's "Eero's correction"),
 *   and Δt of a spike is measured to the nearest spike of the other train or to that train's
 *   auxiliary edge spikes, placed one first/last ISI beyond its first/last spike but never inside
 *   [tStart, tEnd] (at tStart/tEnd for a one-spike train).
 * - Special case copied from PySpike's behaviour: a train whose only spike is at tStart gets an
 *   auxiliary spike at tEnd, so its S_1 is interpolated linearly over the whole window.
 *
 * Both profiles are integrated exactly: I(t) is piecewise constant and S(t) piecewise linear
 * between the merged spike times.
 */

/** A prepared train: sorted, unique spikes in [tStart, tEnd], never empty. */
interface Train {
  s: Float64Array;
  /** Auxiliary edge spikes used when the other train measures its Δt against this one. */
  auxLo: number;
  auxHi: number;
}

function prepare(train: ArrayLike<number>, tStart: number, tEnd: number, name: string): Train {
  const kept: number[] = [];
  for (let i = 0; i < train.length; i++) {
    const t = train[i];
    if (!Number.isFinite(t)) throw new RangeError(`spike train ${name}: spike ${i} is not a finite number (${t})`);
    if (t >= tStart && t <= tEnd) kept.push(t);
  }
  kept.sort((p, q) => p - q);
  let n = 0;
  for (let i = 0; i < kept.length; i++) {
    if (n === 0 || kept[i] !== kept[n - 1]) kept[n++] = kept[i];
  }
  kept.length = n;
  if (n === 0) kept.push(tStart, tEnd);
  const s = Float64Array.from(kept);
  const m = s.length;
  return {
    s,
    auxLo: m > 1 ? Math.min(tStart, 2 * s[0] - s[1]) : tStart,
    auxHi: m > 1 ? Math.max(tEnd, 2 * s[m - 1] - s[m - 2]) : tEnd,
  };
}

function checkWindow(tStart: number, tEnd: number): void {
  if (!Number.isFinite(tStart) || !Number.isFinite(tEnd) || !(tEnd > tStart)) {
    throw new RangeError(`spike distance: need finite tStart < tEnd, got [${tStart}, ${tEnd}]`);
  }
}

/** Number of spikes ≤ t (the train's segment index at t is this minus one). */
function countUpTo(s: Float64Array, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Distance from t to the nearest spike of `y`, including y's auxiliary edge spikes. */
function nearest(t: number, y: Train): number {
  let d = Math.min(Math.abs(t - y.auxLo), Math.abs(t - y.auxHi));
  const j = countUpTo(y.s, t);
  if (j > 0) d = Math.min(d, t - y.s[j - 1]);
  if (j < y.s.length) d = Math.min(d, y.s[j] - t);
  return d;
}

/** ISI of train x in segment k (k = −1 before the first spike, n − 1 after the last). */
function segmentIsi(s: Float64Array, k: number, tStart: number, tEnd: number): number {
  const n = s.length;
  if (k < 0) return n > 1 ? Math.max(s[0] - tStart, s[1] - s[0]) : s[0] - tStart;
  if (k < n - 1) return s[k + 1] - s[k];
  return n > 1 ? Math.max(tEnd - s[n - 1], s[n - 1] - s[n - 2]) : tEnd - s[n - 1];
}

/** Sorted union of both trains' spikes and the window edges. */
function mergedEvents(a: Float64Array, b: Float64Array, tStart: number, tEnd: number): Float64Array {
  const out = new Float64Array(a.length + b.length + 2);
  let m = 0;
  const push = (t: number): void => {
    if (m === 0 || t > out[m - 1]) out[m++] = t;
  };
  push(tStart);
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] <= b[j])) push(a[i++]);
    else push(b[j++]);
  }
  push(tEnd);
  return out.subarray(0, m);
}

/**
 * ISI-distance D_I = (1/T) ∫ |x_isi − y_isi| / max(x_isi, y_isi) dt over [tStart, tEnd]
 * (Kreuz et al. 2007, eq. 2–3, with PySpike's edge correction, see the module comment).
 * Symmetric, in [0, 1], 0 for identical trains.
 */
export function isiDistance(a: ArrayLike<number>, b: ArrayLike<number>, tStart: number, tEnd: number): number {
  checkWindow(tStart, tEnd);
  const x = prepare(a, tStart, tEnd, 'a').s;
  const y = prepare(b, tStart, tEnd, 'b').s;
  const ev = mergedEvents(x, y, tStart, tEnd);
  let integral = 0;
  for (let e = 0; e + 1 < ev.length; e++) {
    const u = ev[e];
    const w = ev[e + 1] - u;
    const nx = segmentIsi(x, countUpTo(x, u) - 1, tStart, tEnd);
    const ny = segmentIsi(y, countUpTo(y, u) - 1, tStart, tEnd);
    const top = Math.max(nx, ny);
    if (top > 0) integral += (w * Math.abs(nx - ny)) / top;
  }
  return integral / (tEnd - tStart);
}

/** One train's piece of the SPIKE profile on a segment: S_1(t) is linear from (tP, dP) to (tF, dF). */
interface Piece {
  isi: number;
  tP: number;
  tF: number;
  dP: number;
  dF: number;
}

/** Per-spike Δt of x against y, i.e. distance to y's nearest (possibly auxiliary) spike. */
function spikeDeltas(x: Train, y: Train): Float64Array {
  const d = new Float64Array(x.s.length);
  for (let i = 0; i < d.length; i++) d[i] = nearest(x.s[i], y);
  return d;
}

function piece(x: Train, dx: Float64Array, y: Train, k: number, tStart: number, tEnd: number, out: Piece): void {
  const s = x.s;
  const n = s.length;
  out.isi = segmentIsi(s, k, tStart, tEnd);
  if (k >= 0 && k < n - 1) {
    out.tP = s[k];
    out.tF = s[k + 1];
    out.dP = dx[k];
    out.dF = dx[k + 1];
  } else if (k === 0 && n === 1 && s[0] === tStart) {
    // Lone spike at tStart: PySpike pairs it with an auxiliary spike at tEnd.
    out.tP = tStart;
    out.tF = tEnd;
    out.dP = dx[0];
    out.dF = nearest(tEnd, y);
  } else {
    // Edge segment: S_1 held at the Δt of the adjacent real spike.
    const d = k < 0 ? dx[0] : dx[n - 1];
    out.tP = tStart;
    out.tF = tEnd;
    out.dP = d;
    out.dF = d;
  }
}

function pieceAt(p: Piece, t: number): number {
  return p.dP === p.dF ? p.dP : p.dP + ((p.dF - p.dP) * (t - p.tP)) / (p.tF - p.tP);
}

/** S(t) = (S_1·y_ISI + S_2·x_ISI) / (2⟨x_ISI⟩²) with ⟨x_ISI⟩ = (x_ISI + y_ISI)/2 (Kreuz et al. 2013, eq. 6–8). */
function spikeValue(px: Piece, py: Piece, t: number): number {
  const mean = 0.5 * (px.isi + py.isi);
  if (!(mean > 0)) return 0;
  return (pieceAt(px, t) * py.isi + pieceAt(py, t) * px.isi) / (2 * mean * mean);
}

/**
 * SPIKE-distance D_S = (1/T) ∫ S(t) dt over [tStart, tEnd] (Kreuz et al. 2013), where
 * S_1(t) = (Δt_P·x_F(t) + Δt_F·x_P(t)) / x_ISI(t) and S(t) as in `spikeValue`; edge handling as
 * in PySpike (module comment). S is linear between merged spike times, so the trapezoid rule
 * on those points is exact. Symmetric, in [0, 1], 0 for identical trains.
 */
export function spikeDistance(a: ArrayLike<number>, b: ArrayLike<number>, tStart: number, tEnd: number): number {
  checkWindow(tStart, tEnd);
  const x = prepare(a, tStart, tEnd, 'a');
  const y = prepare(b, tStart, tEnd, 'b');
  const dx = spikeDeltas(x, y);
  const dy = spikeDeltas(y, x);
  const ev = mergedEvents(x.s, y.s, tStart, tEnd);
  const px: Piece = { isi: 0, tP: 0, tF: 0, dP: 0, dF: 0 };
  const py: Piece = { isi: 0, tP: 0, tF: 0, dP: 0, dF: 0 };
  let integral = 0;
  for (let e = 0; e + 1 < ev.length; e++) {
    const u = ev[e];
    const v = ev[e + 1];
    piece(x, dx, y, countUpTo(x.s, u) - 1, tStart, tEnd, px);
    piece(y, dy, x, countUpTo(y.s, u) - 1, tStart, tEnd, py);
    integral += 0.5 * (v - u) * (spikeValue(px, py, u) + spikeValue(px, py, v));
  }
  return integral / (tEnd - tStart);
}
