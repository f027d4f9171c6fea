/**
 * Would WebAssembly speed up the cartpole step's arrival loops? The same two loops as the event
 * engine (group delivery `drive[o] += w`, and the quadruplet rule's clipped update of every
 * arriving synapse on a presynaptic-major kernel, as in synapses.ts and quadruplet_rule_tensor.ts)
 * in plain TypeScript and in scalar WebAssembly (bench/wasm_arrivals.wat, assembled with wabt),
 * on the same memory and the same random spike groups, alternately, three times. Both must give
 * bit-identical weights and drive; the script fails otherwise.
 *
 *   node --import tsx bench/wasm_arrivals.ts [--groups 34] [--steps 20000]
 *
 * Shapes are an excitatory cartpole pool's: 256 post × 832 pre units, latencies 0–3. 34 spike
 * groups per step is the late-training load, 110 the first episodes'.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import wabtInit from 'wabt';

const { values } = parseArgs({ options: { groups: { type: 'string', default: '34' }, steps: { type: 'string', default: '20000' } } });
const NA = Number(values.groups);
const STEPS = Number(values.steps);

interface Exports {
  mem: WebAssembly.Memory;
  deliver(...a: number[]): void;
  update(...a: number[]): void;
}
const wabt = await wabtInit();
const watPath = new URL('./wasm_arrivals.wat', import.meta.url);
const bin = new Uint8Array(wabt.parseWat('wasm_arrivals.wat', readFileSync(watPath, 'utf8')).toBinary({}).buffer);
const W = new WebAssembly.Instance(new WebAssembly.Module(bin)).exports as unknown as Exports;

const nPost = 256;
const nPre = 832;
const L = 4;
const N = nPost * nPre;
const G = nPre * L;
let off = 0;
function alloc<T extends Float32Array | Float64Array | Int32Array | Uint8Array>(make: (b: ArrayBuffer, o: number, n: number) => T, bytes: number, n: number): T {
  const a = make(W.mem.buffer, off, n);
  off += Math.ceil((n * bytes) / 16) * 16;
  return a;
}
const kt = alloc((b, o, n) => new Float32Array(b, o, n), 4, N);
const gs = alloc((b, o, n) => new Int32Array(b, o, n), 4, G + 1);
const gp = alloc((b, o, n) => new Int32Array(b, o, n), 4, N);
const act = alloc((b, o, n) => new Int32Array(b, o, n), 4, G);
const drive = alloc((b, o, n) => new Float64Array(b, o, n), 8, nPost);
const uInc = alloc((b, o, n) => new Float64Array(b, o, n), 8, 2 * nPost);
const uHi = alloc((b, o, n) => new Float64Array(b, o, n), 8, 2 * nPost);
const sPost = alloc((b, o, n) => new Uint8Array(b, o, n), 1, nPost);
if (off > W.mem.buffer.byteLength) throw new Error('wasm_arrivals.wat: memory too small for these shapes');

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
      kt[k] = Math.min(Math.max(kt[k] + uInc[2 * o], 0), uHi[2 * o]);
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
      W.deliver(NA, L, nPost, act.byteOffset, gs.byteOffset, gp.byteOffset, kt.byteOffset, drive.byteOffset);
      W.update(NA, L, nPost, act.byteOffset, gs.byteOffset, gp.byteOffset, kt.byteOffset, uInc.byteOffset, uHi.byteOffset, sPost.byteOffset);
    }
    for (let c = 0; c < NA; c++) arrivals += gs[act[c] + 1] - gs[act[c]];
  }
  return { ns: ((performance.now() - t0) / arrivals) * 1e6, k: kt.slice(), d: drive.slice() };
}

console.log(`command: node --import tsx bench/wasm_arrivals.ts --groups ${NA} --steps ${STEPS}`);
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}, node ${process.version}`);
const ratios: number[] = [];
for (let r = 0; r < 3; r++) {
  const a = run('ts');
  const b = run('wasm');
  for (let k = 0; k < N; k++) if (!Object.is(a.k[k], b.k[k])) throw new Error(`weights differ at ${k}: ${a.k[k]} vs ${b.k[k]}`);
  for (let o = 0; o < nPost; o++) if (a.d[o] !== b.d[o]) throw new Error(`drive differs at ${o}`);
  ratios.push(a.ns / b.ns);
  console.log(`round ${r + 1}: TypeScript ${a.ns.toFixed(2)} ns, WebAssembly ${b.ns.toFixed(2)} ns per arrival (delivery + update); identical results`);
}
console.log(`WebAssembly / TypeScript speed-up: ${ratios.map((x) => x.toFixed(2)).join(', ')}`);
