/**
 * The event engine's WebAssembly kernels (src/wasm/): the committed bytes are a fresh compile of
 * the AssemblyScript source, the arena keeps its views valid as it grows, and each kernel gives
 * the bits of the straightforward TypeScript loop it replaces, clipping included. The cartpole
 * brain under both engines is compared in test/tasks/cartpole_equivalence.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.ts';
import { readFileSync } from 'node:fs';
import { QUADRUPLET_STEP_SLOTS, WasmArena } from '../../src/wasm/arena.ts';
import { eventKernelsBase64 } from '../../src/wasm/event_kernels_wasm.ts';
import { compileEventKernels } from '../../scripts/build_wasm.ts';

test('src/wasm/event_kernels_wasm.ts is the compiled AssemblyScript source (run scripts/build_wasm.ts after editing it)', async () => {
  const fresh = Buffer.from(await compileEventKernels()).toString('base64');
  assert.equal(eventKernelsBase64, fresh);
});

test('WasmArena: views stay valid while the memory grows; they are disjoint views of shared memory', () => {
  const arena = WasmArena.create(1000)!;
  assert.ok(arena, 'Node has shared WebAssembly memory');
  const a = arena.f32(10);
  a.set([1, 2, 3]);
  const b = arena.f64(2_000_000); // 16 MB: forces several grows
  b[b.length - 1] = 7;
  const c = arena.i32(5);
  assert.deepEqual(Array.from(a.subarray(0, 3)), [1, 2, 3], 'old view still reads');
  a[9] = 4;
  assert.equal(a[9], 4, 'old view still writes');
  assert.ok(a.byteOffset % 16 === 0 && b.byteOffset % 16 === 0 && c.byteOffset % 16 === 0, 'aligned');
  assert.ok(a.byteOffset > 0 && b.byteOffset >= a.byteOffset + 40 && c.byteOffset >= b.byteOffset + 16e6, 'disjoint');
  assert.ok(a.buffer instanceof SharedArrayBuffer && c.buffer instanceof SharedArrayBuffer, 'on shared memory');
  assert.equal(c.buffer.byteLength, arena.memory.buffer.byteLength, 'a view made after growing sees the grown memory');
});

/** Random spike groups over a presynaptic-major kernel, as N2N delays build them. */
function groups(arena: WasmArena, nPost: number, nPre: number, L: number, rng: Rng) {
  const n = nPost * nPre;
  const gs = arena.i32(nPre * L + 1);
  const gp = arena.i32(n);
  const lat = arena.u16(n);
  for (let k = 0; k < n; k++) lat[k] = Math.floor(rng.uniform() * L);
  for (let k = 0; k < n; k++) gs[(k % nPre) * L + lat[k] + 1]++;
  for (let g = 0; g < nPre * L; g++) gs[g + 1] += gs[g];
  const fill = gs.slice(0, nPre * L);
  for (let k = 0; k < n; k++) gp[fill[(k % nPre) * L + lat[k]]++] = Math.floor(k / nPre);
  const active = arena.i32(nPre * L);
  let na = 0;
  for (let g = 0; g < nPre * L; g++) if (rng.uniform() < 0.3) active[na++] = g;
  return { gs, gp, lat, active, na };
}

const clipRef = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);

/**
 * A pool for the arrival kernels: spike groups, a presynaptic-major kernel with many weights at 0
 * and near the bound 1 (so both clips fire), pre units' sign and class, and per-(o, q) increments.
 */
