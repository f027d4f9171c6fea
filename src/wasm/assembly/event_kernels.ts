// AssemblyScript source of the event engine's WebAssembly kernels (compiled by
// scripts/build_wasm.ts into ../event_kernels_wasm.ts). Each kernel is the TypeScript loop named
// beside it, operation for operation in the same order and precision, so weights and currents are
// bit-identical (test/wasm/event_kernels.test.ts). Arguments are byte offsets into the arena's
// memory (src/wasm/arena.ts) and element counts.

// f64 ← f32 load, f32 ← f64 store (round to nearest), as a Float32Array read / write in JS.
@inline function f32at(base: usize, k: i32): f64 {
  return <f64>load<f32>(base + (<usize>k << 2));
}

// min(max(v, 0), hi) without a branch at 0: (v + |v|)/2 is exactly max(v, 0).
@inline function clip(v: f64, hi: f64): f64 {
  const p = 0.5 * (v + abs<f64>(v));
  return select<f64>(hi, p, p > hi);
}

// N2NDelays.step after the history's push: the groups g = i·L + a arriving this step (pre unit i
// spiked a steps ago; the history's row of age a is head − a, mod L), the non-empty ones, in order
// of age then spike. Writes them to `active` and returns how many.
export function delayGroups(L: i32, n: i32, head: i32, rows: usize, counts: usize, groupStart: usize, active: usize): i32 {
  let na = 0;
  for (let a = 0; a < L; a++) {
    const r = head - a < 0 ? head - a + L : head - a;
    const m = load<i32>(counts + (<usize>r << 2));
    const row = rows + ((<usize>r * <usize>n) << 2);
    for (let c = 0; c < m; c++) {
      const g = load<i32>(row + (<usize>c << 2)) * L + a;
      const p = groupStart + (<usize>g << 2);
      if (load<i32>(p) != load<i32>(p + 4)) {
        store<i32>(active + (<usize>na << 2), g);
        na++;
      }
    }
  }
  return na;
}

// Synapses.deliver, deliverGroupsTransposed: drive[o] ±= kt[i·nPost + o] over the active groups.
export function deliverGroups(na: i32, L: i32, nPost: i32, active: usize, groupStart: usize, groupPost: usize, preInh: usize, kt: usize, drive: usize): void {
  for (let c = 0; c < na; c++) {
    const g = load<i32>(active + (<usize>c << 2));
    const i = g / L;
    const row = kt + ((<usize>i * <usize>nPost) << 2);
    const e = load<i32>(groupStart + (<usize>(g + 1) << 2));
    let s = load<i32>(groupStart + (<usize>g << 2));
    if (load<u8>(preInh + <usize>i)) {
      for (; s < e; s++) {
        const o = <usize>load<i32>(groupPost + (<usize>s << 2));
        const p = drive + (o << 3);
        store<f64>(p, load<f64>(p) - <f64>load<f32>(row + (o << 2)));
      }
    } else {
      for (; s < e; s++) {
        const o = <usize>load<i32>(groupPost + (<usize>s << 2));
        const p = drive + (o << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(row + (o << 2)));
      }
    }
  }
}

// deliverGroups, and in the same pass the quadruplet rule's arrival update of every synapse as if
// its post unit does not spike this step (the rule's `arrivals`, before the soma has run):
// K ← clip(K + uInc[2o + q], uHi[2o + q]). The weight before it goes to kOld, one per arrival in
// order, so that the rule can redo the arrivals at post units that did spike (spikedArrivals).
// With `hiUniform` every post unit has the same ceilings (one post class), so uHi[q] serves a group.
export function deliverArrivals(na: i32, L: i32, nPost: i32, active: usize, groupStart: usize, groupPost: usize, preInh: usize, kt: usize, drive: usize, preCls: usize, uInc: usize, uHi: usize, kOld: usize, hiUniform: bool): void {
  if (hiUniform) arrivalGroups(na, L, nPost, active, groupStart, groupPost, preInh, kt, drive, preCls, uInc, uHi, kOld, true);
  else arrivalGroups(na, L, nPost, active, groupStart, groupPost, preInh, kt, drive, preCls, uInc, uHi, kOld, false);
}

