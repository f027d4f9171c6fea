/**
 * WasmArena: typed arrays that live in one shared WebAssembly memory, so that the event engine's
 * WebAssembly kernels (assembly/event_kernels.ts) work on a pool's weights, spike groups and traces
 * in place, while the TypeScript side keeps ordinary typed-array views of the same bytes.
 *
 * The memory is shared because a shared memory grows without detaching the views already handed
 * out (a plain one would invalidate them), and so that an optional kernel thread
 * (kernel_thread.node.ts) can run the rule's steps on it. Where shared WebAssembly
 * memory is missing (a browser page that is not cross-origin isolated), `create` returns undefined
 * and the modules keep their TypeScript loops, which give the same bits.
 */
import { eventKernelsBase64 } from './event_kernels_wasm.ts';

/** The kernels' exports; pointers are byte offsets into the arena (see the AssemblyScript source). */
export interface EventKernels {
  deliverGroups(na: number, L: number, nPost: number, active: number, groupStart: number, groupPost: number, preInh: number, kt: number, drive: number): void;
  arrivals(na: number, L: number, nPost: number, active: number, groupStart: number, groupPost: number, preCls: number, sPost: number, uInc: number, uHi: number, kt: number, pendS: number, pendC: number): number;
  rowPass(o: number, nPre: number, nPost: number, f: number, dt: number, lat: number, slotBase: number, xHist: number, params: number, gamma: number, delta: number, hi: number, kt: number): void;
  rowPassTable(o: number, nPre: number, nPost: number, lat: number, table: number, hi: number, kt: number): void;
  rowTable(nPre: number, L: number, f: number, dt: number, slotBase: number, xHist: number, gamma: number, delta: number, table: number): void;
  decayHistory(n: number, xHist: number, cur: number, prev: number, decay: number, po: number): void;
  postTrace(nPost: number, sPost: number, y: number, decay: number, jump: number): void;
  increments(nPost: number, eta: number, dt: number, mod: number, mStride: number, alpha: number, beta: number, y: number, uInc: number, yDecay: number): void;
  delayGroups(L: number, n: number, head: number, rows: number, counts: number, groupStart: number, active: number): number;
  deliverArrivals(na: number, L: number, nPost: number, active: number, groupStart: number, groupPost: number, preInh: number, kt: number, drive: number, preCls: number, uInc: number, uHi: number, kOld: number, hiUniform: number): void;
  undoArrivals(na: number, L: number, nPost: number, active: number, groupStart: number, groupPost: number, kt: number, kOld: number): void;
  spikedArrivals(na: number, active: number, groupStart: number, groupMask: number, words: number, spikeBits: number, kOld: number, pendS: number, pendC: number, pendOld: number): number;
  adaptiveLeakySoma(n: number, v: number, current: number, decay: number, gainR: number, resetRel: number, counter: number, steps: number, theta: number, base: number, thetaDecay: number, delta: number, spikes: number): number;
  linearUnits(n: number, decay: number, k: number, threshold: number, cd: number, dt: number, v: number, ref: number, drive: number, spikes: number): number;
  tracedSynapses(na: number, L: number, nPost: number, active: number, groupStart: number, groupPost: number, preInh: number, kt: number, drive: number, nComp: number, z: number, decay: number, scale: number, base: number, coef: number, currents: number, rule: number): void;
  /** A whole step of the quadruplet rule's delayed form; `block` holds its arguments (QUADRUPLET_STEP_SLOTS). */
  quadrupletStep(block: number): void;
}

/**
 * Slots of quadrupletStep's argument block (f64 each: counts, flags, scalars and byte offsets),
 * as the AssemblyScript source numbers them (S_name; a test compares the two).
 */
export const QUADRUPLET_STEP_SLOTS = {
  t: 0, L: 1, nPre: 2, nPost: 3, n0: 4, cls0: 5, cls1: 6, modulated: 7, eta: 8, dt: 9, mStride: 10, na: 11, nPostSpikes: 12,
  xHist: 13, xDecay: 14, xJump: 15, spikes: 16, sPost: 17, y: 18, yDecay: 19, yJump: 20, mod: 21, postAlpha: 22, postBeta: 23,
  uInc: 24, uHi: 25, active: 26, groupStart: 27, groupPost: 28, preCls: 29, kt: 30, pendS: 31, pendC: 32, pendK: 33, pendV: 34,
  posts: 35, postCls: 36, lat: 37, slotBase: 38, rowAlpha: 39, rowBeta: 40, rowGamma: 41, rowDelta: 42, rowHi: 43, rowTable: 44, fused: 45, kOld: 46, pendOld: 47, hiUniform: 48, groupMask: 49, maskWords: 50, spikeBits: 51,
  size: 52,
} as const;