function arrivalPool(seed: number, nPost: number, nPre: number, L: number) {
  const rng = new Rng(seed);
  const arena = WasmArena.create(1 << 20)!;
  const grouped = groups(arena, nPost, nPre, L, rng);
  const kt = arena.f32(nPost * nPre);
  for (let k = 0; k < kt.length; k++) kt[k] = rng.uniform() < 0.4 ? 0 : rng.uniform() < 0.2 ? 0.999 : rng.uniform();
  const preInh = arena.u8(nPre);
  const preCls = arena.u8(nPre);
  for (let i = 0; i < nPre; i++) {
    preInh[i] = rng.uniform() < 0.2 ? 1 : 0;
    preCls[i] = preInh[i];
  }
  const uInc = arena.f64(2 * nPost);
  const uHi = arena.f64(2 * nPost);
  for (let j = 0; j < 2 * nPost; j++) {
    uInc[j] = (rng.uniform() - 0.6) * 0.01;
    // Ceilings that differ by post unit and class; weights at 0.999 reach them.
    uHi[j] = [1, 0.9993, 0.9997][j % 3];
  }
  return { rng, arena, W: arena.kernels, ...grouped, kt, preInh, preCls, uInc, uHi };
}

test('kernels match the TypeScript loops bit for bit (delivery, arrivals with clipping at 0 and max, row pass, trace decay, post traces, increments)', () => {
  const nPost = 37;
  const nPre = 53;
  const L = 3;
  const { rng, arena, W, gs, gp, lat, active, na, kt, preInh, preCls, uInc, uHi } = arrivalPool(3, nPost, nPre, L);
  const sPost = arena.u8(nPost);
  for (let o = 0; o < nPost; o++) sPost[o] = rng.uniform() < 0.15 ? 1 : 0;

  // Delivery.
  const drive = arena.f64(nPost);
  for (let o = 0; o < nPost; o++) drive[o] = rng.uniform();
  const ref = Float64Array.from(drive);
  for (let c = 0; c < na; c++) {
    const g = active[c];
    const i = Math.floor(g / L);
    for (let s = gs[g]; s < gs[g + 1]; s++) ref[gp[s]] += (preInh[i] ? -1 : 1) * kt[i * nPost + gp[s]];
  }
  W.deliverGroups(na, L, nPost, active.byteOffset, gs.byteOffset, gp.byteOffset, preInh.byteOffset, kt.byteOffset, drive.byteOffset);
  assert.deepEqual(Array.from(drive), Array.from(ref));

  // Arrivals: clipped update where the post unit is silent, listed where it spiked.
  const kRef = Float32Array.from(kt);
  const listed: string[] = [];
  for (let c = 0; c < na; c++) {
    const g = active[c];
    const i = Math.floor(g / L);
    for (let s = gs[g]; s < gs[g + 1]; s++) {
      const o = gp[s];
      if (sPost[o]) listed.push(`${s}:${c}`);
      else kRef[i * nPost + o] = clipRef(kRef[i * nPost + o] + uInc[2 * o + preCls[i]], uHi[2 * o + preCls[i]]);
    }
  }
  const pendS = arena.i32(nPost * nPre);
  const pendC = arena.i32(nPost * nPre);
  const np = W.arrivals(na, L, nPost, active.byteOffset, gs.byteOffset, gp.byteOffset, preCls.byteOffset, sPost.byteOffset, uInc.byteOffset, uHi.byteOffset, kt.byteOffset, pendS.byteOffset, pendC.byteOffset);
  assert.deepEqual(Array.from({ length: np }, (_, c) => `${pendS[c]}:${pendC[c]}`), listed);
  let zeros = 0;
  let capped = 0;
  for (let k = 0; k < kt.length; k++) {
    assert.ok(Object.is(kt[k], kRef[k]), `weight ${k}: ${kt[k]} vs ${kRef[k]}`);
    if (kt[k] === 0) zeros++;
    if (kt[k] === Math.fround(uHi[2 * (k % nPost) + preCls[Math.floor(k / nPost)]])) capped++;
  }
  assert.ok(zeros > 100 && capped > 10, `both bounds reached (${zeros} at 0, ${capped} at max)`);

  // Row pass of post unit o over the presynaptic-major kernel, x read at each synapse's latency.
  const xHist = arena.f32(2 * L * nPre);
  for (let k = 0; k < xHist.length; k++) xHist[k] = rng.uniform() * 0.1;
  const slotBase = arena.i32(L);
  for (let a = 0; a < L; a++) slotBase[a] = ((a + 1) % L) * nPre;
  const gamma = arena.f64(2 * nPre);
  const delta = arena.f64(2 * nPre);
  const hi = arena.f64(2 * nPre);
  for (let j = 0; j < 2 * nPre; j++) {
    gamma[j] = (rng.uniform() - 0.5) * 20;
    delta[j] = (rng.uniform() - 0.5) * 50;
    hi[j] = 0.5 + rng.uniform();
  }
  for (const o of [0, 5, nPost - 1]) {
    const f = (rng.uniform() - 0.5) * 4;
    const dt = 1;
    const pp = nPre;
    for (let i = 0; i < nPre; i++) {
      const k = i * nPost + o;
      const x = xHist[slotBase[lat[o * nPre + i]] + i];
      kRef[k] = clipRef(kRef[k] + dt * (f * (gamma[pp + i] + delta[pp + i] * x)), hi[pp + i]);
    }
    W.rowPass(o, nPre, nPost, f, dt, lat.byteOffset, slotBase.byteOffset, xHist.byteOffset, pp, gamma.byteOffset, delta.byteOffset, hi.byteOffset, kt.byteOffset);
  }
  for (let k = 0; k < kt.length; k++) assert.ok(Object.is(kt[k], kRef[k]), `row pass, weight ${k}: ${kt[k]} vs ${kRef[k]}`);

  // Trace history decay from slot 1 into slot 2 of post class 1.
  const decay = arena.f64(2 * nPre);
  for (let j = 0; j < 2 * nPre; j++) decay[j] = Math.exp(-1 / (5 + 20 * rng.uniform()));
  const hRef = Float32Array.from(xHist);
  const cur = (L + 2) * nPre;
  const prev = (L + 1) * nPre;
  for (let i = 0; i < nPre; i++) hRef[cur + i] = decay[nPre + i] * hRef[prev + i];
  W.decayHistory(nPre, xHist.byteOffset, cur, prev, decay.byteOffset, nPre);
  for (let k = 0; k < xHist.length; k++) assert.ok(Object.is(xHist[k], hRef[k]), `trace ${k}`);

  // Post traces (a jump where the post unit spiked), then the arrival increments from them.
  const y = arena.f32(2 * nPost);
  const yDecay = arena.f64(2 * nPost);
  const yJump = arena.f64(2 * nPost);
  for (let j = 0; j < 2 * nPost; j++) {
    y[j] = rng.uniform() * 0.2;
    yDecay[j] = Math.exp(-1 / (5 + 20 * rng.uniform()));
    yJump[j] = 1 / (5 + 20 * rng.uniform());
  }
  const yRef = Float32Array.from(y);
  for (let j = 0; j < 2 * nPost; j++) yRef[j] = sPost[j >> 1] ? yDecay[j] * yRef[j] + yJump[j] : yDecay[j] * yRef[j];
  W.postTrace(nPost, sPost.byteOffset, y.byteOffset, yDecay.byteOffset, yJump.byteOffset);
  assert.deepEqual(Array.from(y), Array.from(yRef));
  const mod = arena.f32(nPost);
  const alpha = arena.f64(2 * nPost);
  const beta = arena.f64(2 * nPost);
  for (let o = 0; o < nPost; o++) mod[o] = (rng.uniform() - 0.5) * 30;
  for (let j = 0; j < 2 * nPost; j++) {
    alpha[j] = rng.uniform() - 0.5;
    beta[j] = rng.uniform() * 3;
  }
  for (const mStride of [0, 1]) {
    const eta = 0.37;
    const dt = 0.5;
    const ref = new Float64Array(2 * nPost);
    for (let j = 0; j < 2 * nPost; j++) ref[j] = dt * ((eta * mod[(j >> 1) * mStride]) * (alpha[j] + beta[j] * y[j]));
    W.increments(nPost, eta, dt, mod.byteOffset, mStride, alpha.byteOffset, beta.byteOffset, y.byteOffset, uInc.byteOffset, 0);
    assert.deepEqual(Array.from(uInc), Array.from(ref), `increments, mStride ${mStride}`);
    // Ahead of the soma: from the traces of units that do not spike, decay·y rounded to float32.
    for (let j = 0; j < 2 * nPost; j++) ref[j] = dt * ((eta * mod[(j >> 1) * mStride]) * (alpha[j] + beta[j] * Math.fround(yDecay[j] * y[j])));
    W.increments(nPost, eta, dt, mod.byteOffset, mStride, alpha.byteOffset, beta.byteOffset, y.byteOffset, uInc.byteOffset, yDecay.byteOffset);
    assert.deepEqual(Array.from(uInc), Array.from(ref), `increments ahead, mStride ${mStride}`);
  }
});

