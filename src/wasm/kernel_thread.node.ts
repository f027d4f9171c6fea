/**
 * The kernel thread for Node (see KernelThread in arena.ts): one worker that runs the arenas'
 * quadrupletStep calls in submission order, so that each pool's plasticity overlaps with the rest
 * of the brain's step on the main thread. The Brain's one-step edges make that safe: the next
 * reader of a pool's weights or traces is that pool's own next step, which joins first.
 *
 * Jobs travel through a ring in shared memory. Both sides spin briefly before sleeping
 * (Atomics.wait), since a job takes tens of microseconds and a sleeping thread takes about as
 * long to wake. Arenas reach the worker by message (memory and compiled module) before their
 * first job; a collected arena is dropped there too.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import { type KernelThread, useKernelThread, type WasmArena } from './arena.ts';
import { waitFor, type WaitOptions } from '../core/thread_wait.ts';

/** Control words: jobs submitted, jobs finished, error flag; then the ring, two words a job. */
const TAIL = 0;
const DONE = 1;
const ERROR = 2;
const RING = 4;
const CAPACITY = 256;
/** A wait longer than 30 s means the worker is gone. */
const KERNEL_THREAD_WAIT: WaitOptions = { who: 'the kernel thread', stallMs: 30_000 };

// CommonJS, evaluated in the worker. `shutdown` is not needed: the worker is unref'd.
const workerSource = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { ctrl, port } = workerData;
const c = new Int32Array(ctrl);
const kernels = new Map();
function drain() {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const { id, memory, module, drop } = m.message;
    if (drop) kernels.delete(id);
    else kernels.set(id, new WebAssembly.Instance(module, { env: { memory } }).exports);
  }
}
let head = 0;
for (;;) {
  let spins = 0;
  while (Atomics.load(c, ${TAIL}) === head) {
    if (++spins < 100000) continue;
    drain();
    Atomics.wait(c, ${TAIL}, head, 100);
  }
  const slot = ${RING} + 2 * (head % ${CAPACITY});
  const id = c[slot];
  let k = kernels.get(id);
  while (!k) {
    drain();
    k = kernels.get(id);
  }
  try {
    k.quadrupletStep(c[slot + 1]);
  } catch (e) {
    Atomics.store(c, ${ERROR}, 1);
  }
  head++;
  Atomics.store(c, ${DONE}, head);
  Atomics.notify(c, ${DONE});
}
`;

class WorkerKernelThread implements KernelThread {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer((RING + 2 * CAPACITY) * 4));
  private readonly port;
  private readonly known = new Set<number>();
  private readonly dropped = new FinalizationRegistry<number>((id) => {
    this.known.delete(id);
    this.port.postMessage({ id, drop: true });
  });
  private tail = 0;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const worker = new Worker(workerSource, { eval: true, workerData: { ctrl: this.ctrl.buffer, port: port2 }, transferList: [port2] });
    worker.unref();
    port1.unref();
  }

  submit(arena: WasmArena, block: number): number {
    if (!this.known.has(arena.id)) {
      this.known.add(arena.id);
      this.dropped.register(arena, arena.id);
      this.port.postMessage({ id: arena.id, memory: arena.memory, module: arena.module });
    }
    if (this.tail - Atomics.load(this.ctrl, DONE) >= CAPACITY) this.wait(this.tail - CAPACITY + 1);
    const slot = RING + 2 * (this.tail % CAPACITY);
    this.ctrl[slot] = arena.id;
    this.ctrl[slot + 1] = block;
    this.tail++;
    Atomics.store(this.ctrl, TAIL, this.tail);
    Atomics.notify(this.ctrl, TAIL);
    return this.tail;
  }

  wait(ticket: number): void {
    waitFor(this.ctrl, DONE, ticket, KERNEL_THREAD_WAIT);
    if (Atomics.load(this.ctrl, ERROR)) throw new Error('a WebAssembly kernel failed on the kernel thread');
  }
}

/**
 * Starts the kernel thread (once) if this machine has at least two cores; returns whether one
 * runs. Results do not change: the same calls run in the same order, only elsewhere.
 */
export function startKernelThread(): boolean {
  if (availableParallelism() < 2) return false;
  worker ??= new WorkerKernelThread();
  useKernelThread(worker);
  return true;
}

/** The one worker, kept (asleep) after stopKernelThread for the next start. */
let worker: WorkerKernelThread | undefined;

/** Stops handing steps to the kernel thread (steps run on the calling thread again). */
export function stopKernelThread(): void {
  useKernelThread(undefined);
}