const PAGE = 65536;
/** The kernels declare at most 4 GiB (wasm32). */
const MAX_PAGES = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels, or null where WebAssembly (with shared memory) is unavailable. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bin = atob(eventKernelsBase64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      compiled = new WebAssembly.Module(bytes);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

type View = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;

/**
 * Runs quadrupletStep calls on another thread, in submission order (the Node adapter,
 * kernel_thread.node.ts, uses a worker). `submit` returns a ticket; `wait(ticket)` returns once
 * that call and every earlier one have finished.
 */
export interface KernelThread {
  submit(arena: WasmArena, block: number): number;
  wait(ticket: number): void;
}

let kernelThread: KernelThread | undefined;

/** Sets (or, with undefined, clears) the thread that arenas hand their rule steps to. */
export function useKernelThread(thread: KernelThread | undefined): void {
  kernelThread = thread;
}

let nextId = 0;

export class WasmArena {
  readonly kernels: EventKernels;
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  /** Distinguishes arenas on the kernel thread. */
  readonly id = nextId++;
  /** Next free byte; the first 16 stay unused so that offset 0 is never a live array. */
  private top = 16;
  /** Ticket of this arena's last call handed to the kernel thread and not yet awaited (0: none). */
  private ticket = 0;
  private thread: KernelThread | undefined;

  private constructor(memory: WebAssembly.Memory, module: WebAssembly.Module) {
    this.memory = memory;
    this.module = module;
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as EventKernels;
  }

  /**
   * Runs quadrupletStep(block), `block` the byte offset of its argument block: on the kernel thread
   * if one is set (the caller goes on; `join` before touching what the step reads or writes), else
   * here and now.
   */
  runQuadrupletStep(block: number): void {
    this.join();
    const thread = kernelThread;
    if (thread) {
      this.thread = thread;
      this.ticket = thread.submit(this, block);
    } else this.kernels.quadrupletStep(block);
  }

  /** Waits until this arena's calls on the kernel thread have finished (no-op if none is pending). */
  join(): void {
    if (this.ticket === 0) return;
    this.thread!.wait(this.ticket);
    this.ticket = 0;
  }

  /** An arena with room for about `bytes` to start with, or undefined if unsupported here. */
  static create(bytes: number): WasmArena | undefined {
    const module = kernelModule();
    if (!module) return undefined;
    try {
      const initial = Math.min(MAX_PAGES, Math.max(1, Math.ceil(bytes / PAGE)));
      return new WasmArena(new WebAssembly.Memory({ initial, maximum: MAX_PAGES, shared: true }), module);
    } catch {
      return undefined;
    }
  }

  f32(n: number): Float32Array {
    return this.view(Float32Array, n * 4, n);
  }

  f64(n: number): Float64Array {
    return this.view(Float64Array, n * 8, n);
  }

  i32(n: number): Int32Array {
    return this.view(Int32Array, n * 4, n);
  }

  u16(n: number): Uint16Array {
    return this.view(Uint16Array, n * 2, n);
  }

  u8(n: number): Uint8Array {
    return this.view(Uint8Array, n, n);
  }

  /** A view of `n` elements on newly reserved bytes (reserved first: that may grow the memory). */
  private view<T extends View>(ctor: new (b: ArrayBufferLike, offset: number, n: number) => T, bytes: number, n: number): T {
    const at = this.alloc(bytes);
    return new ctor(this.memory.buffer, at, n);
  }

  /** Reserves `bytes` (16-byte aligned, zeroed), growing the memory if needed. */
  private alloc(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil(bytes / 16) * 16;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new RangeError(`WasmArena: ${end} bytes exceed WebAssembly's 4 GiB`);
      this.memory.grow(pages);
    }
    this.top = end;
    return at;
  }
}

/** Where a module allocates the arrays its kernels read: an arena, or the ordinary heap. */
export interface ArrayAlloc {
  f32(n: number): Float32Array;
  f64(n: number): Float64Array;
  i32(n: number): Int32Array;
  u16(n: number): Uint16Array;
  u8(n: number): Uint8Array;
}

export const HEAP_ALLOC: ArrayAlloc = {
  f32: (n) => new Float32Array(n),
  f64: (n) => new Float64Array(n),
  i32: (n) => new Int32Array(n),
  u16: (n) => new Uint16Array(n),
  u8: (n) => new Uint8Array(n),
};

/**
 * The byte offsets of arrays a kernel takes, for passing as numbers: read them once, since V8 does
 * not inline the typed arrays' byteOffset getter (about 20 ns a read, against 1 ns for `length`).
 */
export function byteOffsets(arrays: ArrayBufferView[]): Int32Array {
  return Int32Array.from(arrays, (a) => a.byteOffset);
}

/** A copy of `src` allocated by `alloc`. */
export function f32In(alloc: ArrayAlloc, src: ArrayLike<number>): Float32Array {
  const a = alloc.f32(src.length);
  a.set(src);
  return a;
}

/**
 * One arena shared by the modules of a brain (a root module and everything it contains), created
 * on first use, for their per-unit WebAssembly kernels (e.g. the adaptive leaky soma's update).
 * One memory per brain rather than per module: each shared memory reserves its own address space.
 */
export class SharedArena {
  private arena: WasmArena | null | undefined;

  /** The arena, or undefined where shared WebAssembly memory is unavailable. */
  get(): WasmArena | undefined {
    if (this.arena === undefined) this.arena = WasmArena.create(PAGE) ?? null;
    return this.arena ?? undefined;
  }
}