test('delayGroups lists the non-empty groups arriving from a ring of spike lists, by age then spike, as N2NDelays does', () => {
  const rng = new Rng(12);
  const arena = WasmArena.create(1 << 20)!;
  // Few post units, so that some (pre unit, latency) groups are empty.
  const nPost = 3;
  const nPre = 50;
  const L = 5;
  const { gs } = groups(arena, nPost, nPre, L, rng);
  const rows = arena.i32(L * nPre);
  const counts = arena.i32(L);
  const active = arena.i32(nPre * L);
  let empty = 0;
  for (let g = 0; g < nPre * L; g++) if (gs[g] === gs[g + 1]) empty++;
  assert.ok(empty > 10, `empty groups (${empty})`);
  for (let head = 0; head < L; head++) {
    for (let r = 0; r < L; r++) {
      counts[r] = 0;
      for (let i = 0; i < nPre; i++) if (rng.uniform() < 0.3) rows[r * nPre + counts[r]++] = i;
    }
    const na = arena.kernels.delayGroups(L, nPre, head, rows.byteOffset, counts.byteOffset, gs.byteOffset, active.byteOffset);
    const ref: number[] = [];
    for (let a = 0; a < L; a++) {
      const r = (head - a + L) % L;
      for (let c = 0; c < counts[r]; c++) {
        const g = rows[r * nPre + c] * L + a;
        if (gs[g] !== gs[g + 1]) ref.push(g);
      }
    }
    assert.ok(ref.length > 20);
    assert.deepEqual(Array.from(active.subarray(0, na)), ref, `head ${head}`);
  }
});

