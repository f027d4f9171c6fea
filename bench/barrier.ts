/**
 * What would a two-thread Brain step cost in synchronisation? Two threads (main + one worker)
 * each do `--work` µs of arithmetic per step, then meet at a barrier on shared memory, as a
 * parallel executor of the Brain's one-step edges would every network step. Prints the step time
 * against the same work on one thread, for spinning and for sleeping (Atomics.wait) barriers.
 *
 *   node --import tsx bench/barrier.ts [--work 50] [--steps 20000]
 */
import { machineLine } from '../src/cli/machine.ts';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const { values } = parseArgs({ options: { work: { type: 'string', default: '50' }, steps: { type: 'string', default: '20000' } } });
const WORK_US = Number(values.work);
const STEPS = Number(values.steps);

// Calibrate a busy loop to WORK_US microseconds.
function spin(iters: number): number {
  let x = 0;
  for (let i = 0; i < iters; i++) x += Math.sqrt(i);
  return x;
}
let iters = 1000;
for (;;) {
  const t0 = performance.now();
  for (let r = 0; r < 100; r++) spin(iters);
  const us = ((performance.now() - t0) / 100) * 1000;
  if (Math.abs(us - WORK_US) < WORK_US * 0.05) break;
  iters = Math.max(1, Math.round((iters * WORK_US) / us));
}

const workerSource = `
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.sab);
const { iters, steps, sleep } = workerData;
function spin(n) { let x = 0; for (let i = 0; i < n; i++) x += Math.sqrt(i); return x; }
let sink = 0;
for (let s = 1; s <= steps; s++) {
  sink += spin(iters);
  Atomics.store(flag, 1, s);
  if (sleep) Atomics.notify(flag, 1);
  if (sleep) { while (Atomics.load(flag, 0) < s) Atomics.wait(flag, 0, s - 1); }
  else while (Atomics.load(flag, 0) < s);
}
`;

/** The spin results, printed at the end so the work cannot be optimised away. */
let sink = 0;

async function twoThreads(sleep: boolean): Promise<number> {
  const sab = new SharedArrayBuffer(8);
  const flag = new Int32Array(sab);
  const w = new Worker(workerSource, { eval: true, workerData: { sab, iters, steps: STEPS, sleep } });
  await new Promise((r) => w.once('online', r));
  const t0 = performance.now();
  for (let s = 1; s <= STEPS; s++) {
    sink += spin(iters);
    Atomics.store(flag, 0, s);
    if (sleep) Atomics.notify(flag, 0);
    if (sleep) {
      while (Atomics.load(flag, 1) < s) Atomics.wait(flag, 1, s - 1);
    } else while (Atomics.load(flag, 1) < s);
  }
  const us = ((performance.now() - t0) / STEPS) * 1000;
  await w.terminate();
  return us;
}

function oneThread(): number {
  const t0 = performance.now();
  for (let s = 0; s < STEPS; s++) sink += spin(iters) + spin(iters);
  const us = ((performance.now() - t0) / STEPS) * 1000;
  return us;
}

console.log(`command: node --import tsx bench/barrier.ts --work ${WORK_US} --steps ${STEPS}`);
console.log(`machine: ${machineLine()}`);
for (let r = 0; r < 3; r++) {
  const one = oneThread();
  const spinning = await twoThreads(false);
  const sleeping = await twoThreads(true);
  console.log(`round ${r + 1}: two halves of ${WORK_US} µs: one thread ${one.toFixed(1)} µs/step; two threads, spinning barrier ${spinning.toFixed(1)} µs (${(one / spinning).toFixed(2)}×), sleeping barrier ${sleeping.toFixed(1)} µs (${(one / sleeping).toFixed(2)}×)`);
}
console.log(`(checksum ${sink.toExponential(3)})`);
