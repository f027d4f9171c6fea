/** Shared helpers for the model-file tests: paths of the real Spark files and a small test brain. */
import { Brain } from '../../src/controllers/brain.ts';
import type { SpikeArray } from '../../src/core/payload.ts';

export const MODELS = new URL('../../../shared/spark-models/', import.meta.url).pathname;
export const AB_BRAIN = `${MODELS}ab_brain.scfg`;
export const AB_BRAIN_JSON = `${MODELS}ab_brain.json`;
export const ALIF_MOD = `${MODELS}alif_mod_neuron.scfg`;
export const ALIF_MOD_JSON = `${MODELS}alif_mod_neuron.json`;

export const CARTPOLE_SHAPES = { signal: 4, mod_a_ex: 1, mod_a_in: 1, mod_b_ex: 1, mod_b_in: 1 };

/** Poisson input → recurrent LIF pool (N2N delays, Hebbian plasticity) → integrator. */
export function smallBrainConfig(): Record<string, unknown> {
  return {
    seed: 11,
    modules_specs: [
      { name: 'input', module: 'poisson_spiker', inputs: { signal: '__call__.rate' }, config: { max_freq: 300 } },
      {
        name: 'pool',
        module: 'lif_neuron',
        inputs: { in_spikes: ['input.spikes', 'pool.out_spikes'] },
        config: { units: [40], inhibitory_rate: 0.25, synapses__kernel__scale: 500, delays__max_delay: 5 },
      },
      { name: 'readout', module: 'exponential_integrator', inputs: { spikes: 'pool.out_spikes' }, config: { num_outputs: 2 }, outputs: { out: 'signal' } },
    ],
  };
}

export function smallBrain(): Brain {
  const b = new Brain(smallBrainConfig());
  b.buildFromShapes({ rate: 20 });
  return b;
}

/** Runs `steps` steps and returns per step the spike indices of `ports` (in firing order) and the output bits. */
export function trace(brain: Brain, inputs: (t: number) => Record<string, ArrayLike<number>>, steps: number, ports: string[]): string[] {
  const out: string[] = [];
  const payloads = ports.map((p) => brain.probe(p) as SpikeArray);
  for (let s = 0; s < steps; s++) {
    const t = brain.t;
    const res = brain.run(inputs(t));
    const parts = payloads.map((p) => Array.from(p.indices.subarray(0, p.count)).join(' '));
    for (const v of Object.values(res)) parts.push(Array.from(new Uint32Array(Float32Array.from(v.toFloat32()).buffer)).join(' '));
    out.push(`${t}|${parts.join('|')}`);
  }
  return out;
}