test('quadrupletStep: the argument block slots agree between the AssemblyScript source and QUADRUPLET_STEP_SLOTS', () => {
  const source = readFileSync(new URL('../../src/wasm/assembly/event_kernels.ts', import.meta.url), 'utf8');
  const slots: Record<string, number> = {};
  for (const m of source.matchAll(/\bS_(\w+) = (\d+)/g)) slots[m[1]] = Number(m[2]);
  const { size, ...expected } = QUADRUPLET_STEP_SLOTS;
  assert.deepEqual(slots, expected);
  assert.equal(size, Object.keys(expected).length);
});

for (const hiUniform of [false, true]) {
test(`fused kernels: deliverArrivals = delivery + arrivals as if no post unit spiked, kOld in order; spikedArrivals lists the rest; undoArrivals restores${hiUniform ? ' (one ceiling per pre class)' : ''}`, () => {
  const nPost = 41;
  const nPre = 60;
  const L = 4;
  const { rng, arena, W, gs, gp, active, na, kt, preInh, preCls, uInc, uHi } = arrivalPool(8, nPost, nPre, L);
  // The flag promises every post unit the ceilings of post unit 0.
  if (hiUniform) for (let o = 1; o < nPost; o++) uHi.set(uHi.subarray(0, 2), 2 * o);
  const k0 = Float32Array.from(kt);
  const drive = arena.f64(nPost);
  const kOld = arena.f32(nPost * nPre);
  W.deliverArrivals(na, L, nPost, active.byteOffset, gs.byteOffset, gp.byteOffset, preInh.byteOffset, kt.byteOffset, drive.byteOffset, preCls.byteOffset, uInc.byteOffset, uHi.byteOffset, kOld.byteOffset, hiUniform ? 1 : 0);
  const driveRef = new Float64Array(nPost);
  const kRef = Float32Array.from(k0);
  const oldRef: number[] = [];
  for (let c = 0; c < na; c++) {
    const g = active[c];
    const i = Math.floor(g / L);
    for (let s = gs[g]; s < gs[g + 1]; s++) {
      const k = i * nPost + gp[s];
      oldRef.push(k0[k]);
      driveRef[gp[s]] += preInh[i] ? -k0[k] : k0[k];
      const j = 2 * gp[s] + preCls[i];
      kRef[k] = clipRef(k0[k] + uInc[j], uHi[j]);
    }
  }
  assert.ok(oldRef.length > 100, `arrivals (${oldRef.length})`);
  assert.deepEqual(Array.from(drive), Array.from(driveRef), 'drive');
  assert.deepEqual(Array.from(kOld.subarray(0, oldRef.length)), oldRef, 'old weights in arrival order');
  for (let k = 0; k < kt.length; k++) assert.ok(Object.is(kt[k], kRef[k]), `weight ${k}: ${kt[k]} vs ${kRef[k]}`);

  const sPost = arena.u8(nPost);
  for (let o = 0; o < nPost; o++) sPost[o] = rng.uniform() < 0.2 ? 1 : 0;
  const pendS = arena.i32(nPost * nPre);
  const pendC = arena.i32(nPost * nPre);
  const pendOld = arena.f32(nPost * nPre);
  // Post units as bit sets: each group's (as N2NDelays builds them) and the spiking ones.
  const words = (nPost + 31) >> 5;
  const groupMask = arena.i32(nPre * L * words);
  for (let g = 0; g < nPre * L; g++) for (let s = gs[g]; s < gs[g + 1]; s++) groupMask[g * words + (gp[s] >> 5)] |= 1 << (gp[s] & 31);
  const spikeBits = arena.i32(words);
  for (let o = 0; o < nPost; o++) if (sPost[o]) spikeBits[o >> 5] |= 1 << (o & 31);
  const np = W.spikedArrivals(na, active.byteOffset, gs.byteOffset, groupMask.byteOffset, words, spikeBits.byteOffset, kOld.byteOffset, pendS.byteOffset, pendC.byteOffset, pendOld.byteOffset);
  const listed: string[] = [];
  for (let c = 0, n = 0; c < na; c++) {
    for (let s = gs[active[c]]; s < gs[active[c] + 1]; s++, n++) if (sPost[gp[s]]) listed.push(`${s}:${c}:${oldRef[n]}`);
  }
  assert.ok(listed.length > 10, `arrivals at spiking post units (${listed.length})`);
  assert.deepEqual(Array.from({ length: np }, (_, c) => `${pendS[c]}:${pendC[c]}:${pendOld[c]}`), listed);

  W.undoArrivals(na, L, nPost, active.byteOffset, gs.byteOffset, gp.byteOffset, kt.byteOffset, kOld.byteOffset);
  for (let k = 0; k < kt.length; k++) assert.ok(Object.is(kt[k], k0[k]), `undone weight ${k}`);
});
}

