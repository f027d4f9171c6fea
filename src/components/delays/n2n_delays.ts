/**
 * N2NDelays: one delay per synapse (post o, pre i). A presynaptic spike of unit i reaches each
 * postsynaptic unit o after its own delay d[o,i]. Output: per-synapse spikes of shape
 * `units + pre_shape` (async), carrying the presynaptic inhibition flags.
 *
 * Event engine: the spikes of the last L = max latency + 1 steps are kept per presynaptic unit
 * (SpikeHistory), and the synapses are grouped by (pre unit, latency). At step t the group
 * (i, a) is emitted for every unit i that spiked a steps ago. Work is the emitted synapses plus
 * L per recent spike, not post × pre. The output (a DelayedSpikes) also lists the emitted groups
 * and exposes the history, so consumers can work per group and read traces at each delay.
 * Dense engine: the input masks of the last L steps, gathered per synapse every step (Spark's form).
 * The state has a fixed size (L × pre units), so a checkpoint restores into a module built from
 * the same config without resizing. Delays are static after build (Spark keeps them as a Constant).
 * Spark: spark/nn/components/delays/n2n_delays.py (bit-packed dense ring buffer, same timing).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { IntegerArray, type Payload, type PortSpec, type SpikeArray } from '../../core/payload.ts';
import { shapeSize } from '../../core/shape.ts';
import { DelayedSpikes } from './delayed_spikes.ts';
import { delayBaseFields, Delays } from './delays.ts';
import { SpikeHistory } from './spike_history.ts';
import { byteOffsets, HEAP_ALLOC, WasmArena } from '../../wasm/arena.ts';

/**
 * Pools with at least this many synapses get a WebAssembly arena under the 'event' engine; below
 * it the kernels' call overhead outweighs their gain.
 */
const ARENA_MIN_SYNAPSES = 1 << 14;

export class N2NDelays extends Delays {
  static readonly type: string = 'n2n_delays';
  static readonly schema: ConfigSchema = {
    type: 'n2n_delays_config',
    classRef: 'n2n_delays',
    fields: { ...delayBaseFields, units: field.shape(undefined, 'Postsynaptic shape (set by the Neuron).') },
  };
  static readonly summary = 'A delay per synapse; emits per-synapse spikes.';
  static readonly reference = 'Spark: spark/nn/components/delays/n2n_delays.py';
  static readonly equations = [
    'B = ceil(max_delay/dt);  d[o,i] ∈ {1..B} steps (drawn by the `delays` initializer with scale B+1, min 1)',
    'out[o,i](t) = in[i](t − d[o,i])   (compat spark: d = B acts as 0, i.e. out[o,i](t) = in[i](t))',
  ].join('\n');

