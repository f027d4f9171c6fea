/**
 * splitBrain: runs some of a Brain's modules on a second thread (a Node worker), the rest on the
 * calling thread, with the same spikes and weights as on one thread (see brain_split.ts).
 *
 * The worker rebuilds the brain from a checkpoint of its current state (config, custom neuron
 * types, every state array and random stream), so both replicas start identical. From then on
 * `brain.run` and `brain.reset` drive both; `encodeCheckpoint`/`saveCheckpoint` first copy the
 * worker's modules back. `stop()` does the same and returns the brain to one thread.
 *
 * This file is also the worker's entry point (the `kind` in workerData tells them apart).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { isMainThread, MessageChannel, type MessagePort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { registerBuiltins } from '../builtins.ts';
import { decodeSafetensors } from '../io/safetensors.ts';
import { decodeCheckpoint, encodeCheckpoint, restoreState } from '../io/checkpoint.ts';
import { InputError } from '../core/errors.ts';
import type { Engine } from '../core/module.ts';
import { Brain } from './brain.ts';
import { checkSplit, DeferredSteps, proposeSplit, SPLIT_TIMES, splitFailed, SplitMain, splitLayout, SplitWorker } from './brain_split.ts';
import { useKernelThread } from '../wasm/arena.ts';

const KIND = 'spark-snn-brain-split';
/** How long the worker may take to load and rebuild the brain. */
const START_MS = 120_000;

interface WorkerInput {
  kind: typeof KIND;
  buffer: SharedArrayBuffer;
  ready: SharedArrayBuffer;
  checkpoint: Uint8Array;
  workerModules: string[];
  engine: Engine;
  mailBytes: number;
  port: MessagePort;
}

/** A brain split across two threads. */
export interface BrainThreads {
  /** Modules running on the second thread. */
  readonly workerModules: readonly string[];
  /** Copies the worker's modules back into the brain and returns it to one thread. */
  stop(): void;
  /**
   * Ends the worker without copying its modules back (e.g. after a checkpoint, at exit). The
   * brain's copies of those modules are then stale, so it refuses to run or reset.
   */
  close(): void;
  /**
   * Where the time went since the split, in ms: the main thread waiting for the worker's half of a
   * step, the worker waiting for the main thread's half, and the worker idle between steps (while
   * the main thread runs the caller's code). Balanced halves keep the first two small.
   */
  stats(): { steps: number; mainWaitMs: number; workerWaitMs: number; workerIdleMs: number };
}

/**
 * On a machine with at most 2 cores, has V8 compile optimized code on the thread that needs it
 * (no concurrent recompilation) and WebAssembly with its optimizing compiler at once (no Liftoff
 * tier to upgrade later in the background). With a split brain's two threads on all the cores
 * there are, a background compile can only run by preempting one of them, and the other then spins
 * until it is back. On the default cartpole run this took 147–151 s down to 116–129 s
 * (docs/benchmarks.md). Results are unchanged. The flags apply to code compiled from then on:
 * the worker's, and the main thread's later optimizations.
 */
function foregroundCompilation(): void {
  if (availableParallelism() <= 2) setFlagsFromString('--no-concurrent-recompilation --no-liftoff');
}

/**
 * Splits `brain` (built: run one step or buildFromShapes first) so that `workerModules` (names of
 * its top-level modules; default: proposeSplit's, about half the brain) run on a worker thread.
 * Throws an InputError if the brain cannot be split that way (e.g. a module there provides a brain
 * output) or the machine has a single core.
 */