// deliverArrivals for a constant `hiUniform` (inlined twice: one loop each way). Four arrivals at a
// time: the weights gathered into one vector (stored to kOld at once), the update and the drive in
// two pairs of f64 lanes, lane for lane the scalar operations.
@inline function arrivalGroups(na: i32, L: i32, nPost: i32, active: usize, groupStart: usize, groupPost: usize, preInh: usize, kt: usize, drive: usize, preCls: usize, uInc: usize, uHi: usize, kOld: usize, hiUniform: bool): void {
  let n = kOld;
  for (let c = 0; c < na; c++) {
    const g = load<i32>(active + (<usize>c << 2));
    const i = g / L;
    const q = <usize>load<u8>(preCls + <usize>i) << 3;
    const inc = uInc + q;
    const hb = uHi + q;
    const h = f64x2.splat(load<f64>(hb));
    const row = kt + ((<usize>i * <usize>nPost) << 2);
    const e = load<i32>(groupStart + (<usize>(g + 1) << 2));
    let s = load<i32>(groupStart + (<usize>g << 2));
    const sign: f64 = load<u8>(preInh + <usize>i) ? -1.0 : 1.0;
    const sv = f64x2.splat(sign);
    for (; s + 4 <= e; s += 4, n += 16) {
      const oo = v128.load(groupPost + (<usize>s << 2));
      const o0 = <usize>i32x4.extract_lane(oo, 0), o1 = <usize>i32x4.extract_lane(oo, 1);
      const o2 = <usize>i32x4.extract_lane(oo, 2), o3 = <usize>i32x4.extract_lane(oo, 3);
      const p0 = row + (o0 << 2), p1 = row + (o1 << 2), p2 = row + (o2 << 2), p3 = row + (o3 << 2);
      const w4 = v128.load32_lane(p3, v128.load32_lane(p2, v128.load32_lane(p1, v128.load32_zero(p0), 1), 2), 3);
      v128.store(n, w4);
      const wl = f64x2.promote_low_f32x4(w4);
      const wh = f64x2.promote_low_f32x4(i32x4.shuffle(w4, w4, 2, 3, 0, 1));
      // The four post units of a group differ, so their drives are added in lanes.
      addPair(drive + (o0 << 3), drive + (o1 << 3), f64x2.mul(sv, wl));
      addPair(drive + (o2 << 3), drive + (o3 << 3), f64x2.mul(sv, wh));
      const rl = f32x4.demote_f64x2_zero(clip2(wl, pair(inc, o0, o1), hiUniform ? h : pair(hb, o0, o1)));
      const rh = f32x4.demote_f64x2_zero(clip2(wh, pair(inc, o2, o3), hiUniform ? h : pair(hb, o2, o3)));
      const r = i32x4.shuffle(rl, rh, 0, 1, 4, 5);
      v128.store32_lane(p0, r, 0);
      v128.store32_lane(p1, r, 1);
      v128.store32_lane(p2, r, 2);
      v128.store32_lane(p3, r, 3);
    }
    for (; s < e; s++, n += 4) {
      const o = <usize>load<i32>(groupPost + (<usize>s << 2));
      const p = row + (o << 2);
      const w = load<f32>(p);
      store<f32>(n, w);
      addTo(drive + (o << 3), sign * <f64>w);
      const j = o << 4;
      store<f32>(p, <f32>clip(<f64>w + load<f64>(inc + j), load<f64>(hb + j)));
    }
  }
}

@inline function addTo(p: usize, v: f64): void {
  store<f64>(p, load<f64>(p) + v);
}

// addTo at two different addresses, in two f64 lanes.
@inline function addPair(p0: usize, p1: usize, v: v128): void {
  const d = f64x2.add(v128.load64_lane(p1, v128.load64_zero(p0), 1), v);
  v128.store64_lane(p0, d, 0);
  v128.store64_lane(p1, d, 1);
}

// base[2·o0] and base[2·o1] (f64, base offset by the pre class) in two lanes.
@inline function pair(base: usize, o0: usize, o1: usize): v128 {
  return v128.load64_lane(base + (o1 << 4), v128.load64_zero(base + (o0 << 4)), 1);
}

// clip(w + u, hi) in two f64 lanes, as `clip` computes it.
@inline function clip2(w: v128, u: v128, hi: v128): v128 {
  const v = f64x2.add(w, u);
  const p = f64x2.mul(f64x2.splat(0.5), f64x2.add(v, f64x2.abs(v)));
  return v128.bitselect(hi, p, f64x2.gt(p, hi));
}

