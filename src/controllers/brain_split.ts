/**
 * BrainSplit: one Brain's step on two threads. Each thread holds a replica of the same brain (same
 * config, same state) and steps only its own modules; the edge caches that cross between the two
 * sets are exchanged once per step through shared memory.
 *
 * This is exact because every Brain edge has one step of latency: within a step each module reads
 * only the previous step's outputs (the caches) and the brain inputs, so the two sets of modules
 * are independent until the commit. Each side commits its own sources into its caches and copies
 * the other side's published sources into the caches its modules read. The same operations run
 * on the same data, so the spikes are those of the single-threaded brain, bit for bit.
 *
 * Within a step, each side runs first its modules that read nothing from the other side, and among
 * them first those whose outputs the other side reads; each such output is published as soon as
 * its module has stepped. A module that reads the other side's outputs waits for them (the other
 * side's previous step) just before it runs. So neither side waits for the other's whole step: a
 * side can run up to about a step ahead, which absorbs the step-to-step imbalance of the halves.
 *
 * Shared memory layout (one SharedArrayBuffer): control words, wait timings, per crossing output
 * the last step published, the brain inputs (main → worker), the outgoing sources of each side in
 * four buffers by step (a side publishing step n + 4 has read the other side's step n + 2, so
 * the other side has read step n by then), and a mailbox for the worker's state (SYNC).
 *
 * The thread itself (a Node worker, see brain_thread.node.ts) is an adapter; this file has no
 * platform imports. The main side blocks with Atomics.wait, which browsers allow only in workers.
 */
import { didYouMean, InputError } from '../core/errors.ts';
import { SpikeArray, type Payload, type TypedArray } from '../core/payload.ts';
import type { Module } from '../core/module.ts';
import type { KernelThread, WasmArena } from '../wasm/arena.ts';
import { waitFor, waitWhile, type WaitOptions } from '../core/thread_wait.ts';
import type { Brain, SplitParts } from './brain.ts';

/** Control words. SEQ: commands issued by main; ACK: last command the worker finished. */
const SEQ = 0;
const CMD = 1;
const ACK = 2;
/** Set by the worker when a command failed (the message goes by message port). */
const FAILED = 3;
/** Bytes in the mailbox (SYNC). */
const MAIL_BYTES = 4;
/** Steps of a STEP command, all with the same inputs. */
const COUNT = 5;
/** Last command the worker took up (it has read its inputs). */
const STARTED = 6;
const CONTROL_WORDS = 8;
/** Buffers per crossing output, used in turn by step. */
const RING = 4;
/** Timings (ms, f64) after the control words: main waiting for the worker's outputs, the worker waiting for main's, the worker waiting for a command. */
const TIMES_AT = CONTROL_WORDS * 4;
export const SPLIT_TIMES = { mainWait: 0, workerWait: 1, workerIdle: 2 } as const;
const TIMES = 4;

export const SPLIT_COMMAND = { step: 1, reset: 2, sync: 3, stop: 4 } as const;

/** A wait within a step longer than this means the other thread is gone. */
const STALL_MS = 60_000;

/** A payload's bytes in a shared buffer: spikes as count + indices, values as their array. */
class Slot {
  private readonly spikes: Int32Array | undefined;
  private readonly values: TypedArray | undefined;

  constructor(
    readonly payload: Payload,
    buffer: SharedArrayBuffer,
    offset: number,
  ) {
    if (payload instanceof SpikeArray) {
      this.spikes = new Int32Array(buffer, offset, payload.size + 1);
      // Publishing reads mask-free indices: keep them filled even if no local reader wants them.
      payload.demandDense();
    } else {
      const data = dataOf(payload);
      const Ctor = data.constructor as new (b: SharedArrayBuffer, o: number, n: number) => TypedArray;
      this.values = new Ctor(buffer, offset, data.length);
    }
  }

  /** Bytes a slot for `p` takes (8-byte aligned). */
  static bytes(p: Payload): number {
    const n = p instanceof SpikeArray ? 4 * (p.size + 1) : dataOf(p).byteLength;
    return Math.ceil(n / 8) * 8;
  }

  /** payload → shared. */
  write(): void {
    const p = this.payload;
    if (this.spikes) {
      const s = p as SpikeArray;
      const v = this.spikes;
      const n = s.count;
      v[0] = n;
      const idx = s.indices;
      for (let k = 0; k < n; k++) v[k + 1] = idx[k];
    } else this.values!.set(dataOf(p));
  }

