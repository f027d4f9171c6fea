/**
 * QuadrupletRuleTensor: the quadruplet rule with parameters per synapse type (EE, EI, IE, II),
 * the rule of Spark's cartpole brain. Equations in `equations` (Spark:
 * spark/nn/components/plasticity/quadruplet_rule.py, QuadrupletRuleTensor).
 *
 * Three forms of the same equations, chosen at bind time:
 * - 'dense' (engine 'dense'): Spark's form, kernel-shaped traces updated every step, O(post × pre).
 * - 'delayed' (event engine, pre spikes straight from N2N delays, see DelayedSpikes): the delayed
 *   pre trace x_pre[o,i] is the trace X of pre unit i (per post class, as τ_pre depends on the
 *   type) read d[o,i] steps ago — the same float operations on the same input shifted by d — so
 *   X is kept for the last L steps only. α, β touch only the synapses that receive a spike (walked
 *   per spike group), γ, δ only the rows of spiking post units. Every touched entry is computed
 *   with the dense form's expression, so the kernel equals the dense form's bit for bit. When the
 *   delays have a WebAssembly arena, the loops over units and arrivals run as its kernels
 *   (src/wasm/assembly/event_kernels.ts), with the same operations.
 * - 'lazy' (event engine, other pre spikes): x_pre per (post class, pre unit) for ordinary spikes,
 *   per synapse for other per-synapse spikes, decayed lazily on read (LazyTrace); equal up to rounding.
 * In every form y_post[o,i] depends on i only through the pre class: one value per (o, pre class).
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import type { FloatArray, PortSpec } from '../../core/payload.ts';
import { type DelayLayout, DelayedSpikes } from '../delays/delayed_spikes.ts';
import type { ArrivalFusion, TransposedKernel } from '../synapses/transposed_kernel.ts';
import { HEAP_ALLOC, QUADRUPLET_STEP_SLOTS, type WasmArena } from '../../wasm/arena.ts';
import { LazyTrace } from '../tracers.ts';
import { Plasticity } from './plasticity.ts';
import {
  quadrupletTensorEquations,
  quadrupletTensorInputs,
  quadrupletTensorSchema,
  synapseClasses,
  type TypeParams,
  typeParams,
} from './quadruplet_tensor_params.ts';

type Form = 'dense' | 'delayed' | 'lazy';

export class QuadrupletRuleTensor extends Plasticity implements ArrivalFusion {
  static readonly type: string = 'quadruplet_rule_tensor';
  static override readonly inputs = quadrupletTensorInputs;
  static readonly schema: ConfigSchema = quadrupletTensorSchema;
  static readonly summary: string = 'Modulated quadruplet rule with parameters per synapse type (EE, EI, IE, II).';
  static readonly reference = 'Spark: spark/nn/components/plasticity/quadruplet_rule.py (QuadrupletRuleTensor)';
  static readonly equations = quadrupletTensorEquations;

  /** Inhibition class of each pre / post unit (see synapseClasses). */
  preCls!: Uint8Array;
  postCls!: Uint8Array;
  /** The form in use (set at bind). */
  form: Form = 'lazy';
  private p!: TypeParams;
  private eta = 0;
  private mStride = 0;
  private mod!: Float32Array;
  private layout: DelayLayout | undefined;
  /**
   * 'delayed' form: the synapses' presynaptic-major kernel (see TransposedKernel), updated in place
   * instead of the post-major one when this rule writes the synapses' kernel in place.
   */
  private tk: TransposedKernel | undefined;

  /** Post trace per (post unit, pre class): y[o·2 + q] (event forms). */
  yPost!: Float32Array;
  /** e^{−dt/τ_post[T]} and 1/τ_post[T] per (o, q), in double as the dense form computes them. */
  private yDecay!: Float64Array;
  private yJump!: Float64Array;

  // 'lazy' form.
  private x!: LazyTrace;
  private xJump!: Float64Array;

  // 'delayed' form.
  /** X of the last L steps per post class: xHist[(pc·L + (t mod L))·nPre + i]. */
  private xHist!: Float32Array;
  /** e^{−dt/τ_pre} and 1/τ_pre per (post class, pre unit). */
  private xDecay!: Float64Array;
  private xJumpPre!: Float64Array;
  /** Post classes present. */
  private hasCls = [false, false];
  /** Every pre unit has the same class: scalar parameters per row. */
  private preUniform = true;
  /** Per (post class, pre unit): α, β, γ, δ, max_clip. */
  private rowAlpha!: Float64Array;
  private rowBeta!: Float64Array;
  private rowGamma!: Float64Array;
  private rowDelta!: Float64Array;
  private rowHi!: Float64Array;
  /** This step's α+β increment and clip bound per (o, q). */
  private uInc!: Float64Array;
  private uHi!: Float64Array;
  private slotBase!: Int32Array;
  /** Entries with a pre and a post spike this step, and their new values. */
  private pendK!: Int32Array;
  private pendV!: Float32Array;
  /**
   * The arrays above live in the delays' WebAssembly arena. With the presynaptic-major kernel there
   * too, a step is one call of its `quadrupletStep` kernel (see stepDelayedWasm): the same
   * operations as the TypeScript loops, so the same bits.
   */
  private inArena = false;
  /** The kernel's argument block (see QUADRUPLET_STEP_SLOTS), its byte offset, and the kt written in it. */
  private block!: Float64Array;
  private blockPtr = 0;
  private blockKt: Float32Array | undefined;
  /** Byte offset of the delays' history rows (in this arena): the kernel reads each step's spikes there. */
  private histPtr = 0;
  /**
   * Arena copies of this step's post spike mask and list (the list also says which mask entries
   * the next step clears, `postsCount` of them), and of the modulation.
   */
  private sPostW!: Uint8Array;
  private postsW!: Int32Array;
  private postsCount = 0;
  private modW: Float32Array | undefined;
  /**
   * Fusion with the synapses' delivery (prepareArrivals): the delays' step (DelayedSpikes.serial)
   * whose arrivals delivery updated, and the last one this rule stepped on.
   */
  private fusedSerial = -1;
  private stepSerial = -1;
  /** Set when this rule stepped before the synapses' delivery: no fusion then (see prepareArrivals). */
  private fusionOff = false;
  /** Steps whose arrival updates delivery did, and of those, steps where they were backed out. */
  readonly fusionCounts = { fused: 0, undone: 0 };

  // 'dense' form: kernel-shaped traces and types.
  dx!: Float32Array;
  dy!: Float32Array;
  private T!: Uint8Array;
  private preDecayT!: Float64Array;
  private postDecayT!: Float64Array;
  private preJumpT!: Float64Array;
  private postJumpT!: Float64Array;

  protected init(inputSpecs: Record<string, PortSpec>): void {
    this.p = typeParams(this.config.values);
    this.eta = this.cfg('eta');
    this.mStride = this.factorStride(inputSpecs, 'modulation');
    this.preDecayT = this.p.preTau.map((t) => Math.exp(-this.dt / t));
    this.postDecayT = this.p.postTau.map((t) => Math.exp(-this.dt / t));
    this.preJumpT = this.p.preTau.map((t) => 1 / t);
    this.postJumpT = this.p.postTau.map((t) => 1 / t);
    // Names fixed here; the arrays are allocated for the chosen form at bind.
    this.track('pre_trace', new Float32Array(0));
    this.track('pre_trace_step', new Int32Array(0));
    this.track('post_trace', new Float32Array(0));
    this.form = 'lazy';
    this.layout = undefined;
    this.preCls = new Uint8Array(0);
    this.postCls = new Uint8Array(0);
  }

  protected override connect(): void {
    this.join();
    super.connect();
    this.mod = (this.in.modulation as FloatArray).data;
    const { preCls, postCls } = synapseClasses(this.pre, this.post, this.nPre, this.nPost, this.compat);
    const pre = this.pre;
    const layout = pre instanceof DelayedSpikes && pre.grouped && pre.layout && pre.layout.nPre === this.nPre && pre.layout.nPost === this.nPost
      ? pre.layout
      : undefined;
    const form: Form = this.engine === 'dense' ? 'dense' : layout ? 'delayed' : 'lazy';
    const tk = form === 'delayed' && this.inPlace && layout!.transposed?.kernel === this.kIn ? layout!.transposed : undefined;
    if (tk !== this.tk) {
      if (this.tk?.claimed) {
        this.tk.scatter();
        this.tk.claimed = false;
      }
      if (this.tk) this.tk.fusion = undefined;
      if (tk && !tk.claimed) {
        tk.gather();
        tk.claimed = true;
      }
      if (tk) tk.fusion = this;
      this.tk = tk;
    }
    if (form === this.form && layout === this.layout && sameValues(preCls, this.preCls) && sameValues(postCls, this.postCls)) return;
    // First bind, or form / flags changed (e.g. a mask bound late): allocate; traces restart.
    this.form = form;
    this.layout = layout;
    this.preCls = preCls;
    this.postCls = postCls;
    if (form === 'dense') this.buildDense();
    else {
      this.buildPostTrace(form === 'delayed' ? layout!.arena : undefined);
      if (form === 'delayed') this.buildDelayed(layout!);
      else this.buildLazy();
    }
    this.reset();
  }

  /**
   * ArrivalFusion: this step's arrival updates, as if no post unit spikes, done by the synapses'
   * delivery pass (the `deliverArrivals` kernel), since they read the same weights. Their increments
   * need this step's post traces of units that do not spike, decay·y, known before the soma runs;
   * the few arrivals at units that do spike are redone from their old weights in this rule's step.
   * Only on the kernel path, and only while delivery comes first within the step.
   */
  prepareArrivals(): number {
    const pre = this.pre as DelayedSpikes;
    if (this.fusionOff || !this.inArena || !this.tk?.inArena || this.form !== 'delayed') return 0;
    if (this.stepSerial === pre.serial) {
      // This rule already stepped on these arrivals: its plan runs it before delivery.
      this.fusionOff = true;
      return 0;
    }
    if (this.fullClipPending || !this.modulated()) return 0;
    const arena = this.layout!.arena!;
    arena.join();
    this.copyModulation(arena);
    // The pointers from the argument block (numbers): the byteOffset getter is not inlined by V8.
    const b = this.block;
    const S = QUADRUPLET_STEP_SLOTS;
    arena.kernels.increments(this.nPost, this.eta, this.dt, b[S.mod], this.mStride, b[S.postAlpha], b[S.postBeta], b[S.y], b[S.uInc], b[S.yDecay]);
    this.fusedSerial = pre.serial;
    return this.blockPtr;
  }

  /** This step's modulation, copied into the arena for the kernels (its offset in the argument block). */
  private copyModulation(arena: WasmArena): void {
    const mod = this.mod;
    if (this.modW?.length !== mod.length) {
      this.modW = arena.f32(mod.length);
      this.block[QUADRUPLET_STEP_SLOTS.mod] = this.modW.byteOffset;
    }
    this.modW.set(mod);
  }

  private buildPostTrace(arena: WasmArena | undefined): void {
    const { nPost, postCls } = this;
    const a = arena ?? HEAP_ALLOC;
    this.yPost = this.track('post_trace', a.f32(nPost * 2));
    this.yDecay = a.f64(nPost * 2);
    this.yJump = a.f64(nPost * 2);
    for (let o = 0; o < nPost; o++) {
      for (let q = 0; q < 2; q++) {
        const T = 2 * postCls[o] + q;
        this.yDecay[o * 2 + q] = this.postDecayT[T];
        this.yJump[o * 2 + q] = this.postJumpT[T];
      }
    }
  }

  private buildLazy(): void {
    const { nPre, nPost, p } = this;
    const m = this.asyncPre ? nPost * nPre : 2 * nPre;
    this.x = new LazyTrace(m, this.dt, p.preTau);
    this.xJump = p.preTau.map((t) => 1 / t);
    this.track('pre_trace', this.x.value);
    this.track('pre_trace_step', this.x.last);
  }

  private buildDelayed(layout: DelayLayout): void {
    const { nPre, nPost, p, preCls, postCls } = this;
    const L = layout.L;
    // What the kernels read goes in the delays' arena, if they have one.
    const arena = layout.arena;
    const a = arena ?? HEAP_ALLOC;
    this.inArena = arena !== undefined;
    this.xHist = this.track('pre_trace', a.f32(2 * L * nPre));
    this.track('pre_trace_step', new Int32Array(0));
    this.xDecay = a.f64(2 * nPre);
    this.xJumpPre = a.f64(2 * nPre);
    this.rowAlpha = a.f64(2 * nPre);
    this.rowBeta = a.f64(2 * nPre);
    this.rowGamma = a.f64(2 * nPre);
    this.rowDelta = a.f64(2 * nPre);
    this.rowHi = a.f64(2 * nPre);
    for (let pc = 0; pc < 2; pc++) {
      for (let i = 0; i < nPre; i++) {
        const T = 2 * pc + preCls[i];
        const j = pc * nPre + i;
        this.xDecay[j] = this.preDecayT[T];
        this.xJumpPre[j] = this.preJumpT[T];
        this.rowAlpha[j] = p.alpha[T];
        this.rowBeta[j] = p.beta[T];
        this.rowGamma[j] = p.gamma[T];
        this.rowDelta[j] = p.delta[T];
        this.rowHi[j] = p.maxClip[T];
      }
    }
    this.hasCls = [postCls.includes(0), postCls.includes(1)];
    this.preUniform = preCls.every((c) => c === preCls[0]);
    this.uInc = a.f64(nPost * 2);
    this.uHi = a.f64(nPost * 2);
    for (let o = 0; o < nPost; o++) for (let q = 0; q < 2; q++) this.uHi[o * 2 + q] = p.maxClip[2 * postCls[o] + q];
    this.slotBase = a.i32(L);
    this.pendK = a.i32(nPost * nPre);
    this.pendV = a.f32(nPost * nPre);
    if (arena) this.buildWasm(arena, layout);
  }

  /** The arena's copies and the constant part of the kernel's argument block. */
  private buildWasm(a: WasmArena, layout: DelayLayout): void {
    const { nPre, nPost, p, preCls, postCls } = this;
    const postAlpha = a.f64(nPost * 2);
    const postBeta = a.f64(nPost * 2);
    for (let o = 0; o < nPost; o++) {
      for (let q = 0; q < 2; q++) {
        postAlpha[o * 2 + q] = p.alpha[2 * postCls[o] + q];
        postBeta[o * 2 + q] = p.beta[2 * postCls[o] + q];
      }
    }
    const preClsW = a.u8(nPre);
    preClsW.set(preCls);
    const postClsW = a.u8(nPost);
    postClsW.set(postCls);
    this.modW = undefined;
    this.histPtr = layout.history.rows.byteOffset;
    this.sPostW = a.u8(nPost);
    this.postsW = a.i32(nPost);
    this.postsCount = 0;
    const block = (this.block = a.f64(QUADRUPLET_STEP_SLOTS.size));
    const S = QUADRUPLET_STEP_SLOTS;
    block[S.L] = layout.L;
    block[S.nPre] = nPre;
    block[S.nPost] = nPost;
    block[S.cls0] = this.hasCls[0] ? 1 : 0;
    block[S.cls1] = this.hasCls[1] ? 1 : 0;
    block[S.eta] = this.eta;
    block[S.dt] = this.dt;
    block[S.mStride] = this.mStride;
    // One post class (a pool of one kind): the arrivals' ceilings depend on the pre class alone.
    block[S.hiUniform] = postCls.every((c) => c === postCls[0]) ? 1 : 0;
    block[S.maskWords] = layout.maskWords;
    const ptrs: Array<[number, ArrayBufferView]> = [
      [S.xHist, this.xHist], [S.xDecay, this.xDecay], [S.xJump, this.xJumpPre],
      [S.sPost, this.sPostW], [S.y, this.yPost], [S.yDecay, this.yDecay], [S.yJump, this.yJump],
      [S.postAlpha, postAlpha], [S.postBeta, postBeta], [S.uInc, this.uInc], [S.uHi, this.uHi],
      [S.active, layout.active], [S.groupStart, layout.groupStart], [S.groupPost, layout.groupPost], [S.preCls, preClsW],
      [S.pendS, a.i32(nPost * nPre)], [S.pendC, a.i32(nPost * nPre)], [S.pendK, this.pendK], [S.pendV, this.pendV],
      [S.posts, this.postsW], [S.postCls, postClsW], [S.lat, layout.latency], [S.slotBase, this.slotBase],
      [S.rowAlpha, this.rowAlpha], [S.rowBeta, this.rowBeta], [S.rowGamma, this.rowGamma], [S.rowDelta, this.rowDelta], [S.rowHi, this.rowHi],
      [S.rowTable, a.f64(2 * layout.L * nPre)], [S.kOld, a.f32(nPost * nPre)], [S.pendOld, a.f32(nPost * nPre)],
      [S.groupMask, layout.groupMask!], [S.spikeBits, a.i32(layout.maskWords)],
    ];
    for (const [slot, view] of ptrs) block[slot] = view.byteOffset;
    this.blockPtr = block.byteOffset;
    this.blockKt = undefined;
  }

  private buildDense(): void {
    const { nPre, nPost, preCls, postCls } = this;
    const n = nPost * nPre;
    this.dx = this.track('pre_trace', new Float32Array(n));
    this.track('pre_trace_step', new Int32Array(0));
    this.dy = this.track('post_trace', new Float32Array(n));
    this.T = new Uint8Array(n);
    for (let o = 0; o < nPost; o++) for (let i = 0; i < nPre; i++) this.T[o * nPre + i] = 2 * postCls[o] + preCls[i];
  }

  step(): void {
    const t = this.tick();
    if (this.form === 'delayed') this.stepDelayed(t);
    else if (this.form === 'lazy') this.stepLazy(t);
    else this.stepDense();
  }

  /** y ← e^{−dt/τ}·y + s_post/τ per (o, q), with the dense form's expression. */
  private updatePostTrace(): void {
    const { yPost, yDecay, yJump, nPost } = this;
    const sPost = this.post.mask;
    for (let o = 0, j = 0; o < nPost; o++, j += 2) {
      if (sPost[o]) {
        yPost[j] = yDecay[j] * yPost[j] + yJump[j];
        yPost[j + 1] = yDecay[j + 1] * yPost[j + 1] + yJump[j + 1];
      } else {
        yPost[j] = yDecay[j] * yPost[j];
        yPost[j + 1] = yDecay[j + 1] * yPost[j + 1];
      }
    }
  }

  /** True if some post unit has a non-zero modulation (otherwise ΔK = 0 everywhere). */
  private modulated(): boolean {
    const { mod, mStride, nPost } = this;
    if (mStride === 0) return mod[0] !== 0;
    for (let o = 0; o < nPost; o++) if (mod[o] !== 0) return true;
    return false;
  }

  private stepDelayed(t: number): void {
    if (this.inArena && this.tk?.inArena) {
      this.stepDelayedWasm(t);
      return;
    }
    const { nPre, nPost, xHist, xDecay, xJumpPre, postCls, preCls, mod, mStride, eta, dt } = this;
    const layout = this.layout!;
    const L = layout.L;
    const pre = this.pre as DelayedSpikes;
    // X(t) per post class from this step's presynaptic spikes (age 0 of the delays' history).
    const hist = layout.history;
    const r0 = hist.row(0);
    const n0 = hist.counts[r0];
    const rows = hist.rows;
    const base0 = r0 * hist.n;
    const slot = t % L;
    const prev = (t - 1) % L;
    for (let pc = 0; pc < 2; pc++) {
      if (!this.hasCls[pc]) continue;
      const cur = (pc * L + slot) * nPre;
      const pv = (pc * L + prev) * nPre;
      const po = pc * nPre;
      for (let i = 0; i < nPre; i++) xHist[cur + i] = xDecay[po + i] * xHist[pv + i];
      for (let c = 0; c < n0; c++) {
        const i = rows[base0 + c];
        xHist[cur + i] = xDecay[po + i] * xHist[pv + i] + xJumpPre[po + i];
      }
    }
    this.updatePostTrace();
    this.beginUpdate();
    const tk = this.tk;
    const K = tk ? tk.kt : this.kOut;
    if (this.modulated()) {
      const { yPost, uInc, uHi } = this;
      const { alpha, beta } = this.p;
      const sPost = this.post.mask;
      // α + β·y_post per (o, q): the increment of a synapse receiving a spike (no post spike).
      for (let o = 0, j = 0; o < nPost; o++, j += 2) {
        const f = eta * mod[o * mStride];
        const T = 2 * postCls[o];
        uInc[j] = dt * (f * (alpha[T] + beta[T] * yPost[j]));
        uInc[j + 1] = dt * (f * (alpha[T + 1] + beta[T + 1] * yPost[j + 1]));
      }
      const { groupStart, groupSyn, groupPost, active } = layout;
      const { pendK, pendV } = this;
      let np = 0;
      for (let c = 0; c < pre.activeCount; c++) {
        const g = active[c];
        const i = (g / L) | 0;
        const q = preCls[i];
        const e = groupStart[g + 1];
        // Presynaptic-major: entry (o, i) at i·nPost + o, within row i.
        const row = i * nPost;
        for (let s = groupStart[g]; s < e; s++) {
          const o = groupPost[s];
          const k = tk ? row + o : groupSyn[s];
          const j = 2 * o + q;
          if (sPost[o]) {
            // Pre and post spike: the whole ΔK now, from the unchanged K; written after the row pass.
            pendK[np] = k;
            pendV[np++] = this.bothSpiked(K, k, o, i, g, t);
            continue;
          }
          K[k] = clip(K[k] + uInc[j], uHi[j]);
        }
      }
      this.rowPass(t, K, tk !== undefined);
      for (let c = 0; c < np; c++) K[pendK[c]] = pendV[c];
    }
    if (this.fullClipPending) this.clipAll(K, tk !== undefined);
  }

  /**
   * stepDelayed as one call of the arena's `quadrupletStep` kernel (presynaptic-major kernel in the
   * arena): this step's inputs (age-0 presynaptic spikes, post spikes, modulation) are copied into
   * the arena and the argument block is filled; the kernel does the rest with the same operations.
   */
  private stepDelayedWasm(t: number): void {
    const layout = this.layout!;
    const arena = layout.arena!;
    arena.join();
    const { mod, post, postsW, block } = this;
    const S = QUADRUPLET_STEP_SLOTS;
    const hist = layout.history;
    const r0 = hist.row(0);
    const n0 = hist.counts[r0];
    // This step's presynaptic spikes: the history's row of age 0 (N2NDelays keeps it in this arena).
    block[S.spikes] = this.histPtr + 4 * r0 * hist.n;
    // The post spikes, mask and list: clear the last step's entries, set this step's.
    const sPostW = this.sPostW;
    for (let c = 0; c < this.postsCount; c++) sPostW[postsW[c]] = 0;
    for (let c = 0; c < post.count; c++) sPostW[(postsW[c] = post.indices[c])] = 1;
    this.postsCount = post.count;
    const modulated = this.modulated();
    const pre = this.pre as DelayedSpikes;
    let fused = this.fusedSerial === pre.serial;
    this.stepSerial = pre.serial;
    if (fused) this.fusionCounts.fused++;
    if (fused && !sameValues(this.modW!, mod)) {
      this.fusionCounts.undone++;
      // The modulation changed after delivery (a module between them produced it): back out.
      arena.kernels.undoArrivals(pre.activeCount, layout.L, this.nPost, layout.active.byteOffset, layout.groupStart.byteOffset,
        layout.groupPost.byteOffset, this.tk!.kt.byteOffset, block[S.kOld]);
      fused = false;
    }
    // Fused, the delivery copied this modulation (checked above).
    if (modulated && !fused) this.copyModulation(arena);
    this.beginUpdate();
    const kt = this.tk!.kt;
    block[S.t] = t;
    block[S.n0] = n0;
    block[S.modulated] = modulated ? 1 : 0;
    block[S.fused] = fused ? 1 : 0;
    block[S.na] = pre.activeCount;
    block[S.nPostSpikes] = modulated ? post.count : 0;
    if (this.blockKt !== kt) {
      this.blockKt = kt;
      block[S.kt] = kt.byteOffset;
    }
    if (this.fullClipPending) {
      arena.kernels.quadrupletStep(block.byteOffset);
      this.clipAll(kt, true);
    } else arena.runQuadrupletStep(this.blockPtr);
  }

  /** Waits for this rule's step if it runs on the kernel thread (see WasmArena.runQuadrupletStep). */
  private join(): void {
    this.layout?.arena?.join();
  }

  override stateArrays(): ReturnType<Plasticity['stateArrays']> {
    this.join();
    return super.stateArrays();
  }

  /** The kernel output is the post-major kernel: bring it up to date from kt before it is saved. */
  override statePayloads(): ReturnType<Plasticity['statePayloads']> {
    this.join();
    if (this.tk?.claimed) this.tk.scatter();
    return super.statePayloads();
  }

  override restoreState(name: string, data: ArrayLike<number>): void {
    this.join();
    super.restoreState(name, data);
  }

  /**
   * The new weight of entry k (post o, pre i, arriving through group g) when pre and post both
   * spiked this step: α + β·y_post + γ + δ·x_pre at once, from the K before this step's updates.
   */
  private bothSpiked(K: Float32Array, k: number, o: number, i: number, g: number, t: number): number {
    const { nPre, xHist, postCls, preCls, yPost, mod, mStride, eta, dt, rowAlpha, rowBeta, rowGamma, rowDelta, rowHi } = this;
    const L = this.layout!.L;
    const pc = postCls[o];
    const x = xHist[(pc * L + (((t - (g - i * L)) % L) + L) % L) * nPre + i];
    const pi = pc * nPre + i;
    const f = eta * mod[o * mStride];
    return clip(K[k] + dt * (f * (rowAlpha[pi] + rowBeta[pi] * yPost[2 * o + preCls[i]] + rowGamma[pi] + rowDelta[pi] * x)), rowHi[pi]);
  }

  /** The 'delayed' form reads spike groups, not the per-synapse mask. */
  override readsSpikeMask(port: string): boolean {
    return port !== 'pre_spikes' || this.form !== 'delayed';
  }

  /** γ + δ·x_pre on the rows of spiking post units (entries that also receive a spike are redone by the caller). */
  private rowPass(t: number, K: Float32Array, transposed: boolean): void {
    const { nPre, nPost, xHist, postCls, mod, mStride, eta, dt, slotBase } = this;
    const { rowGamma, rowDelta, rowHi } = this;
    const layout = this.layout!;
    const L = layout.L;
    const lat = layout.latency;
    const post = this.post;
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      const r = o * nPre;
      const pc = postCls[o];
      const f = eta * mod[o * mStride];
      for (let a = 0; a < L; a++) slotBase[a] = (pc * L + (((t - a) % L) + L) % L) * nPre;
      const pp = pc * nPre;
      if (transposed) {
        // Presynaptic-major kernel: the row of o is a column, entry (o, i) at i·nPost + o.
        for (let i = 0, k = o, l = r; i < nPre; i++, k += nPost, l++) {
          const j = pp + i;
          K[k] = clip(K[k] + dt * (f * (rowGamma[j] + rowDelta[j] * xHist[slotBase[lat[l]] + i])), rowHi[j]);
        }
      } else if (this.preUniform) {
        const ga = rowGamma[pp];
        const de = rowDelta[pp];
        const h = rowHi[pp];
        for (let i = 0, k = r; i < nPre; i++, k++) {
          K[k] = clip(K[k] + dt * (f * (ga + de * xHist[slotBase[lat[k]] + i])), h);
        }
      } else {
        for (let i = 0, k = r; i < nPre; i++, k++) {
          const j = pp + i;
          K[k] = clip(K[k] + dt * (f * (rowGamma[j] + rowDelta[j] * xHist[slotBase[lat[k]] + i])), rowHi[j]);
        }
      }
    }
  }

  private clipAll(K: Float32Array, transposed = false): void {
    const { nPre, nPost, postCls, preCls } = this;
    const maxClip = this.p.maxClip;
    this.fullClipPending = false;
    for (let o = 0, k = 0; o < nPost; o++) {
      for (let i = 0; i < nPre; i++, k++) {
        const e = transposed ? i * nPost + o : k;
        K[e] = clip(K[e], maxClip[2 * postCls[o] + preCls[i]]);
      }
    }
  }

  private stepLazy(t: number): void {
    const { pre, post, x, xJump, yPost, preCls, postCls, nPre, nPost, mod, mStride, asyncPre } = this;
    const { alpha, beta, gamma, delta, maxClip } = this.p;
    const sPost = post.mask;
    // Post traces first (this step's spikes count, as in Spark).
    this.updatePostTrace();
    this.beginUpdate();
    const K = this.kOut;
    const g = this.dt * this.eta;
    // One pass over the presynaptic spikes: bump x_pre, add α + β·y_post, and clip unless the
    // row also spikes (then the row pass adds γ + δ·x_pre and clips once, as Spark does).
    for (let c = 0; c < pre.count; c++) {
      const e = pre.indices[c];
      if (asyncPre) {
        const o = (e / nPre) | 0;
        const q = preCls[e - o * nPre];
        const T = 2 * postCls[o] + q;
        x.bumpClass(e, t, xJump[T], T);
        const v = K[e] + g * mod[o * mStride] * (alpha[T] + beta[T] * yPost[2 * o + q]);
        K[e] = sPost[o] ? v : clip(v, maxClip[T]);
      } else {
        const q = preCls[e];
        x.bumpClass(e, t, xJump[q], q);
        x.bumpClass(nPre + e, t, xJump[2 + q], 2 + q);
        for (let o = 0, k = e; o < nPost; o++, k += nPre) {
          const T = 2 * postCls[o] + q;
          const v = K[k] + g * mod[o * mStride] * (alpha[T] + beta[T] * yPost[2 * o + q]);
          K[k] = sPost[o] ? v : clip(v, maxClip[T]);
        }
      }
    }
    // γ + δ·x_pre on the rows of spiking postsynaptic units, then clip.
    for (let c = 0; c < post.count; c++) {
      const o = post.indices[c];
      const f = g * mod[o * mStride];
      const pc = postCls[o];
      const row = o * nPre;
      const xBase = asyncPre ? row : pc * nPre;
      for (let i = 0; i < nPre; i++) {
        const T = 2 * pc + preCls[i];
        K[row + i] = clip(K[row + i] + f * (gamma[T] + delta[T] * x.readClass(xBase + i, t, T)), maxClip[T]);
      }
    }
    if (this.fullClipPending) this.clipAll(K);
  }

  /** Spark's form: every entry's traces and ΔK, every step. */
  private stepDense(): void {
    const { nPre, nPost, dx, dy, T, pre, post, mod, mStride, eta, dt, preDecayT, postDecayT, preJumpT, postJumpT, asyncPre } = this;
    this.beginUpdate();
    const K = this.kOut;
    for (let o = 0; o < nPost; o++) {
      denseRow(o * nPre, nPre, asyncPre ? o * nPre : 0, post.mask[o], mod[o * mStride], eta, dt, K, dx, dy, T, pre.mask,
        preDecayT, postDecayT, preJumpT, postJumpT, this.p);
    }
    this.fullClipPending = false;
  }

  reset(): void {
    this.join();
    this.resetBase();
    if (this.form === 'dense') {
      this.dx?.fill(0);
      this.dy?.fill(0);
      return;
    }
    this.yPost?.fill(0);
    if (this.form === 'delayed') this.xHist?.fill(0);
    else this.x?.reset();
  }
}