// TracedSynapsesBase.stepSummed: drive ← 0, delivery (deliverGroups), then per trace component c
// and post unit o: v = B + e·(S − B) + scale·drive[o], S ← v, current[o] += coef·v (from 0).
// With `rule` (the argument block of the quadruplet rule updating kt, see quadrupletStep), the
// delivery is deliverArrivals with that rule's increments.
export function tracedSynapses(na: i32, L: i32, nPost: i32, active: usize, groupStart: usize, groupPost: usize, preInh: usize, kt: usize, drive: usize, nComp: i32, z: usize, decay: usize, scale: usize, base: usize, coef: usize, currents: usize, rule: usize): void {
  memory.fill(drive, 0, <usize>nPost << 3);
  if (rule) deliverArrivals(na, L, nPost, active, groupStart, groupPost, preInh, kt, drive, ptr(rule, S_preCls), ptr(rule, S_uInc), ptr(rule, S_uHi), ptr(rule, S_kOld), int(rule, S_hiUniform) != 0);
  else deliverGroups(na, L, nPost, active, groupStart, groupPost, preInh, kt, drive);
  memory.fill(currents, 0, <usize>nPost << 2);
  for (let c = 0; c < nComp; c++) {
    const at = <usize>(c * nPost) << 2;
    const zc = z + at, dc = decay + at, sc = scale + at, bc = base + at, cc = coef + at;
    let o = 0;
    // Two post units at a time in f64 lanes, lane for lane the scalar operations below.
    for (; o + 2 <= nPost; o += 2) {
      const p = <usize>o << 2;
      const b = f64x2.promote_low_f32x4(v128.load64_zero(bc + p));
      const zv = f64x2.promote_low_f32x4(v128.load64_zero(zc + p));
      const dv = f64x2.promote_low_f32x4(v128.load64_zero(dc + p));
      const sv = f64x2.promote_low_f32x4(v128.load64_zero(sc + p));
      const v = f64x2.add(f64x2.add(b, f64x2.mul(dv, f64x2.sub(zv, b))), f64x2.mul(sv, v128.load(drive + (<usize>o << 3))));
      const v32 = f32x4.demote_f64x2_zero(v);
      v128.store64_lane(zc + p, v32, 0);
      const cur = f64x2.promote_low_f32x4(v128.load64_zero(currents + p));
      const cv = f64x2.promote_low_f32x4(v128.load64_zero(cc + p));
      v128.store64_lane(currents + p, f32x4.demote_f64x2_zero(f64x2.add(cur, f64x2.mul(cv, v))), 0);
    }
    for (; o < nPost; o++) {
      const p = <usize>o << 2;
      const b = <f64>load<f32>(bc + p);
      const v = b + <f64>load<f32>(dc + p) * (<f64>load<f32>(zc + p) - b) + <f64>load<f32>(sc + p) * load<f64>(drive + (<usize>o << 3));
      store<f32>(zc + p, <f32>v);
      const q = currents + p;
      store<f32>(q, <f32>(<f64>load<f32>(q) + <f64>load<f32>(cc + p) * v));
    }
  }
}

// QuadrupletRuleTensor.stepDelayed, arrival loop: K ← clip(K + uInc[2o + q], uHi[2o + q]) for every
// arriving synapse whose post unit o did not spike. Those that did are listed (entry s, index c of
// the group in `active`) for the caller, which computes their whole ΔK. Returns how many.
export function arrivals(na: i32, L: i32, nPost: i32, active: usize, groupStart: usize, groupPost: usize, preCls: usize, sPost: usize, uInc: usize, uHi: usize, kt: usize, pendS: usize, pendC: usize): i32 {
  let np = 0;
  for (let c = 0; c < na; c++) {
    const g = load<i32>(active + (<usize>c << 2));
    const i = g / L;
    const q = <usize>load<u8>(preCls + <usize>i);
    const row = kt + ((<usize>i * <usize>nPost) << 2);
    const e = load<i32>(groupStart + (<usize>(g + 1) << 2));
    for (let s = load<i32>(groupStart + (<usize>g << 2)); s < e; s++) {
      const o = <usize>load<i32>(groupPost + (<usize>s << 2));
      if (load<u8>(sPost + o)) {
        store<i32>(pendS + (<usize>np << 2), s);
        store<i32>(pendC + (<usize>np << 2), c);
        np++;
        continue;
      }
      const j = ((o << 1) + q) << 3;
      const p = row + (o << 2);
      store<f32>(p, <f32>clip(<f64>load<f32>(p) + load<f64>(uInc + j), load<f64>(uHi + j)));
    }
  }
  return np;
}

// After deliverArrivals: lists the arrivals at post units that spiked (entry s, index c of the group
// in `active`) and the weight each had before this step (kOld), for the pre-and-post update. A
// group's post units are a bit set (groupMask, `words` 32-bit words per group) and its entries list
// them in ascending order, so the spiking ones are the bits it shares with `spikeBits`, and an
// entry's rank in its group is the number of the group's bits below it.
export function spikedArrivals(na: i32, active: usize, groupStart: usize, groupMask: usize, words: i32, spikeBits: usize, kOld: usize, pendS: usize, pendC: usize, pendOld: usize): i32 {
  let np = 0;
  let n = 0;
  for (let c = 0; c < na; c++) {
    const g = load<i32>(active + (<usize>c << 2));
    const s0 = load<i32>(groupStart + (<usize>g << 2));
    const gm = groupMask + ((<usize>g * <usize>words) << 2);
    let rank = 0;
    for (let w = 0; w < words; w++) {
      const m = load<u32>(gm + (<usize>w << 2));
      let hit = m & load<u32>(spikeBits + (<usize>w << 2));
      while (hit) {
        const r = rank + <i32>popcnt(m & ((hit & (0 - hit)) - 1));
        store<i32>(pendS + (<usize>np << 2), s0 + r);
        store<i32>(pendC + (<usize>np << 2), c);
        store<f32>(pendOld + (<usize>np << 2), load<f32>(kOld + (<usize>(n + r) << 2)));
        np++;
        hit &= hit - 1;
      }
      rank += <i32>popcnt(m);
    }
    n += load<i32>(groupStart + (<usize>(g + 1) << 2)) - s0;
  }
  return np;
}