  /** shared → payload (as the Brain's commit: cleared, then filled). */
  read(): void {
    const p = this.payload;
    if (this.spikes) {
      const s = p as SpikeArray;
      const v = this.spikes;
      s.clear();
      const n = v[0];
      for (let k = 1; k <= n; k++) s.add(v[k]);
    } else dataOf(p).set(this.values!);
  }
}

function dataOf(p: Payload): TypedArray {
  const data = (p as unknown as { data?: TypedArray }).data;
  if (!data) throw new TypeError(`cannot exchange a ${p.type} payload between threads`);
  return data;
}

/** One local module in a side's step order: wait for and read `wait` (incoming indices), run, publish `publish` (outgoing indices). */
export interface SplitEntry {
  name: string;
  ops: Array<() => void>;
  wait: number[];
  publish: number[];
}

/** The part of a brain one side runs, and the shared memory both sides agree on. */
export interface SplitPlan {
  parts: SplitParts;
  /** This side's modules in the order it steps them. */
  schedule: SplitEntry[];
  /** Brain inputs (main writes, the worker reads). */
  inputs: Slot[];
  /** This side's outgoing sources, RING sets used in turn by step. */
  publish: Slot[][];
  /** The other side's sources, read into this side's caches, RING sets. */
  receive: Slot[][];
  /** Per outgoing / incoming source, the last step published. */
  outStep: Int32Array;
  inStep: Int32Array;
  /** Mailbox for the worker's state. */
  mail: Uint8Array;
}

/**
 * A side's step order: modules that read nothing from the other side first, then the others; in
 * each group, modules with outputs for the other side first, and among those the ones whose outputs
 * the other side reads earliest in its own order (`other`), so the first output it waits for is the
 * first published; plan order otherwise. Each module waits for the incoming sources it is the first to read.
 */
function schedule(parts: SplitParts, other: SplitParts): SplitEntry[] {
  type Mod = SplitParts['modules'][number];
  const rank = (m: Mod): number => (m.reads.length ? 2 : 0) + (m.writes.length ? 0 : 1);
  const byRank = (mods: Mod[], key: (m: Mod) => number): Mod[] =>
    mods.map((m, k) => ({ m, k })).sort((a, b) => rank(a.m) - rank(b.m) || key(a.m) - key(b.m) || a.k - b.k).map((x) => x.m);
  // Where the other side first reads each of its incoming sources, in its order without this refinement.
  const firstRead = new Map<string, number>();
  byRank(other.modules, () => 0).forEach((m, k) => m.reads.forEach((key) => firstRead.has(key) || firstRead.set(key, k)));
  const need = (m: Mod): number => Math.min(Infinity, ...m.writes.map((key) => firstRead.get(key) ?? Infinity));
  const order = byRank(parts.modules, need);
  const inIndex = new Map(parts.incoming.map((x, k) => [x.key, k]));
  const outIndex = new Map(parts.outgoing.map((x, k) => [x.key, k]));
  const read = new Set<string>();
  return order.map((m) => {
    const wait = m.reads.filter((key) => !read.has(key));
    for (const key of wait) read.add(key);
    return { name: m.name, ops: m.ops, wait: wait.map((key) => inIndex.get(key)!), publish: m.writes.map((key) => outIndex.get(key)!) };
  });
}

/**
 * Checks that `brain` can run with `workerModules` on a second thread; throws an InputError
 * saying why not.
 */
export function checkSplit(brain: Brain, workerModules: ReadonlySet<string>): void {
  const names = brain.children().map((m) => m.name);
  const where = `cannot split ${brain.label()} across threads`;
  for (const n of workerModules) {
    if (!names.includes(n)) throw new InputError(`${where}: it has no module '${n}'.${didYouMean(n, names)} Its modules are: ${names.join(', ')}.`);
  }
  if (workerModules.size === 0 || workerModules.size === names.length) {
    throw new InputError(`${where}: name some but not all of its modules (${names.join(', ')}) for the second thread.`);
  }
  const parts = brain.splitParts(workerModules);
  if (parts.effects > 0) throw new InputError(`${where}: it has brain-level effects (property writes), which would cross threads within a step.`);
  if (parts.monitors > 0) throw new InputError(`${where}: it has monitors attached; remove them first (they would sample the other thread's stale copies).`);
  const remoteOut = parts.outputs.filter((n) => workerModules.has(n));
  if (remoteOut.length) throw new InputError(`${where}: '${remoteOut[0]}' provides a brain output, so it must stay on the main thread.`);
}

