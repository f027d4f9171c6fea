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

// QuadrupletRuleTensor.stepDelayed, trace history: X[cur + i] ← decay[po + i]·X[prev + i] for all i
// (the caller then adds this step's spikes).
export function decayHistory(n: i32, xHist: usize, cur: i32, prev: i32, decay: usize, po: i32): void {
  for (let i = 0; i < n; i++) {
    store<f32>(xHist + (<usize>(cur + i) << 2), <f32>(load<f64>(decay + (<usize>(po + i) << 3)) * f32at(xHist, prev + i)));
  }
}

// QuadrupletRuleTensor.updatePostTrace: y[2o + q] ← decay·y (+ jump if post unit o spiked), q = 0, 1.
export function postTrace(nPost: i32, sPost: usize, y: usize, decay: usize, jump: usize): void {
  const n = nPost << 1;
  for (let j = 0; j < n; j++) {
    const p = y + (<usize>j << 2);
    const b = <usize>j << 3;
    let v = load<f64>(decay + b) * <f64>load<f32>(p);
    if (load<u8>(sPost + (<usize>j >> 1))) v = v + load<f64>(jump + b);
    store<f32>(p, <f32>v);
  }
}

// QuadrupletRuleTensor.stepDelayed: the increment of a synapse receiving a spike without a post
// spike, uInc[2o + q] = dt·(f_o·(α + β·y[2o + q])) with f_o = η·m[o·mStride] and α, β per (o, q).
export function increments(nPost: i32, eta: f64, dt: f64, mod: usize, mStride: i32, alpha: usize, beta: usize, y: usize, uInc: usize): void {
  for (let o = 0; o < nPost; o++) {
    const f = eta * <f64>load<f32>(mod + (<usize>(o * mStride) << 2));
    for (let q = 0; q < 2; q++) {
      const j = (o << 1) + q;
      const b = <usize>j << 3;
      store<f64>(uInc + b, dt * (f * (load<f64>(alpha + b) + load<f64>(beta + b) * f32at(y, j))));
    }
  }
}