test('row pass from a table of increments (rowTable, rowPassTable) = rowPass, bit for bit', () => {
  const rng = new Rng(9);
  const arena = WasmArena.create(1 << 20)!;
  const W = arena.kernels;
  const nPost = 23;
  const nPre = 51;
  const L = 4;
  const { lat } = groups(arena, nPost, nPre, L, rng);
  const a = arena.f32(nPost * nPre);
  for (let k = 0; k < a.length; k++) a[k] = rng.uniform() < 0.3 ? 0 : rng.uniform();
  const b = arena.f32(nPost * nPre);
  b.set(a);
  const before = Float32Array.from(a);
  const xHist = arena.f32(2 * L * nPre);
  for (let k = 0; k < xHist.length; k++) xHist[k] = rng.uniform() * 0.2;
  const slotBase = arena.i32(L);
  for (let q = 0; q < L; q++) slotBase[q] = ((q + 2) % L) * nPre;
  const gamma = arena.f64(nPre);
  const delta = arena.f64(nPre);
  const hi = arena.f64(nPre);
  for (let i = 0; i < nPre; i++) {
    gamma[i] = (rng.uniform() - 0.5) * 20;
    delta[i] = (rng.uniform() - 0.5) * 50;
    hi[i] = 0.5 + rng.uniform();
  }
  const f = -0.7;
  const dt = 1;
  const table = arena.f64(L * nPre);
  W.rowTable(nPre, L, f, dt, slotBase.byteOffset, xHist.byteOffset, gamma.byteOffset, delta.byteOffset, table.byteOffset);
  for (const o of [0, 4, 9, nPost - 1]) {
    W.rowPass(o, nPre, nPost, f, dt, lat.byteOffset, slotBase.byteOffset, xHist.byteOffset, 0, gamma.byteOffset, delta.byteOffset, hi.byteOffset, a.byteOffset);
    W.rowPassTable(o, nPre, nPost, lat.byteOffset, table.byteOffset, hi.byteOffset, b.byteOffset);
  }
  let changed = 0;
  let atBound = 0;
  for (let k = 0; k < a.length; k++) {
    assert.ok(Object.is(a[k], b[k]), `weight ${k}: ${a[k]} vs ${b[k]}`);
    if (a[k] !== before[k]) changed++;
    if (a[k] !== before[k] && (a[k] === 0 || a[k] === Math.fround(hi[Math.floor(k / nPost)]))) atBound++;
  }
  assert.ok(changed > 100 && atBound > 10, `${changed} weights changed, ${atBound} clipped`);
});