/**
 * A split for a brain with no better-known one: top-level modules for the second thread holding
 * about half of the brain's state (a proxy for its work: weights, traces), greedily, largest
 * first, keeping the modules that provide brain outputs on the main thread. Empty if nothing can move.
 */
export function proposeSplit(brain: Brain): string[] {
  const forced = new Set(brain.splitParts(new Set()).outputs);
  const size = (m: Module): number => {
    let n = 1;
    for (const a of m.stateArrays().values()) n += a.length;
    for (const c of m.children()) n += size(c);
    return n;
  };
  const mods = brain.children().map((m) => ({ name: m.name, cost: size(m) }));
  let main = 0;
  let worker = 0;
  const picked: string[] = [];
  for (const m of mods) if (forced.has(m.name)) main += m.cost;
  for (const m of mods.filter((x) => !forced.has(x.name)).sort((a, b) => b.cost - a.cost)) {
    if (worker < main) {
      worker += m.cost;
      picked.push(m.name);
    } else main += m.cost;
  }
  return picked;
}

/**
 * Lays out the shared memory for splitting `brain` with the modules `workerModules` on the worker,
 * as seen from `side`. Both sides compute the same offsets from replicas of the same brain.
 * `buffer` undefined: returns only the size needed.
 */
export function splitLayout(brain: Brain, workerModules: ReadonlySet<string>, side: 'main' | 'worker', mailBytes: number, buffer?: SharedArrayBuffer): { bytes: number; plan?: SplitPlan } {
  const all = new Set(brain.children().map((m) => m.name));
  const mainModules = new Set([...all].filter((n) => !workerModules.has(n)));
  const mainParts = brain.splitParts(mainModules);
  const workerParts = brain.splitParts(workerModules);
  const parts = side === 'main' ? mainParts : workerParts;
  let at = TIMES_AT + TIMES * 8;
  const counters = (n: number): Int32Array | undefined => {
    const v = buffer ? new Int32Array(buffer, at, n) : undefined;
    at += Math.ceil((4 * n) / 8) * 8;
    return v;
  };
  const mainOutStep = counters(mainParts.outgoing.length);
  const workerOutStep = counters(workerParts.outgoing.length);
  const place = (payloads: Payload[]): Slot[] => {
    const slots: Slot[] = [];
    for (const p of payloads) {
      if (buffer) slots.push(new Slot(p, buffer, at));
      at += Slot.bytes(p);
    }
    return slots;
  };
  const inputs = place(Object.values(brain.in));
  // main → worker: main's outgoing sources (main reads them from its modules, the worker into its caches).
  const mainToWorker = side === 'main' ? mainParts.outgoing.map((o) => o.payload) : workerParts.incoming.map((o) => o.payload);
  const workerToMain = side === 'main' ? mainParts.incoming.map((o) => o.payload) : workerParts.outgoing.map((o) => o.payload);
  checkPairing(mainParts, workerParts);
  const m2w = Array.from({ length: RING }, () => place(mainToWorker));
  const w2m = Array.from({ length: RING }, () => place(workerToMain));
  const mailAt = at;
  at += Math.ceil(mailBytes / 8) * 8;
  if (!buffer) return { bytes: at };
  return {
    bytes: at,
    plan: {
      parts,
      schedule: schedule(parts, side === 'main' ? workerParts : mainParts),
      inputs,
      publish: side === 'main' ? m2w : w2m,
      receive: side === 'main' ? w2m : m2w,
      outStep: side === 'main' ? mainOutStep! : workerOutStep!,
      inStep: side === 'main' ? workerOutStep! : mainOutStep!,
      mail: new Uint8Array(buffer, mailAt, mailBytes),
    },
  };
}

/** Each side's outgoing caches are the other's incoming ones, in the same order. */
function checkPairing(main: SplitParts, worker: SplitParts): void {
  const same = (a: Array<{ key: string }>, b: Array<{ key: string }>): boolean => a.length === b.length && a.every((x, k) => x.key === b[k].key);
  if (!same(main.outgoing, worker.incoming) || !same(worker.outgoing, main.incoming)) {
    throw new Error('BrainSplit: the two sides disagree on the crossing edges');
  }
}

/**
 * The rule steps of this thread's pools (WasmArena.runQuadrupletStep), held back until the step's
 * outputs are published (see runStep), or until something reads a pool's weights or traces first
 * (WasmArena.join). They change no output of the step, so running them after the publication lets
 * the other thread start on its next step sooner, and the wait for its outputs overlaps with them.
 * They run on this thread, where the pools' data is in cache, in submission order: the same calls.
 */
