/**
 * The presynaptic trace of an event-driven rule, x ← e^{−dt/τ}·x + s_pre/τ, kept lazily
 * (see LazyTrace): per presynaptic unit for ordinary spikes, per synapse for per-synapse
 * (N2N-delayed) spikes. `at(o, i, t)` reads the value seen by synapse (o, i) at step t.
 */
import type { SpikeArray } from '../../core/payload.ts';
import { LazyTrace } from '../tracers.ts';

export class PreTrace {
  readonly trace: LazyTrace;
  private readonly perSynapse: boolean;
  private readonly nPre: number;
  /** 1/τ per entry: the jump of a spike (Spark's Tracer scale = 1/τ). */
  private readonly jump: Float32Array;

  constructor(tau: Float32Array, dt: number, perSynapse: boolean, nPre: number, jump?: Float32Array) {
    this.trace = new LazyTrace(tau, dt);
    this.perSynapse = perSynapse;
    this.nPre = nPre;
    this.jump = jump ?? tau.map((x) => 1 / x);
  }

  /** Adds this step's spikes (entries of `spikes` are pre units or synapses). */
  add(spikes: SpikeArray, t: number): void {
    const { trace, jump } = this;
    for (let c = 0; c < spikes.count; c++) {
      const e = spikes.indices[c];
      trace.bump(e, t, jump[e]);
    }
  }

  at(o: number, i: number, t: number): number {
    return this.trace.read(this.perSynapse ? o * this.nPre + i : i, t);
  }

  reset(): void {
    this.trace.reset();
  }
}
