/**
 * The event engine's arrival loops in TypeScript against the shipped WebAssembly kernels
 * (src/wasm/), on the same arena memory and the same random spike groups, alternately, three
 * times: group delivery `drive[o] += w` and the quadruplet rule's clipped update of every arriving
 * synapse on a presynaptic-major kernel. Both must give bit-identical weights and drive; the
 * script fails otherwise. bench/native/arrivals.c is the same work in C, for a native reference.
 *
 *   node --import tsx bench/event_kernels.ts [--groups 34] [--steps 20000]
 *
 * Shapes are an excitatory cartpole pool's: 256 post × 832 pre units, latencies 0–3. 34 spike
 * groups per step is the late-training load, 110 the first episodes'.
 */
import { machineLine } from '../src/cli/machine.ts';
import { parseArgs } from 'node:util';
import { WasmArena } from '../src/wasm/arena.ts';

const { values } = parseArgs({ options: { groups: { type: 'string', default: '34' }, steps: { type: 'string', default: '20000' } } });
const NA = Number(values.groups);
const STEPS = Number(values.steps);

const nPost = 256;
const nPre = 832;
const L = 4;
const N = nPost * nPre;
const G = nPre * L;
const arena = WasmArena.create(N * 16);
if (!arena) throw new Error('this runtime has no shared WebAssembly memory');
const W = arena.kernels;
const kt = arena.f32(N);
const gs = arena.i32(G + 1);
const gp = arena.i32(N);
const act = arena.i32(G);
const drive = arena.f64(nPost);
const uInc = arena.f64(2 * nPost);
const uHi = arena.f64(2 * nPost);
const sPost = arena.u8(nPost);
const preInh = arena.u8(nPre);
const preCls = arena.u8(nPre);
const pendS = arena.i32(N);
const pendC = arena.i32(N);

// A fixed pseudo-random stream (LCG), so both variants see the same groups.
let state = 1;
const rnd = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
// Groups (pre unit, latency), post units ascending within a group, as N2N delays build them.
const lat = new Uint8Array(N).map(() => (rnd() * L) | 0);
for (let k = 0; k < N; k++) gs[(k % nPre) * L + lat[k] + 1]++;
for (let g = 0; g < G; g++) gs[g + 1] += gs[g];
const fill = gs.slice(0, G);
for (let k = 0; k < N; k++) gp[fill[(k % nPre) * L + lat[k]]++] = (k / nPre) | 0;
for (let k = 0; k < N; k++) kt[k] = rnd() < 0.4 ? rnd() * 10 : 0;
for (let o = 0; o < nPost; o++) {
  uInc[2 * o] = -1e-5 * (1 + rnd());
  uHi[2 * o] = 50;
}
const kt0 = kt.slice();

// The TypeScript loops of Synapses (deliverGroupsTransposed) and QuadrupletRuleTensor.stepDelayed.
function deliverTs(na: number): void {
  for (let c = 0; c < na; c++) {
    const g = act[c];
    const row = ((g / L) | 0) * nPost;
    const e = gs[g + 1];
    for (let s = gs[g]; s < e; s++) drive[gp[s]] += kt[row + gp[s]];
  }
}
function updateTs(na: number): void {
  for (let c = 0; c < na; c++) {
    const g = act[c];
    const row = ((g / L) | 0) * nPost;
    const e = gs[g + 1];
    for (let s = gs[g]; s < e; s++) {
      const o = gp[s];
      if (sPost[o]) continue;
      const k = row + o;
      const v = kt[k] + uInc[2 * o];
      const p = 0.5 * (v + Math.abs(v));
      kt[k] = p > uHi[2 * o] ? uHi[2 * o] : p;
    }
  }
}

function run(kind: 'ts' | 'wasm'): { ns: number; k: Float32Array; d: Float64Array } {
  kt.set(kt0);
  drive.fill(0);
  state = 7;
  let arrivals = 0;
  const t0 = performance.now();
  for (let step = 0; step < STEPS; step++) {
    for (let c = 0; c < NA; c++) act[c] = (rnd() * G) | 0;
    if (kind === 'ts') {
      deliverTs(NA);
      updateTs(NA);
    } else {
      W.deliverGroups(NA, L, nPost, act.byteOffset, gs.byteOffset, gp.byteOffset, preInh.byteOffset, kt.byteOffset, drive.byteOffset);
      W.arrivals(NA, L, nPost, act.byteOffset, gs.byteOffset, gp.byteOffset, preCls.byteOffset, sPost.byteOffset, uInc.byteOffset, uHi.byteOffset, kt.byteOffset, pendS.byteOffset, pendC.byteOffset);
    }
    for (let c = 0; c < NA; c++) arrivals += gs[act[c] + 1] - gs[act[c]];
  }
  return { ns: ((performance.now() - t0) / arrivals) * 1e6, k: kt.slice(), d: drive.slice() };
}

console.log(`command: node --import tsx bench/event_kernels.ts --groups ${NA} --steps ${STEPS}`);
console.log(`machine: ${machineLine()}`);
const ratios: number[] = [];
for (let r = 0; r < 3; r++) {
  const a = run('ts');
  const b = run('wasm');
  for (let k = 0; k < N; k++) if (!Object.is(a.k[k], b.k[k])) throw new Error(`weights differ at ${k}: ${a.k[k]} vs ${b.k[k]}`);
  for (let o = 0; o < nPost; o++) if (a.d[o] !== b.d[o]) throw new Error(`drive differs at ${o}`);
  ratios.push(a.ns / b.ns);
  let ks = 0;
  for (let k = 0; k < N; k++) ks += b.k[k];
  let ds = 0;
  for (let o = 0; o < nPost; o++) ds += b.d[o];
  console.log(`round ${r + 1}: TypeScript ${a.ns.toFixed(2)} ns, WebAssembly ${b.ns.toFixed(2)} ns per arrival (delivery + update); identical results (checksums ${ks.toPrecision(9)} ${ds.toPrecision(9)})`);
}
console.log(`WebAssembly / TypeScript speed-up: ${ratios.map((x) => x.toFixed(2)).join(', ')}`);
