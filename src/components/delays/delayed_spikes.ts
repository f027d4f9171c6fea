/**
 * The per-synapse spikes of N2N delays, plus the structure that produced them, so that
 * event-driven consumers (traced synapses, the tensor quadruplet rule) can work per spike group
 * instead of per arriving synapse, and read presynaptic traces at each synapse's delay.
 *
 * It is an ordinary SpikeArray (mask and indices filled every step), so any consumer works;
 * the extra fields are read-only views of the delays' state, valid after the delays' step.
 * A copy (e.g. a Brain edge cache) is a plain SpikeArray: consumers then take their generic path.
 */
import { SpikeArray } from '../../core/payload.ts';
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
  /** Inhibition flag of each presynaptic unit (live view of the input's flags). */
  preInhibitory: Uint8Array;
  /** Synapses grouped by (pre unit i, latency a): group g = i·L + a spans [groupStart[g], groupStart[g+1]). */
  groupStart: Int32Array;
  /** Synapse index k and post unit o of each grouped entry (ascending o within a group). */
  groupSyn: Int32Array;
  groupPost: Int32Array;
  /** Groups delivered this step (g = i·L + a), `activeCount` of them. */
  active: Int32Array;
}

export class DelayedSpikes extends SpikeArray {
  layout: DelayLayout | undefined;
  /** Number of entries of `layout.active` valid this step. */
  activeCount = 0;
  /** False under the dense engine: mask and indices only, no active groups. */
  grouped = false;
}
