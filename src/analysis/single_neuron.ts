/**
 * Drives one soma with a recorded current trace: the engine behind `spark neuron` and the Brian2
 * fidelity tests. Recording follows Brian2's schedule (see /work/shared/fidelity/README.md):
 * for step k, the potential is recorded before the update (row k = v(t_k)), then the soma steps
 * with I[k], and a spike in that step is reported at step k, t = k·dt.
 */
import type { Soma } from '../components/somas/soma.ts';
import { ConfigError, RegistryError } from '../core/errors.ts';
import type { Compat } from '../core/module.ts';
import { CurrentArray } from '../core/payload.ts';
import { REGISTRY } from '../core/registry.ts';

export interface SingleNeuronOptions {
  /** Registry name of a soma model, e.g. 'adaptive_exponential_soma'. */
  soma: string;
  /** Config overrides (Spark field names); `dt` is set from `dt`. */
  config?: Record<string, unknown>;
  /** Input current per step (pA). */
  current: ArrayLike<number>;
  /** Time step (ms). */
  dt: number;
  compat?: Compat;
}

export interface SingleNeuronRun {
  /** Absolute membrane potential (mV) at the start of each step: rest + the stored relative value. */
  potential: Float32Array;
  /** Steps in which the soma spiked. */
  spikeSteps: Int32Array;
  /** Spike times k·dt (ms). */
  spikeTimes: Float64Array;
  soma: Soma;
}

/** Runs `current.length` steps of a one-unit soma. Throws RegistryError / ConfigError on bad input. */
export function runSingleNeuron(opts: SingleNeuronOptions): SingleNeuronRun {
  const cls = REGISTRY.getModule(opts.soma);
  if (cls.category !== 'soma') {
    const somas = [...REGISTRY.modules.values()].filter((c) => c.category === 'soma').map((c) => c.type);
    throw new RegistryError(`'${opts.soma}' is a ${cls.category}, not a soma. Somas: ${somas.join(', ')}.`);
  }
  if (!(opts.dt > 0) || !Number.isFinite(opts.dt)) {
    throw new ConfigError([{ path: 'dt', message: `must be a positive number of ms, got ${opts.dt}` }]);
  }
  const soma = new cls({ ...(opts.config ?? {}), dt: opts.dt }, { compat: opts.compat }) as Soma;
  const input = new CurrentArray([1]);
  soma.build({ current: { payload: 'current_array', shape: [1] } });
  soma.bind({ current: input });
  const rest = soma.restPotential()[0];
  const n = opts.current.length;
  const potential = new Float32Array(n);
  const steps: number[] = [];
  for (let k = 0; k < n; k++) {
    potential[k] = rest + soma.v[0];
    input.data[0] = opts.current[k];
    soma.step();
    if (soma.spikes.count > 0) steps.push(k);
  }
  const spikeSteps = Int32Array.from(steps);
  return { potential, spikeSteps, spikeTimes: Float64Array.from(steps, (k) => stepTime(k, opts.dt)), soma };
}

/** k·dt without binary noise in the last digits (15.7, not 15.700000000000001). */
export function stepTime(k: number, dt: number): number {
  return Number((k * dt).toPrecision(12));
}