// Undoes deliverArrivals' updates: every arriving weight back to its kOld.
export function undoArrivals(na: i32, L: i32, nPost: i32, active: usize, groupStart: usize, groupPost: usize, kt: usize, kOld: usize): void {
  let n = kOld;
  for (let c = 0; c < na; c++) {
    const g = load<i32>(active + (<usize>c << 2));
    const row = kt + ((<usize>(g / L) * <usize>nPost) << 2);
    const e = load<i32>(groupStart + (<usize>(g + 1) << 2));
    for (let s = load<i32>(groupStart + (<usize>g << 2)); s < e; s++, n += 4) {
      store<f32>(row + (<usize>load<i32>(groupPost + (<usize>s << 2)) << 2), load<f32>(n));
    }
  }
}

// QuadrupletRuleTensor.rowPass, presynaptic-major kernel: the column of spiking post unit o,
// K[i·nPost + o] ← clip(K + dt·(f·(γ_i + δ_i·x_i)), hi_i), x_i read at the synapse's latency.
export function rowPass(o: i32, nPre: i32, nPost: i32, f: f64, dt: f64, lat: usize, slotBase: usize, xHist: usize, params: i32, gamma: usize, delta: usize, hi: usize, kt: usize): void {
  const latRow = lat + ((<usize>o * <usize>nPre) << 1);
  let p = kt + (<usize>o << 2);
  const stride = <usize>nPost << 2;
  for (let i = 0; i < nPre; i++, p += stride) {
    const a = <usize>load<u16>(latRow + (<usize>i << 1));
    const x = f32at(xHist, load<i32>(slotBase + (a << 2)) + i);
    const j = <usize>(params + i) << 3;
    const v = <f64>load<f32>(p) + dt * (f * (load<f64>(gamma + j) + load<f64>(delta + j) * x));
    store<f32>(p, <f32>clip(v, load<f64>(hi + j)));
  }
}

// rowPass with the increments precomputed per latency a and pre unit i, when every spiking post
// unit has the same f: T[a·nPre + i] = dt·(f·(γ_i + δ_i·x_i(a))) (rowTable), the same doubles.
export function rowPassTable(o: i32, nPre: i32, nPost: i32, lat: usize, table: usize, hi: usize, kt: usize): void {
  const latRow = lat + ((<usize>o * <usize>nPre) << 1);
  let p = kt + (<usize>o << 2);
  const stride = <usize>nPost << 2;
  for (let i = 0; i < nPre; i++, p += stride) {
    const a = <i32>load<u16>(latRow + (<usize>i << 1));
    const v = <f64>load<f32>(p) + load<f64>(table + (<usize>(a * nPre + i) << 3));
    store<f32>(p, <f32>clip(v, load<f64>(hi + (<usize>i << 3))));
  }
}

// The table of rowPassTable for one post class: T[a·nPre + i] = dt·(f·(γ_i + δ_i·x_i)) with x_i
// read at latency a (slot base slotBase[a]), pairs of pre units in f64 lanes.
export function rowTable(nPre: i32, L: i32, f: f64, dt: f64, slotBase: usize, xHist: usize, gamma: usize, delta: usize, table: usize): void {
  const fv = f64x2.splat(f);
  const dtv = f64x2.splat(dt);
  for (let a = 0; a < L; a++) {
    const x = xHist + (<usize>load<i32>(slotBase + (<usize>a << 2)) << 2);
    const dst = table + (<usize>(a * nPre) << 3);
    let i = 0;
    for (; i + 2 <= nPre; i += 2) {
      const b = <usize>i << 3;
      const xv = f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>i << 2)));
      const gd = f64x2.add(v128.load(gamma + b), f64x2.mul(v128.load(delta + b), xv));
      v128.store(dst + b, f64x2.mul(dtv, f64x2.mul(fv, gd)));
    }
    for (; i < nPre; i++) {
      const b = <usize>i << 3;
      store<f64>(dst + b, dt * (f * (load<f64>(gamma + b) + load<f64>(delta + b) * f32at(x, i))));
    }
  }
}