test('linearUnits (two units per SIMD iteration) = the LinearUnits loop, bit for bit: odd counts, ready and refractory units, one or both lanes spiking', () => {
  const rng = new Rng(21);
  const arena = WasmArena.create(1 << 16)!;
  const W = arena.kernels;
  const n = 131;
  const decay = Math.fround(Math.exp(-1 / 20));
  const k = 3.7;
  const threshold = 20;
  const cd = 2;
  const dt = 1;
  const v = arena.f32(n);
  const ref = arena.f32(n);
  const drive = arena.f32(n);
  const spikes = arena.i32(n);
  for (let i = 0; i < n; i++) {
    v[i] = rng.uniform() < 0.1 ? -0 : (rng.uniform() - 0.2) * 25;
    ref[i] = Math.floor(rng.uniform() * 4);
    drive[i] = rng.uniform() < 0.1 ? 0 : rng.uniform() * 1.5;
  }
  const tv = Float32Array.from(v);
  const tr = Float32Array.from(ref);
  let spiked = 0;
  let pairs = 0;
  for (let step = 0; step < 40; step++) {
    // The TypeScript loop of LinearUnits.step.
    const expected: number[] = [];
    for (let i = 0; i < n; i++) {
      const ready = tr[i] >= cd;
      const x = decay * tv[i] + (ready ? k * drive[i] : 0);
      if (x > threshold) {
        expected.push(i);
        tv[i] = 0;
        tr[i] = 0;
      } else {
        tv[i] = x;
        tr[i] += dt;
      }
    }
    const ns = W.linearUnits(n, decay, k, threshold, cd, dt, v.byteOffset, ref.byteOffset, drive.byteOffset, spikes.byteOffset);
    assert.deepEqual(Array.from(spikes.subarray(0, ns)), expected, `step ${step}`);
    for (let i = 0; i < n; i++) {
      assert.ok(Object.is(v[i], tv[i]) && Object.is(ref[i], tr[i]), `step ${step}, unit ${i}: ${v[i]}/${ref[i]} vs ${tv[i]}/${tr[i]}`);
    }
    spiked += ns;
    for (let c = 1; c < ns; c++) if (expected[c] === expected[c - 1] + 1 && expected[c] % 2 === 1) pairs++;
  }
  assert.ok(spiked > 100 && pairs > 5, `${spiked} spikes, ${pairs} with both lanes of a pair spiking`);
});