/** One row of the dense form (Spark's equations, entry by entry). */
function denseRow(
  r: number, nPre: number, sOff: number, sPost: number, m: number, eta: number, dt: number,
  K: Float32Array, x: Float32Array, y: Float32Array, T: Uint8Array, preMask: Uint8Array,
  preDecayT: Float64Array, postDecayT: Float64Array, preJumpT: Float64Array, postJumpT: Float64Array, p: TypeParams,
): void {
  const { alpha, beta, gamma, delta, maxClip } = p;
  for (let i = 0, k = r; i < nPre; i++, k++) {
    const t = T[k];
    const sPre = preMask[sOff + i];
    // s/τ with s ∈ {0, 1}, as s·(1/τ).
    const xk = preDecayT[t] * x[k] + sPre * preJumpT[t];
    const yk = postDecayT[t] * y[k] + sPost * postJumpT[t];
    x[k] = xk;
    y[k] = yk;
    // The traces as stored (float32).
    const dK = eta * m * (alpha[t] * sPre + beta[t] * Math.fround(yk) * sPre + gamma[t] * sPost + delta[t] * Math.fround(xk) * sPost);
    K[k] = Math.min(Math.max(K[k] + dt * dK, 0), maxClip[t]);
  }
}

/**
 * min(max(v, 0), hi), as Spark clips. (v + |v|)/2 is exactly max(v, 0) (doubling and halving are
 * exact; it differs only at v = −∞, which a float32 weight plus a finite increment cannot reach)
 * and has no branch: which weights sit at 0 is unpredictable, and a mispredicted branch per
 * arriving synapse was half the arrival loop's time. The bound above is rarely reached.
 */
function clip(v: number, hi: number): number {
  const p = 0.5 * (v + Math.abs(v));
  return p > hi ? hi : p;
}

/** Same length and the same values (Object.is: −0 and NaN as stored). */
function sameValues(a: Float32Array | Uint8Array, b: Float32Array | Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