// QuadrupletRuleTensor.stepDelayed, trace history: X[cur + i] ← decay[po + i]·X[prev + i] for all i
// (the caller then adds this step's spikes). Four at a time in SIMD lanes: f32 → f64, multiply,
// f64 → f32 (round to nearest even), lane for lane the scalar operations, so the same bits.
export function decayHistory(n: i32, xHist: usize, cur: i32, prev: i32, decay: usize, po: i32): void {
  const dst = xHist + (<usize>cur << 2);
  const src = xHist + (<usize>prev << 2);
  const d = decay + (<usize>po << 3);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(src + (<usize>i << 2));
    const lo = f64x2.mul(f64x2.promote_low_f32x4(x), v128.load(d + (<usize>i << 3)));
    const hi = f64x2.mul(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)), v128.load(d + (<usize>i << 3), 16));
    v128.store(dst + (<usize>i << 2), v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    store<f32>(dst + (<usize>i << 2), <f32>(load<f64>(d + (<usize>i << 3)) * <f64>load<f32>(src + (<usize>i << 2))));
  }
}

// QuadrupletRuleTensor.updatePostTrace: y[2o + q] ← decay·y (+ jump if post unit o spiked), q = 0, 1.
// The pair (q = 0, 1) of a post unit in two f64 lanes: the scalar operations lane for lane.
export function postTrace(nPost: i32, sPost: usize, y: usize, decay: usize, jump: usize): void {
  for (let o = 0; o < nPost; o++) {
    const p = y + (<usize>o << 3);
    const b = <usize>o << 4;
    let v = f64x2.mul(v128.load(decay + b), f64x2.promote_low_f32x4(v128.load64_zero(p)));
    if (load<u8>(sPost + <usize>o)) v = f64x2.add(v, v128.load(jump + b));
    v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
  }
}

// QuadrupletRuleTensor.stepDelayed: the increment of a synapse receiving a spike without a post
// spike, uInc[2o + q] = dt·(f_o·(α + β·y[2o + q])) with f_o = η·m[o·mStride] and α, β per (o, q);
// the pair q = 0, 1 in two f64 lanes, as in postTrace. With `yDecay`, from the post traces this
// step will have if the post unit does not spike, decay·y as postTrace rounds it (before the soma).
export function increments(nPost: i32, eta: f64, dt: f64, mod: usize, mStride: i32, alpha: usize, beta: usize, y: usize, uInc: usize, yDecay: usize): void {
  const dtv = f64x2.splat(dt);
  for (let o = 0; o < nPost; o++) {
    const f = f64x2.splat(eta * <f64>load<f32>(mod + (<usize>(o * mStride) << 2)));
    const b = <usize>o << 4;
    let yv = f64x2.promote_low_f32x4(v128.load64_zero(y + (<usize>o << 3)));
    if (yDecay) yv = f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(v128.load(yDecay + b), yv)));
    const ab = f64x2.add(v128.load(alpha + b), f64x2.mul(v128.load(beta + b), yv));
    v128.store(uInc + b, f64x2.mul(dtv, f64x2.mul(f, ab)));
  }
}

// QuadrupletRuleTensor.stepDelayed on a presynaptic-major kernel, whole: trace history, post
// traces, and (if modulated) increments, arrivals, pre-and-post entries, row passes, in one call.
// Its arguments are a block of f64 slots, numbered below as QUADRUPLET_STEP_SLOTS in ../arena.ts
// (S_name there is `name`); pointers are byte offsets, counts and flags whole numbers.
const S_t = 0, S_L = 1, S_nPre = 2, S_nPost = 3, S_n0 = 4, S_cls0 = 5, S_cls1 = 6, S_modulated = 7;
const S_eta = 8, S_dt = 9, S_mStride = 10, S_na = 11, S_nPostSpikes = 12;
const S_xHist = 13, S_xDecay = 14, S_xJump = 15, S_spikes = 16, S_sPost = 17, S_y = 18, S_yDecay = 19, S_yJump = 20;
const S_mod = 21, S_postAlpha = 22, S_postBeta = 23, S_uInc = 24, S_uHi = 25, S_active = 26, S_groupStart = 27, S_groupPost = 28;
const S_preCls = 29, S_kt = 30, S_pendS = 31, S_pendC = 32, S_pendK = 33, S_pendV = 34, S_posts = 35, S_postCls = 36;
const S_lat = 37, S_slotBase = 38, S_rowAlpha = 39, S_rowBeta = 40, S_rowGamma = 41, S_rowDelta = 42, S_rowHi = 43, S_rowTable = 44;
const S_fused = 45, S_kOld = 46, S_pendOld = 47, S_hiUniform = 48, S_groupMask = 49, S_maskWords = 50, S_spikeBits = 51;

