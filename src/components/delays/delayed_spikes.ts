/**
 * The per-synapse spikes of N2N delays, plus the structure that produced them, so that
 * event-driven consumers (traced synapses, the tensor quadruplet rule) can work per spike group
 * instead of per arriving synapse, and read presynaptic traces at each synapse's delay.
 *
 * It is an ordinary SpikeArray, so any consumer works. Its per-synapse mask and indices cost one
 * write per arriving synapse, so they are filled only while some reader needs them: a controller
 * turns them off when every consumer reads spike groups (`setDenseWanted(false)`), and a probe,
 * a recorder or a concatenation turns them back on for good (`demandDense`).
 * The extra fields are read-only views of the delays' state, valid after the delays' step.
 * A copy (e.g. a Brain edge cache) is a plain SpikeArray: consumers then take their generic path.
 */
import { SpikeArray } from '../../core/payload.ts';
import type { TransposedKernel } from '../synapses/transposed_kernel.ts';
import type { WasmArena } from '../../wasm/arena.ts';
import type { SpikeHistory } from './spike_history.ts';

export interface DelayLayout {
  nPost: number;
  nPre: number;
  /** History length: latencies are 0..L−1 steps. */
  L: number;
  /** Latency of synapse k = o·nPre + i, in steps. */
  latency: Uint16Array;
  /** Presynaptic spikes of the last L steps (age 0 = this step). */
  history: SpikeHistory;
  /** Inhibition flag of each presynaptic unit (the input's flags, copied at every connect). */
  preInhibitory: Uint8Array;
  /** Synapses grouped by (pre unit i, latency a): group g = i·L + a spans [groupStart[g], groupStart[g+1]). */
  groupStart: Int32Array;
  /** Synapse index k and post unit o of each grouped entry (ascending o within a group). */
  groupSyn: Int32Array;
  groupPost: Int32Array;
  /** Groups delivered this step (g = i·L + a), `activeCount` of them. */
  active: Int32Array;
  /**
   * With an arena: each group's post units as a bit set, `maskWords` 32-bit words per group (bit
   * o & 31 of word o >> 5), so a kernel finds a group's entries at spiking units without its list.
   */
  groupMask?: Int32Array;
  maskWords: number;
  /** The presynaptic-major weights of the synapses reading these spikes (set by them). */
  transposed?: TransposedKernel;
  /**
   * WebAssembly memory holding groupStart, groupPost, active, latency and preInhibitory, where
   * consumers allocate their per-pool arrays to run the event kernels (engine 'event', large pools).
   */
  arena?: WasmArena;
}

export class DelayedSpikes extends SpikeArray {
  layout: DelayLayout | undefined;
  /** Number of entries of `layout.active` valid this step. */
  activeCount = 0;
  /** Counts the delays' steps (setGroups calls): tells consumers whether two calls saw the same step. */
  serial = 0;
  /** False under the dense engine: mask and indices only, no active groups. */
  grouped = false;
  /** Some consumer reads mask and indices (set by the controller after binding). */
  private wanted = true;
  /** Mask and indices were asked for by a probe, a recorder or a copy: always filled. */
  private demanded = false;
  /** This step's mask and indices are not filled yet (see `materialize`). */
  private stale = false;

  override clear(): void {
    super.clear();
    this.stale = false;
  }

  /**
   * The delays listed `activeCount` groups in `layout.active` (after `clear`): mask and indices
   * follow now only if some reader needs them (one write per arriving synapse).
   */
  setGroups(activeCount: number): void {
    this.activeCount = activeCount;
    this.serial++;
    this.stale = true;
    if (this.wanted || this.demanded) this.materialize();
  }

  override setDenseWanted(wanted: boolean): void {
    this.wanted = wanted;
  }

  override demandDense(): void {
    this.demanded = true;
    this.materialize();
  }

  /** Fills mask and indices from this step's active groups, if they were skipped. */
  materialize(): void {
    if (!this.stale || !this.layout) return;
    this.stale = false;
    const { groupStart, groupSyn, active } = this.layout;
    const { mask, indices } = this;
    let count = this.count;
    for (let c = 0; c < this.activeCount; c++) {
      const g = active[c];
      for (let s = groupStart[g], e = groupStart[g + 1]; s < e; s++) {
        const k = groupSyn[s];
        mask[k] = 1;
        indices[count++] = k;
      }
    }
    this.count = count;
  }
}
