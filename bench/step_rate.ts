/**
 * Step-rate benchmark for the foundation (issue 2):
 *  1. the reference brain: PoissonSpiker(64) → LIF pool (256, recurrent) → LIF pool (128) →
 *     ExponentialIntegrator(4), Spark's prebuilt lif_neuron wiring (N2N delays, linear synapses,
 *     leaky soma, Hebbian rule);
 *  2. a 4,000-unit LIF pool with 2 % sparse recurrent connectivity (linear synapses + leaky soma,
 *     no delays or plasticity; half the units inhibitory, for balance), driven by 400 Poisson inputs.
 * For each: steps/s, spike rates, a determinism check (same seed twice, another seed), and the
 * heap growth and GC count over a long allocation check (the step loop must allocate nothing).
 *
 *   node --expose-gc --import tsx bench/step_rate.ts [--steps 10000] [--alloc-steps 100000]
 */
import { machineLine } from '../src/cli/machine.ts';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Brain, type SpikeArray, SpikeRecorder } from '../src/index.ts';
import { referenceBrain } from './networks.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '10000' }, 'alloc-steps': { type: 'string', default: '100000' } } });
const steps = Number(values.steps);
const allocSteps = Number(values['alloc-steps']);

interface Case {
  name: string;
  make: (seed: number) => Brain;
  input: string;
  inputSize: number;
  pools: string[];
  /** Units of each recorded pool, for rates. */
  sizes: number[];
}

const cases: Case[] = [
  {
    name: 'reference brain (Poisson 64 → LIF 256 recurrent → LIF 128 → integrator)',
    input: 'rates',
    inputSize: 64,
    pools: ['pool_a.out_spikes', 'pool_b.out_spikes'],
    sizes: [256, 128],
    make: referenceBrain,
  },
  {
    name: 'LIF pool 4000 (half inhibitory), 2 % recurrent connectivity, 400 Poisson inputs',
    input: 'rates',
    inputSize: 400,
    pools: ['pool.out_spikes'],
    sizes: [4000],
    make: (seed) =>
      new Brain({
        seed,
        modules_specs: [
          { name: 'input', module: 'poisson_spiker', inputs: { signal: '__call__.rates' } },
          {
            name: 'pool',
            module: 'neuron',
            inputs: { in_spikes: ['input.spikes', 'pool.out_spikes'] },
            config: {
              units: [4000],
              inhibitory_rate: 0.5,
              modules_specs: [
                {
                  name: 'synapses',
                  module: 'linear_synapses',
                  inputs: { spikes: '__call__.in_spikes' },
                  config: { kernel: { type: 'sparse_uniform_initializer', scale: 600, density: 0.02 } },
                },
                {
                  name: 'soma',
                  module: 'leaky_soma',
                  inputs: { current: 'synapses.currents', inhibition_mask: '__self__.inhibition_mask' },
                  outputs: { out_spikes: 'spikes' },
                },
              ],
            },
          },
        ],
      }),
  },
];

function run(c: Case, seed: number, n: number): { ms: number; spikes: number[]; digest: string } {
  const brain = c.make(seed);
  const inputs = { [c.input]: new Float32Array(c.inputSize).fill(0.5) };
  brain.run(inputs);
  const recs = c.pools.map((p) => new SpikeRecorder(brain.probe(p) as SpikeArray));
  recs.forEach((r) => brain.addMonitor(r));
  const t0 = performance.now();
  for (let t = 0; t < n; t++) brain.run(inputs);
  const ms = performance.now() - t0;
  let h = 0;
  for (const r of recs) for (const i of r.events().indices) h = (Math.imul(h, 31) + i) | 0;
  return { ms, spikes: recs.map((r) => r.length), digest: (h >>> 0).toString(16) };
}

/** Heap growth and GC count over `n` steps with no monitors attached. */
function allocationCheck(c: Case, n: number): { heapGrowthKiB: number; gcs: number } {
  const brain = c.make(1);
  const inputs = { [c.input]: new Float32Array(c.inputSize).fill(0.5) };
  for (let t = 0; t < 1000; t++) brain.run(inputs); // warm up (JIT, delay-queue growth)
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  let gcs = 0;
  const obs = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  obs.observe({ entryTypes: ['gc'] });
  const before = process.memoryUsage().heapUsed;
  for (let t = 0; t < n; t++) brain.run(inputs);
  const after = process.memoryUsage().heapUsed;
  obs.disconnect();
  return { heapGrowthKiB: Math.round((after - before) / 1024), gcs };
}

console.log(`machine: ${machineLine()}`);
console.log(`command: node --expose-gc --import tsx bench/step_rate.ts --steps ${steps} --alloc-steps ${allocSteps}`);
for (const c of cases) {
  const a = run(c, 1, steps);
  const b = run(c, 1, steps);
  const other = run(c, 2, steps);
  const rates = a.spikes.map((s, i) => `${c.pools[i].split('.')[0]} ${((s / steps) * 1000 / c.sizes[i]).toFixed(1)} Hz`);
  console.log(`\n${c.name}`);
  console.log(`  steps/s: ${((steps / a.ms) * 1000).toFixed(0)} (${steps} steps, ${(a.ms / 1000).toFixed(2)} s); rates: ${rates.join(', ')}`);
  console.log(`  determinism: seed 1 twice → ${a.digest === b.digest && a.spikes.join() === b.spikes.join() ? 'identical' : 'DIFFERENT'} (spikes ${a.spikes.join('/')}); seed 2 → ${other.digest !== a.digest ? 'differs' : 'SAME'} (spikes ${other.spikes.join('/')})`);
  const alloc = allocationCheck(c, allocSteps);
  console.log(`  allocation over ${allocSteps} steps, no monitors: heap growth ${alloc.heapGrowthKiB} KiB, GC events ${alloc.gcs}`);
}