// Spiking post units from which a step's row passes read a table of increments (rowTable).
const ROW_TABLE_MIN = 2;

@inline function int(block: usize, k: i32): i32 {
  return <i32>load<f64>(block + (<usize>k << 3));
}

@inline function ptr(block: usize, k: i32): usize {
  return <usize>load<f64>(block + (<usize>k << 3));
}

export function quadrupletStep(block: usize): void {
  const t = int(block, S_t), L = int(block, S_L), nPre = int(block, S_nPre), nPost = int(block, S_nPost);
  const xHist = ptr(block, S_xHist), xDecay = ptr(block, S_xDecay), xJump = ptr(block, S_xJump);
  // X(t) per post class from this step's presynaptic spikes.
  const slot = t % L;
  const prev = (t - 1) % L;
  const n0 = int(block, S_n0);
  const spikes = ptr(block, S_spikes);
  for (let pc = 0; pc < 2; pc++) {
    if (!int(block, S_cls0 + pc)) continue;
    const cur = (pc * L + slot) * nPre;
    const pv = (pc * L + prev) * nPre;
    const po = pc * nPre;
    decayHistory(nPre, xHist, cur, pv, xDecay, po);
    for (let c = 0; c < n0; c++) {
      const i = load<i32>(spikes + (<usize>c << 2));
      const b = <usize>(po + i) << 3;
      store<f32>(xHist + (<usize>(cur + i) << 2), <f32>(load<f64>(xDecay + b) * f32at(xHist, pv + i) + load<f64>(xJump + b)));
    }
  }
  const sPost = ptr(block, S_sPost), y = ptr(block, S_y);
  postTrace(nPost, sPost, y, ptr(block, S_yDecay), ptr(block, S_yJump));
  if (!int(block, S_modulated)) return;
  const eta = load<f64>(block + (<usize>S_eta << 3)), dt = load<f64>(block + (<usize>S_dt << 3));
  const mod = ptr(block, S_mod), mStride = int(block, S_mStride);
  const uInc = ptr(block, S_uInc);
  const active = ptr(block, S_active), groupPost = ptr(block, S_groupPost), preCls = ptr(block, S_preCls), kt = ptr(block, S_kt);
  const pendS = ptr(block, S_pendS), pendC = ptr(block, S_pendC), pendOld = ptr(block, S_pendOld);
  const nps = int(block, S_nPostSpikes);
  // Fused: the traced synapses did the arrivals in their delivery pass (deliverArrivals).
  const fused = int(block, S_fused);
  let np = 0;
  if (!fused) {
    increments(nPost, eta, dt, mod, mStride, ptr(block, S_postAlpha), ptr(block, S_postBeta), y, uInc, 0);
    np = arrivals(int(block, S_na), L, nPost, active, ptr(block, S_groupStart), groupPost, preCls, sPost, uInc, ptr(block, S_uHi), kt, pendS, pendC);
  } else if (nps) {
    // The spiking post units as a bit set (the list S_posts has them).
    const words = int(block, S_maskWords), bits = ptr(block, S_spikeBits), list = ptr(block, S_posts);
    memory.fill(bits, 0, <usize>words << 2);
    for (let p = 0; p < nps; p++) {
      const o = load<i32>(list + (<usize>p << 2));
      const q = bits + (<usize>(o >> 5) << 2);
      store<u32>(q, load<u32>(q) | (<u32>1 << <u32>(o & 31)));
    }
    np = spikedArrivals(int(block, S_na), active, ptr(block, S_groupStart), ptr(block, S_groupMask), words, bits, ptr(block, S_kOld), pendS, pendC, pendOld);
  }
  // Pre and post spike (QuadrupletRuleTensor.bothSpiked): the whole ΔK from the unchanged K,
  // written after the row passes.
  const postCls = ptr(block, S_postCls);
  const rAlpha = ptr(block, S_rowAlpha), rBeta = ptr(block, S_rowBeta), rGamma = ptr(block, S_rowGamma), rDelta = ptr(block, S_rowDelta), rHi = ptr(block, S_rowHi);
  const pendK = ptr(block, S_pendK), pendV = ptr(block, S_pendV);
  for (let c = 0; c < np; c++) {
    const g = load<i32>(active + (<usize>load<i32>(pendC + (<usize>c << 2)) << 2));
    const i = g / L;
    const o = load<i32>(groupPost + (<usize>load<i32>(pendS + (<usize>c << 2)) << 2));
    const k = i * nPost + o;
    const pc = <i32>load<u8>(postCls + <usize>o);
    const x = f32at(xHist, (pc * L + (((t - (g - i * L)) % L) + L) % L) * nPre + i);
    const pi = <usize>(pc * nPre + i) << 3;
    const f = eta * f32at(mod, o * mStride);
    const yq = f32at(y, 2 * o + <i32>load<u8>(preCls + <usize>i));
    const v = (fused ? <f64>load<f32>(pendOld + (<usize>c << 2)) : f32at(kt, k)) + dt * (f * (load<f64>(rAlpha + pi) + load<f64>(rBeta + pi) * yq + load<f64>(rGamma + pi) + load<f64>(rDelta + pi) * x));
    store<i32>(pendK + (<usize>c << 2), k);
    store<f32>(pendV + (<usize>c << 2), <f32>clip(v, load<f64>(rHi + pi)));
  }
  // γ + δ·x_pre on the columns of spiking post units (QuadrupletRuleTensor.rowPass).
  const posts = ptr(block, S_posts), lat = ptr(block, S_lat), slotBase = ptr(block, S_slotBase);
  if (nps >= ROW_TABLE_MIN && mStride == 0) {
    // One f for all: each post class's increments per (latency, pre unit) once, then table reads.
    const table = ptr(block, S_rowTable);
    const f = eta * f32at(mod, 0);
    let built = 0;
    for (let p = 0; p < nps; p++) {
      const o = load<i32>(posts + (<usize>p << 2));
      const pc = <i32>load<u8>(postCls + <usize>o);
      const tpc = table + (<usize>(pc * L * nPre) << 3);
      const pp = <usize>(pc * nPre) << 3;
      if (!(built & (1 << pc))) {
        built |= 1 << pc;
        for (let a = 0; a < L; a++) store<i32>(slotBase + (<usize>a << 2), (pc * L + (((t - a) % L) + L) % L) * nPre);
        rowTable(nPre, L, f, dt, slotBase, xHist, rGamma + pp, rDelta + pp, tpc);
      }
      rowPassTable(o, nPre, nPost, lat, tpc, rHi + pp, kt);
    }
  } else {
    for (let p = 0; p < nps; p++) {
      const o = load<i32>(posts + (<usize>p << 2));
      const pc = <i32>load<u8>(postCls + <usize>o);
      const f = eta * f32at(mod, o * mStride);
      for (let a = 0; a < L; a++) store<i32>(slotBase + (<usize>a << 2), (pc * L + (((t - a) % L) + L) % L) * nPre);
      rowPass(o, nPre, nPost, f, dt, lat, slotBase, xHist, pc * nPre, rGamma, rDelta, rHi, kt);
    }
  }
  for (let c = 0; c < np; c++) store<f32>(kt + (<usize>load<i32>(pendK + (<usize>c << 2)) << 2), load<f32>(pendV + (<usize>c << 2)));
}