export function splitBrain(brain: Brain, workerModules?: readonly string[]): BrainThreads {
  if (brain.split) throw new InputError(`${brain.label()} is already split across threads; stop() that split first.`);
  if (availableParallelism() < 2) throw new InputError('splitting a brain across threads needs at least 2 cores; this machine has 1.');
  const remote = new Set(workerModules ?? proposeSplit(brain));
  checkSplit(brain, remote);
  const checkpoint = encodeCheckpoint(brain);
  // The worker's state comes back as a checkpoint of the whole brain: leave room for growth.
  const mailBytes = 2 * checkpoint.length + (1 << 20);
  const { bytes } = splitLayout(brain, remote, 'main', mailBytes);
  const buffer = new SharedArrayBuffer(bytes);
  const plan = splitLayout(brain, remote, 'main', mailBytes, buffer).plan!;
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const input: WorkerInput = { kind: KIND, buffer, ready: ready.buffer as SharedArrayBuffer, checkpoint, workerModules: [...remote], engine: brain.engine, mailBytes, port: port2 };
  foregroundCompilation();
  const worker = startWorker(input, port2);
  worker.unref();
  port1.unref();
  let workerError: string | undefined;
  worker.on('error', (e) => {
    workerError = e.stack ?? String(e);
  });
  const failed = (): void => {
    const m = receiveMessageOnPort(port1) as { message: { error: string } } | undefined;
    if (m) workerError = m.message.error;
    if (workerError !== undefined || splitFailed(buffer)) {
      brain.split = undefined;
      void worker.terminate();
      throw new Error(`the brain's second thread failed: ${workerError ?? 'unknown error'}`);
    }
  };
  // Wait until the worker has rebuilt the brain (1) or failed (2).
  const t0 = performance.now();
  while (Atomics.load(ready, 0) === 0) {
    Atomics.wait(ready, 0, 0, 20);
    failed();
    if (performance.now() - t0 > START_MS) {
      void worker.terminate();
      throw new Error(`the brain's second thread did not start within ${START_MS / 1000} s`);
    }
  }
  failed();
  const main = new SplitMain(brain, plan, buffer, failed);
  main.deferred = new DeferredSteps();
  useKernelThread(main.deferred);
  const sync = (): void => {
    const tensors = decodeSafetensors(main.pull()).tensors;
    // The worker's modules, and the main replica's edge caches of their outputs (those that no
    // module here reads are not exchanged every step).
    restoreState(brain, tensors, 'brain thread', { modules: remote, rootPayloads: brain.sourceCacheKeys(remote) });
  };
  brain.split = { step: (count?: number) => main.step(count), reset: () => main.reset(), sync, remote };
  return {
    workerModules: [...remote],
    stats: () => ({
      steps: main.stepCount,
      mainWaitMs: main.times[SPLIT_TIMES.mainWait],
      workerWaitMs: main.times[SPLIT_TIMES.workerWait],
      workerIdleMs: main.times[SPLIT_TIMES.workerIdle],
    }),
    stop(): void {
      if (brain.split?.remote !== remote) return;
      sync();
      main.stop();
      brain.split = undefined;
      useKernelThread(undefined);
      void worker.terminate();
    },
    close(): void {
      if (brain.split?.remote !== remote) return;
      const closed = (): never => {
        throw new InputError(`${brain.label()}: its second thread was closed without copying back ${[...remote].join(', ')}; this brain cannot run any more (use stop() to keep it usable).`);
      };
      brain.split = { step: closed, reset: closed, sync: closed, remote };
      useKernelThread(undefined);
      void worker.terminate();
    },
  };
}

/**
 * The worker runs this file. As TypeScript source (under `npx spark` or `node --import tsx`) it
 * goes through tsx, registered in the worker first: loader flags do not carry over to workers.
 */
function startWorker(input: WorkerInput, port: MessagePort): Worker {
  const options = { workerData: input, transferList: [port] };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(import.meta.url), options);
  const api = JSON.stringify(tsxEsmApi());
  const self = JSON.stringify(import.meta.url);
  // A failure to load is reported like the worker's own errors, so splitBrain does not wait for it.
  const bootstrap = `const { workerData } = require('node:worker_threads');
import(${api}).then((m) => { m.register(); return import(${self}); }).catch((e) => {
  workerData.port.postMessage({ error: String((e && e.stack) || e) });
  const ready = new Int32Array(workerData.ready);
  Atomics.store(ready, 0, 2);
  Atomics.notify(ready, 0);
});`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * The URL of tsx's ESM API (its `register`), from its package exports: import.meta.resolve is
 * missing when this file runs under tsx's CommonJS mode, and tsx's CommonJS API cannot register
 * from a worker.
 */
function tsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: string | { default: string } }> };
  const target = pkg.exports['./esm/api'].import;
  return pathToFileURL(join(dirname(pkgPath), typeof target === 'string' ? target : target.default)).href;
}

function runWorker(input: WorkerInput): void {
  const ready = new Int32Array(input.ready);
  const report = (e: unknown): void => input.port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  let side: SplitWorker;
  let brain: Brain;
  try {
    registerBuiltins();
    const module = decodeCheckpoint(input.checkpoint, { file: 'brain thread', engine: input.engine });
    if (!(module instanceof Brain)) throw new Error('the checkpoint does not hold a brain');
    brain = module;
    side = new SplitWorker(brain, splitLayout(brain, new Set(input.workerModules), 'worker', input.mailBytes, input.buffer).plan!, input.buffer);
  } catch (e) {
    report(e);
    Atomics.store(ready, 0, 2);
    Atomics.notify(ready, 0);
    return;
  }
  side.deferred = new DeferredSteps();
  useKernelThread(side.deferred);
  Atomics.store(ready, 0, 1);
  Atomics.notify(ready, 0);
  side.serve(() => encodeCheckpoint(brain), report);
  input.port.close();
  // Leave now: in a bundle this file shares its script with the application, whose top-level
  // code must not go on to run in this thread.
  process.exit(0);
}

if (!isMainThread && (workerData as WorkerInput | undefined)?.kind === KIND) runWorker(workerData as WorkerInput);