export class DeferredSteps implements KernelThread {
  private readonly arenas: Array<WasmArena | undefined> = [];
  private readonly blocks: number[] = [];
  private count = 0;
  private submitted = 0;
  private done = 0;

  submit(arena: WasmArena, block: number): number {
    this.arenas[this.count] = arena;
    this.blocks[this.count++] = block;
    return ++this.submitted;
  }

  wait(ticket: number): void {
    if (ticket > this.done) this.flush();
  }

  /** Runs every held step. */
  flush(): void {
    const { arenas, blocks } = this;
    for (let k = 0; k < this.count; k++) {
      arenas[k]!.kernels.quadrupletStep(blocks[k]);
      arenas[k] = undefined;
    }
    this.count = 0;
    this.done = this.submitted;
  }
}

/** The step shared by both sides: run local modules, publish, commit, receive. */
abstract class SplitSide {
  protected readonly c: Int32Array;
  protected steps = 0;

  /** Steps run since the split. */
  get stepCount(): number {
    return this.steps;
  }

  constructor(
    protected readonly brain: Brain,
    protected readonly plan: SplitPlan,
    buffer: SharedArrayBuffer,
    /** Where this side's waits for the other's outputs are counted (SPLIT_TIMES). */
    private readonly waitSlot: number,
    /** How this side waits for the other within a step. */
    protected readonly wait: WaitOptions,
  ) {
    this.c = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.times = new Float64Array(buffer, TIMES_AT, TIMES);
  }

  /** See SPLIT_TIMES. */
  readonly times: Float64Array;
  /** This thread's held-back rule steps (set by the adapter, installed as its kernel thread). */
  deferred: DeferredSteps | undefined;


  /** Steps run when the exchange last restarted (split, reset): the other side's outputs before it are not read. */
  protected base = 0;

  /** The step after inputs are in place (see the file comment for the order). */
  protected runStep(): void {
    const n = ++this.steps;
    const { parts, schedule, publish, receive, outStep, inStep } = this.plan;
    const out = publish[n % RING];
    const inc = receive[(n - 1) % RING];
    // The other side's previous step, unless the caches were just (re)set.
    const fresh = n - 1 > this.base;
    for (let e = 0; e < schedule.length; e++) {
      const { ops, wait, publish: pub } = schedule[e];
      if (fresh) {
        for (let k = 0; k < wait.length; k++) {
          const w = wait[k];
          if (Atomics.load(inStep, w) < n - 1) {
            const t0 = performance.now();
            waitFor(inStep, w, n - 1, this.wait);
            this.times[this.waitSlot] += performance.now() - t0;
          }
          inc[w].read();
        }
      }
      for (let k = 0; k < ops.length; k++) ops[k]();
      for (let k = 0; k < pub.length; k++) {
        const p = pub[k];
        out[p].write();
        Atomics.store(outStep, p, n);
        Atomics.notify(outStep, p);
      }
    }
    this.deferred?.flush();
    const commits = parts.commits;
    for (let k = 0; k < commits.length; k++) {
      const { src, cache } = commits[k];
      cache.clear();
      cache.copyFrom(src, 0);
    }
    this.brain.t++;
  }
}

/**
 * The main thread's side: `brain.run` goes through it once attached. `failed` is called while
 * waiting, to surface the worker's errors (it throws them).
 */
export class SplitMain extends SplitSide {
  private seq = 0;

  constructor(brain: Brain, plan: SplitPlan, buffer: SharedArrayBuffer, private readonly failed: () => void) {
    super(brain, plan, buffer, SPLIT_TIMES.mainWait, { who: "the brain's second thread", stallMs: STALL_MS, failed });
  }

  /**
   * `count` steps with the inputs in place: one command, so that between these steps each side
   * waits only for the other's outputs, not for main's next call.
   */
  step(count = 1): void {
    this.awaitTaken();
    const inputs = this.plan.inputs;
    for (let k = 0; k < inputs.length; k++) inputs[k].write();
    this.issue(SPLIT_COMMAND.step, count);
    for (let k = 0; k < count; k++) this.runStep();
  }

  /** Resets the worker's replica (the caller resets its own brain and caches). */
  reset(): void {
    this.command(SPLIT_COMMAND.reset);
    this.base = this.steps;
  }

