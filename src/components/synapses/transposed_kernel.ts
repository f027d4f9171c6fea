/**
 * A synapse kernel kept presynaptic-major (kt[i·nPost + o]) for N2N-delayed spikes under the event
 * engine. A spike group (pre unit i, one latency) then reads and updates weights within one row
 * of nPost floats, instead of one cache line per synapse down a column of the post-major kernel;
 * late in cartpole training, when arrivals dominate and post spikes are rare, that is most of the
 * work. The plasticity row pass of a spiking post unit becomes the strided one.
 *
 * The post-major kernel (Spark's layout, the `kernel` property) stays the public view: it is
 * written from kt when read (property, probe, checkpoint) and read into kt after it is replaced.
 * Every weight sees the same float operations in the same order as in the post-major form.
 * kt is allocated in the delays' WebAssembly arena when they have one (see WasmArena).
 */
import type { DelayLayout } from '../delays/delayed_spikes.ts';

/**
 * A rule updating kt whose per-arrival update can run inside the synapses' delivery pass (the
 * quadruplet rule; see the `deliverArrivals` kernel): one walk over the arriving synapses instead of two.
 */
export interface ArrivalFusion {
  /**
   * Called by the synapses at their step, before delivery: the byte offset of the rule's kernel
   * argument block if delivery should do this step's arrival updates, else 0.
   */
  prepareArrivals(): number;
}

export class TransposedKernel {
  /** A plasticity rule updates kt in place (so kt, not the kernel, is current). */
  claimed = false;
  /** The claiming rule, if its arrival updates can be fused into delivery. */
  fusion: ArrivalFusion | undefined;
  private data: Float32Array | undefined;

  constructor(
    readonly layout: DelayLayout,
    /** The post-major kernel this one mirrors. */
    readonly kernel: Float32Array,
  ) {}

  /**
   * Weights, presynaptic-major: kt[i·nPost + o] = kernel[o·nPre + i]. Allocated and filled on first
   * use, so a plastic kernel whose rule works on the post-major one (e.g. Hebbian) costs no copy.
   */
  get kt(): Float32Array {
    if (!this.data) {
      const n = this.kernel.length;
      this.data = this.layout.arena ? this.layout.arena.f32(n) : new Float32Array(n);
      this.fill(this.data);
    }
    return this.data;
  }

  /** True if kt lives (or will, once allocated) in the layout's WebAssembly arena, where the event kernels work. */
  get inArena(): boolean {
    return this.layout.arena !== undefined;
  }

  /** True once kt exists. */
  get allocated(): boolean {
    return this.data !== undefined;
  }

  /** Post-major kernel → kt (after the kernel was replaced; nothing to do before kt exists). */
  gather(): void {
    this.layout.arena?.join();
    if (this.data) this.fill(this.data);
  }

  /** kt → post-major kernel (before the kernel is read). */
  scatter(): void {
    const kt = this.data;
    if (!kt) return;
    this.layout.arena?.join();
    const kernel = this.kernel;
    const { nPost, nPre } = this.layout;
    for (let o = 0, k = 0; o < nPost; o++) for (let i = 0; i < nPre; i++, k++) kernel[k] = kt[i * nPost + o];
  }

  private fill(kt: Float32Array): void {
    const kernel = this.kernel;
    const { nPost, nPre } = this.layout;
    for (let o = 0, k = 0; o < nPost; o++) for (let i = 0; i < nPre; i++, k++) kt[i * nPost + o] = kernel[k];
  }
}