// AdaptiveLeakySoma.update (src/components/somas/adaptive_leaky_soma.ts) with the same operations,
// two units at a time (one at a time for a pair with a spike): refractory readiness, the leaky
// update, the spike test against the adaptive threshold, reset, counter, threshold decay and jump.
// Writes the spiking units' indices to `spikes` (ascending) and returns how many.
export function adaptiveLeakySoma(n: i32, v: usize, current: usize, decay: usize, gainR: usize, resetRel: usize, counter: usize, steps: usize, theta: usize, base: usize, thetaDecay: usize, delta: usize, spikes: usize): i32 {
  let ns = 0;
  let i = 0;
  // Two units per iteration in f64 lanes while neither spikes (lane for lane the scalar operations;
  // and-ing gainR·current with the readiness mask gives +0.0, as the scalar select does).
  const zero = f64x2.splat(0.0);
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const c = v128.load64_zero(counter + o);
    const st = v128.load64_zero(steps + o);
    const ready = i64x2.extend_low_i32x4_s(i32x4.gt_s(c, st));
    const gc = v128.and(f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(gainR + o)), f64x2.promote_low_f32x4(v128.load64_zero(current + o))), ready);
    const x = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(v128.load64_zero(decay + o)), f64x2.promote_low_f32x4(v128.load64_zero(v + o))), gc);
    const th = f64x2.promote_low_f32x4(v128.load64_zero(theta + o));
    if (v128.any_true(v128.and(f64x2.gt(x, th), ready))) {
      ns = somaUnit(i, ns, v, current, decay, gainR, resetRel, counter, steps, theta, base, thetaDecay, delta, spikes);
      ns = somaUnit(i + 1, ns, v, current, decay, gainR, resetRel, counter, steps, theta, base, thetaDecay, delta, spikes);
      continue;
    }
    v128.store64_lane(v + o, f32x4.demote_f64x2_zero(x), 0);
    // c ≤ st: c + 1 (the mask is −1 where true).
    v128.store64_lane(counter + o, i32x4.sub(c, i32x4.le_s(c, st)), 0);
    const b = f64x2.promote_low_f32x4(v128.load64_zero(base + o));
    const td = f64x2.promote_low_f32x4(v128.load64_zero(thetaDecay + o));
    v128.store64_lane(theta + o, f32x4.demote_f64x2_zero(f64x2.add(f64x2.add(b, f64x2.mul(td, f64x2.sub(th, b))), zero)), 0);
  }
  for (; i < n; i++) ns = somaUnit(i, ns, v, current, decay, gainR, resetRel, counter, steps, theta, base, thetaDecay, delta, spikes);
  return ns;
}