  /**
   * Waits until the worker has taken up the last command (read its inputs and count): main may
   * finish a short step command before the worker begins it, and must not overwrite it.
   */
  private awaitTaken(): void {
    if (Atomics.load(this.c, STARTED) >= this.seq) return;
    const t0 = performance.now();
    waitFor(this.c, STARTED, this.seq, this.wait);
    this.times[SPLIT_TIMES.mainWait] += performance.now() - t0;
  }

  /** The worker's state as checkpoint bytes (a copy). */
  pull(): Uint8Array {
    this.command(SPLIT_COMMAND.sync);
    return this.plan.mail.slice(0, Atomics.load(this.c, MAIL_BYTES));
  }

  /** Tells the worker to leave its loop. */
  stop(): void {
    this.command(SPLIT_COMMAND.stop);
  }

  /** Issues a command and waits until the worker has done it (and, after a step, finished it). */
  private command(cmd: number): void {
    const seq = this.issue(cmd);
    waitFor(this.c, ACK, seq, this.wait);
    this.failed();
  }

  private issue(cmd: number, count = 1): number {
    // A step may be issued while the worker still runs the previous ones (once it has taken them
    // up: awaitTaken); each side then waits only for the outputs it reads. Any other command
    // waits until the worker is done.
    if (cmd !== SPLIT_COMMAND.step) {
      const t0 = performance.now();
      waitFor(this.c, ACK, this.seq, this.wait);
      this.times[SPLIT_TIMES.mainWait] += performance.now() - t0;
    } else this.awaitTaken();
    Atomics.store(this.c, CMD, cmd);
    Atomics.store(this.c, COUNT, count);
    this.seq++;
    Atomics.store(this.c, SEQ, this.seq);
    Atomics.notify(this.c, SEQ);
    return this.seq;
  }
}

/** The worker's side: `serve` runs commands until stop. */
export class SplitWorker extends SplitSide {
  /** Waiting for the next command: between steps the caller may take as long as it likes. */
  private readonly idle: WaitOptions = { who: "the brain's main thread", stallMs: Infinity };

  constructor(brain: Brain, plan: SplitPlan, buffer: SharedArrayBuffer) {
    super(brain, plan, buffer, SPLIT_TIMES.workerWait, { who: "the brain's main thread", stallMs: STALL_MS });
  }

  /** Runs command `seq`: reads its inputs and count, says so (STARTED), then steps. */
  private stepCommand(seq: number): void {
    const inputs = this.plan.inputs;
    for (let k = 0; k < inputs.length; k++) inputs[k].read();
    const count = Atomics.load(this.c, COUNT);
    Atomics.store(this.c, STARTED, seq);
    Atomics.notify(this.c, STARTED);
    for (let k = 0; k < count; k++) this.runStep();
  }

  /** After the brain reset its modules and caches: main's outputs from before are not read. */
  reset(): void {
    this.base = this.steps;
  }

  /**
   * Serves main's commands until stop. `encodeState` turns the replica into checkpoint bytes
   * (SYNC); `onError` reports a failure (the worker then marks FAILED and stops serving).
   */
  serve(encodeState: () => Uint8Array, onError: (e: unknown) => void): void {
    const c = this.c;
    let seq = 0;
    for (;;) {
      const t0 = performance.now();
      seq = waitWhile(c, SEQ, seq, this.idle);
      this.times[SPLIT_TIMES.workerIdle] += performance.now() - t0;
      const cmd = Atomics.load(c, CMD);
      if (cmd !== SPLIT_COMMAND.step) Atomics.store(c, STARTED, seq);
      try {
        if (cmd === SPLIT_COMMAND.step) this.stepCommand(seq);
        else if (cmd === SPLIT_COMMAND.reset) {
          this.brain.reset();
          this.reset();
        }
        else if (cmd === SPLIT_COMMAND.sync) {
          const bytes = encodeState();
          if (bytes.length > this.plan.mail.length) throw new Error(`the worker's state (${bytes.length} bytes) outgrew its mailbox (${this.plan.mail.length})`);
          this.plan.mail.set(bytes);
          Atomics.store(c, MAIL_BYTES, bytes.length);
        }
      } catch (e) {
        onError(e);
        Atomics.store(c, FAILED, 1);
      }
      Atomics.store(c, ACK, seq);
      Atomics.notify(c, ACK);
      if (cmd === SPLIT_COMMAND.stop || Atomics.load(c, FAILED)) return;
    }
  }
}

/** True once the worker has reported a failure. */
export function splitFailed(buffer: SharedArrayBuffer): boolean {
  return Atomics.load(new Int32Array(buffer, 0, CONTROL_WORDS), FAILED) === 1;
}