  nPost = 0;
  nPre = 0;
  /** Latency of synapse k = o·nPre + i, in steps (the drawn delay, or delay mod B under compat spark). */
  latency!: Uint16Array;
  private history!: SpikeHistory;
  /** Synapses grouped by (pre unit i, latency a): group g = i·L + a spans [start[g], start[g+1]). */
  private groupStart!: Int32Array;
  private active!: Int32Array;
  private spikesOut!: DelayedSpikes;
  private input!: SpikeArray;
  /** The group-listing kernel's array arguments (byteOffsets), taken on first use. */
  private ptrs: Int32Array | undefined;
  /** Dense engine: the input masks of the last L steps, row a = age a (rebuilt from the history). */
  private ring!: Uint8Array;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const units = this.cfg<number[]>('units');
    const inShape = inputSpecs.in_spikes.shape;
    this.nPost = shapeSize(units);
    this.nPre = shapeSize(inShape);
    const { nPost, nPre } = this;
    const n = nPost * nPre;
    const drawn = this.drawLatencies([nPost, nPre]);
    // Weights, group lists and the rule's per-synapse scratch: about 24 bytes a synapse.
    const arena = this.engine === 'event' && n >= ARENA_MIN_SYNAPSES && n < 2 ** 26 ? WasmArena.create(24 * n) : undefined;
    const a = arena ?? HEAP_ALLOC;
    this.latency = a.u16(n);
    this.latency.set(drawn.latency);
    let maxLat = 0;
    for (let k = 0; k < n; k++) if (this.latency[k] > maxLat) maxLat = this.latency[k];
    const L = maxLat + 1;
    this.history = new SpikeHistory(L, nPre, a);
    this.ptrs = undefined;
    this.track('history', this.history.rows);
    this.track('history_counts', this.history.counts);
    this.track('history_head', this.history.head);
    // Counting sort of the synapses by (i, latency); stable, so post units ascend within a group.
    const start = a.i32(nPre * L + 1);
    for (let k = 0; k < n; k++) start[(k % nPre) * L + this.latency[k] + 1]++;
    for (let g = 0; g < nPre * L; g++) start[g + 1] += start[g];
    const fill = start.slice(0, nPre * L);
    const syn = new Int32Array(n);
    const post = a.i32(n);
    for (let k = 0; k < n; k++) {
      const p = fill[(k % nPre) * L + this.latency[k]]++;
      syn[p] = k;
      post[p] = (k / nPre) | 0;
    }
    this.groupStart = start;
    this.active = a.i32(nPre * L);
    const maskWords = (nPost + 31) >> 5;
    const groupMask = arena ? arena.i32(nPre * L * maskWords) : undefined;
    if (groupMask) {
      for (let g = 0; g < nPre * L; g++) {
        for (let s = start[g]; s < start[g + 1]; s++) groupMask[g * maskWords + (post[s] >> 5)] |= 1 << (post[s] & 31);
      }
    }
    this.ring = new Uint8Array(this.engine === 'dense' ? L * nPre : 0);
    const kernel = new IntegerArray([nPost, nPre]);
    kernel.data.set(drawn.delays);
    this.props.kernel = kernel;
    // Each synapse carries the flag of its presynaptic unit.
    const preInh = inputSpecs.in_spikes.inhibitory ?? new Uint8Array(nPre);
    const inh = new Uint8Array(n);
    for (let o = 0; o < nPost; o++) inh.set(preInh, o * nPre);
    this.spikesOut = new DelayedSpikes([...units, ...inShape], inh, true);
    this.spikesOut.grouped = this.engine !== 'dense';
    this.spikesOut.layout = {
      nPost,
      nPre,
      L,
      latency: this.latency,
      history: this.history,
      preInhibitory: a.u8(nPre),
      groupStart: start,
      groupSyn: syn,
      groupPost: post,
      active: this.active,
      groupMask,
      maskWords,
      arena,
    };
    this.spikesOut.layout.preInhibitory.set(preInh);
    return { out_spikes: this.spikesOut };
  }

  protected override connect(): void {
    this.input = this.in.in_spikes as SpikeArray;
    // Flags may change after build (e.g. a Neuron's mask bound later): follow the input.
    const preInh = this.input.inhibitory;
    for (let o = 0; o < this.nPost; o++) this.spikesOut.inhibitory.set(preInh, o * this.nPre);
    this.spikesOut.layout!.preInhibitory.set(preInh);
  }

  step(): void {
    if (this.engine === 'dense') {
      this.stepDense();
      return;
    }
    const { history, groupStart, active, spikesOut: out } = this;
    // A rule step still running on the kernel thread reads this layout's active groups.
    const arena = out.layout!.arena;
    arena?.join();
    const L = history.length;
    history.push(this.input);
    out.clear();
    if (arena) {
      // The loop below as a kernel (the history and the groups are in the arena).
      const p = (this.ptrs ??= byteOffsets([history.rows, history.counts, groupStart, active]));
      out.setGroups(arena.kernels.delayGroups(L, history.n, history.head[0], p[0], p[1], p[2], p[3]));
      return;
    }
    const { rows, counts } = history;
    const n = history.n;
    let na = 0;
    for (let a = 0; a < L; a++) {
      const r = history.row(a);
      const m = counts[r];
      for (let c = 0, p = r * n; c < m; c++, p++) {
        const g = rows[p] * L + a;
        if (groupStart[g] !== groupStart[g + 1]) active[na++] = g;
      }
    }
    out.setGroups(na);
  }

  /** Spark's form: the input masks of the last L steps, gathered for every synapse at its latency. */
  private stepDense(): void {
    const { history, ring, latency, nPre, nPost, spikesOut: out } = this;
    const L = history.length;
    history.push(this.input);
    ring.fill(0);
    for (let a = 0; a < L; a++) {
      const r = history.row(a);
      for (let c = 0, p = r * nPre; c < history.counts[r]; c++, p++) ring[a * nPre + history.rows[p]] = 1;
    }
    out.clear();
    for (let o = 0, k = 0; o < nPost; o++) {
      for (let i = 0; i < nPre; i++, k++) if (ring[latency[k] * nPre + i]) out.add(k);
    }
    out.activeCount = 0;
  }

  /** Checkpoints save the output payload: fill it first. */
  override statePayloads(): ReturnType<Delays['statePayloads']> {
    this.spikesOut.materialize();
    return super.statePayloads();
  }

  reset(): void {
    this.spikesOut.layout?.arena?.join();
    this.history.reset();
    this.spikesOut.clear();
    this.spikesOut.activeCount = 0;
  }
}
