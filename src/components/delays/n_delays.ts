/**
 * NDelays: one delay per presynaptic unit. The spike of unit i re-appears d[i] steps later,
 * as an ordinary spike array of the input's shape (so it can feed linear or traced synapses).
 * Spark flags this output as per-synapse (`async_spikes=True`), which makes it unusable with
 * synapses unless pre and post sizes match; we emit ordinary spikes (docs/compat.md).
 * Spark: spark/nn/components/delays/n_delays.py.
 */
import type { ConfigSchema } from '../../core/config/schema.ts';
import { IntegerArray, type Payload, type PortSpec, SpikeArray } from '../../core/payload.ts';
import { shapeSize } from '../../core/shape.ts';
import { delayBaseFields, Delays } from './delays.ts';
import { SpikeHistory } from './spike_history.ts';

export class NDelays extends Delays {
  static readonly type: string = 'n_delays';
  static readonly schema: ConfigSchema = { type: 'n_delays_config', classRef: 'n_delays', fields: { ...delayBaseFields } };
  static readonly summary = 'A delay per presynaptic unit; emits ordinary spikes.';
  static readonly reference = 'Spark: spark/nn/components/delays/n_delays.py';
  static readonly equations = [
    'B = ceil(max_delay/dt);  d[i] ∈ {1..B} steps',
    'out[i](t) = in[i](t − d[i])   (compat spark: d = B acts as 0)',
  ].join('\n');

  n = 0;
  latency!: Uint16Array;
  private history!: SpikeHistory;
  private spikesOut!: SpikeArray;
  private input!: SpikeArray;

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    const shape = inputSpecs.in_spikes.shape;
    this.n = shapeSize(shape);
    const drawn = this.drawLatencies(shape);
    this.latency = drawn.latency;
    let maxLat = 0;
    for (let i = 0; i < this.n; i++) if (this.latency[i] > maxLat) maxLat = this.latency[i];
    this.history = new SpikeHistory(maxLat + 1, this.n);
    this.track('history', this.history.rows);
    this.track('history_counts', this.history.counts);
    this.track('history_head', this.history.head);
    const kernel = new IntegerArray(shape);
    kernel.data.set(drawn.delays);
    this.props.kernel = kernel;
    this.spikesOut = new SpikeArray(shape, inputSpecs.in_spikes.inhibitory);
    return { out_spikes: this.spikesOut };
  }

  protected override connect(): void {
    this.input = this.in.in_spikes as SpikeArray;
    this.spikesOut.inhibitory.set(this.input.inhibitory);
  }

  step(): void {
    const { history, latency, spikesOut: out } = this;
    history.push(this.input);
    out.clear();
    const { rows, counts, n } = history;
    for (let a = 0; a < history.length; a++) {
      const r = history.row(a);
      for (let c = 0, p = r * n; c < counts[r]; c++, p++) {
        const i = rows[p];
        if (latency[i] === a) out.add(i);
      }
    }
  }

  reset(): void {
    this.history.reset();
    this.spikesOut.clear();
  }
}
