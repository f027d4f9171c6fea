/**
 * Networks shared by the benchmarks and the tests that check them.
 */
import { Brain } from '../src/index.ts';

/**
 * The foundation's reference brain: PoissonSpiker(64) → LIF pool (256, recurrent, half
 * inhibitory) → LIF pool (128) → ExponentialIntegrator(4), with Spark's prebuilt `lif_neuron`
 * wiring (N2N delays, linear synapses, leaky soma, Hebbian rule). Input `rates` (64 values in [0, 1]).
 */
export function referenceBrain(seed: number): Brain {
  return new Brain({
    seed,
    modules_specs: [
      { name: 'input', module: 'poisson_spiker', inputs: { signal: '__call__.rates' } },
      {
        name: 'pool_a',
        module: 'lif_neuron',
        inputs: { in_spikes: ['input.spikes', 'pool_a.out_spikes'] },
        config: { units: [256], inhibitory_rate: 0.5, synapses__kernel__scale: 500, hebbian_rule__eta: 1e-4 },
      },
      {
        name: 'pool_b',
        module: 'lif_neuron',
        inputs: { in_spikes: 'pool_a.out_spikes' },
        config: { units: [128], synapses__kernel__scale: 1500, hebbian_rule__eta: 1e-4 },
      },
      { name: 'readout', module: 'exponential_integrator', inputs: { spikes: 'pool_b.out_spikes' }, config: { num_outputs: 4 }, outputs: { signal: 'signal' } },
    ],
  });
}
