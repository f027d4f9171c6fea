/**
 * N2NDelays: one delay per synapse (post o, pre i). A presynaptic spike of unit i reaches each
 * postsynaptic unit o after its own delay d[o,i]. Output: per-synapse spikes of shape
 * `units + pre_shape` (async), carrying the presynaptic inhibition flags.
 *
 * Event-driven, like Brian2's spike queue: a ring of L = max latency + 1 slots, each a list of
 * synapse indices due at that step. A spike files its synapses at (now + d) mod L; each step
 * emits the current slot and empties it. Work is spikes × fan-out, not post × pre.
 * Spark: spark/nn/components/delays/n2n_delays.py (bit-packed dense buffer, same timing).
 */
import { field } from '../../core/config/field.ts';
import type { ConfigSchema } from '../../core/config/schema.ts';
import { IntegerArray, type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { shapeSize } from '../../core/shape.ts';
import { delayBaseFields, Delays } from './delays.ts';

export class N2NDelays extends Delays {
  static readonly type: string = 'n2n_delays';
  static readonly schema: ConfigSchema = {
    type: 'n2n_delays_config',
    classRef: 'n2n_delays',
    fields: { ...delayBaseFields, units: field.shape(undefined, 'Postsynaptic shape (set by the Neuron).') },
  };
  static readonly summary = 'A delay per synapse; emits per-synapse spikes.';
  static readonly reference = 'Spark: spark/nn/components/delays/n2n_delays.py; Brian2 spikequeue.h';

  nPost = 0;
  nPre = 0;
  /** Latency of synapse k = o·nPre + i, in steps. */
  latency!: Uint16Array;
  private slots = 0;
  /** Slot s holds synapse indices at [s·cap, s·cap + count[s]). */
  private queue!: Int32Array;
  /** Capacity of one slot; grows (rarely) by doubling, up to nPost·nPre. */
  private cap = 0;
  private counts!: Int32Array;
  /** Current slot index, in a 1-element array so checkpoints can save it. */
  private cur!: Int32Array;
  private spikesOut!: SpikeArray;
  private input!: SpikeArray;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const units = this.cfg<number[]>('units');
    const inShape = inputSpecs.in_spikes.shape;
    this.nPost = shapeSize(units);
    this.nPre = shapeSize(inShape);
    const n = this.nPost * this.nPre;
    this.latency = this.drawLatencies([this.nPost, this.nPre]);
    let maxLat = 0;
    for (let k = 0; k < n; k++) if (this.latency[k] > maxLat) maxLat = this.latency[k];
    this.slots = maxLat + 1;
    // A synapse is in a slot at most once (one spike per presynaptic unit per step), so n
    // bounds a slot; start smaller and grow on demand to keep big sparse pools affordable.
    this.cap = Math.min(n, Math.max(1024, this.nPost * 16));
    this.queue = this.track('queue', new Int32Array(this.slots * this.cap));
    this.counts = this.track('counts', new Int32Array(this.slots));
    this.cur = this.track('cur', new Int32Array(1));
    const kernel = new IntegerArray([this.nPost, this.nPre]);
    kernel.data.set(this.latency);
    this.props.kernel = kernel;
    // Each synapse carries the flag of its presynaptic unit.
    const preInh = inputSpecs.in_spikes.inhibitory ?? new Uint8Array(this.nPre);
    const inh = new Uint8Array(n);
    for (let o = 0; o < this.nPost; o++) inh.set(preInh, o * this.nPre);
    this.spikesOut = new SpikeArray([...units, ...inShape], inh, true);
    return { out_spikes: this.spikesOut };
  }

  protected override connect(): void {
    this.input = this.in.in_spikes as SpikeArray;
    // Flags may change after build (e.g. a Neuron's mask bound later): follow the input.
    const preInh = this.input.inhibitory;
    for (let o = 0; o < this.nPost; o++) this.spikesOut.inhibitory.set(preInh, o * this.nPre);
  }

  step(): void {
    const { latency, counts, nPre, nPost, slots, spikesOut: out, input } = this;
    const cur = this.cur[0];
    if (this.cap < nPre * nPost && input.count * nPost > this.cap - this.maxCount()) this.grow(input.count * nPost);
    const queue = this.queue;
    const cap = this.cap;
    // File this step's spikes.
    for (let c = 0; c < input.count; c++) {
      const i = input.indices[c];
      for (let o = 0, k = i; o < nPost; o++, k += nPre) {
        let s = cur + latency[k];
        if (s >= slots) s -= slots;
        queue[s * cap + counts[s]++] = k;
      }
    }
    // Emit what is due now.
    out.clear();
    const base = cur * cap;
    const m = counts[cur];
    for (let c = 0; c < m; c++) out.add(queue[base + c]);
    counts[cur] = 0;
    this.cur[0] = cur + 1 === slots ? 0 : cur + 1;
  }

  private maxCount(): number {
    let m = 0;
    for (let s = 0; s < this.slots; s++) if (this.counts[s] > m) m = this.counts[s];
    return m;
  }

  /** Makes room for `extra` more entries per slot (allocates; happens a few times at most). */
  private grow(extra: number): void {
    const n = this.nPost * this.nPre;
    let cap = this.cap;
    const need = Math.min(n, this.maxCount() + extra);
    while (cap < need) cap = Math.min(n, cap * 2);
    const q = new Int32Array(this.slots * cap);
    for (let s = 0; s < this.slots; s++) q.set(this.queue.subarray(s * this.cap, s * this.cap + this.counts[s]), s * cap);
    this.queue = this.track('queue', q);
    this.cap = cap;
  }

  reset(): void {
    this.counts.fill(0);
    this.cur[0] = 0;
    this.spikesOut.clear();
  }
}