// One unit of adaptiveLeakySoma, as AdaptiveLeakySoma.update computes it.
@inline function somaUnit(i: i32, ns: i32, v: usize, current: usize, decay: usize, gainR: usize, resetRel: usize, counter: usize, steps: usize, theta: usize, base: usize, thetaDecay: usize, delta: usize, spikes: usize): i32 {
  const o = <usize>i << 2;
  const c = load<i32>(counter + o);
  const st = load<i32>(steps + o);
  const ready = c > st;
  let x = <f64>load<f32>(decay + o) * <f64>load<f32>(v + o) + (ready ? <f64>load<f32>(gainR + o) * <f64>load<f32>(current + o) : 0.0);
  const th = <f64>load<f32>(theta + o);
  const s = ready && x > th;
  if (s) {
    store<i32>(spikes + (<usize>ns << 2), i);
    ns++;
    x = <f64>load<f32>(resetRel + o);
  }
  store<f32>(v + o, <f32>x);
  store<i32>(counter + o, s ? 0 : c <= st ? c + 1 : c);
  const b = <f64>load<f32>(base + o);
  store<f32>(theta + o, <f32>(b + <f64>load<f32>(thetaDecay + o) * (th - b) + (s ? <f64>load<f32>(delta + o) : 0.0)));
  return ns;
}

// LinearUnits.step (src/interfaces/input/linear_spiker.ts): integrate-to-threshold units with a
// refractory time, unit by unit with the same operations. Writes the spiking units' indices to
// `spikes` (ascending) and returns how many.
export function linearUnits(n: i32, decay: f64, k: f64, threshold: f64, cd: f64, dt: f64, v: usize, ref: usize, drive: usize, spikes: usize): i32 {
  let ns = 0;
  let i = 0;
  // Two units per iteration in f64 lanes while neither spikes (the lanes do the scalar operations;
  // and-ing k·drive with the readiness mask gives +0.0, as the scalar select does).
  const decv = f64x2.splat(decay), kv = f64x2.splat(k), thv = f64x2.splat(threshold), cdv = f64x2.splat(cd), dtv = f64x2.splat(dt);
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 2;
    const r = f64x2.promote_low_f32x4(v128.load64_zero(ref + o));
    const kd = v128.and(f64x2.mul(kv, f64x2.promote_low_f32x4(v128.load64_zero(drive + o))), f64x2.ge(r, cdv));
    const x = f64x2.add(f64x2.mul(decv, f64x2.promote_low_f32x4(v128.load64_zero(v + o))), kd);
    if (!v128.any_true(f64x2.gt(x, thv))) {
      v128.store64_lane(v + o, f32x4.demote_f64x2_zero(x), 0);
      v128.store64_lane(ref + o, f32x4.demote_f64x2_zero(f64x2.add(r, dtv)), 0);
      continue;
    }
    ns = linearUnit(i, f64x2.extract_lane(x, 0), f64x2.extract_lane(r, 0), threshold, dt, v, ref, spikes, ns);
    ns = linearUnit(i + 1, f64x2.extract_lane(x, 1), f64x2.extract_lane(r, 1), threshold, dt, v, ref, spikes, ns);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const r = <f64>load<f32>(ref + o);
    const x = decay * <f64>load<f32>(v + o) + (r >= cd ? k * <f64>load<f32>(drive + o) : 0.0);
    ns = linearUnit(i, x, r, threshold, dt, v, ref, spikes, ns);
  }
  return ns;
}

// One unit of linearUnits after its new potential x: spike and reset, or store x and advance the refractory clock.
@inline function linearUnit(i: i32, x: f64, r: f64, threshold: f64, dt: f64, v: usize, ref: usize, spikes: usize, ns: i32): i32 {
  const o = <usize>i << 2;
  if (x > threshold) {
    store<i32>(spikes + (<usize>ns << 2), i);
    store<f32>(v + o, 0);
    store<f32>(ref + o, 0);
    return ns + 1;
  }
  store<f32>(v + o, <f32>x);
  store<f32>(ref + o, <f32>(r + dt));
  return ns;
}
