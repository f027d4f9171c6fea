/**
 * How much each part of the cartpole protocol moves the weights: resumes a training checkpoint and,
 * for each episode, sums the kernel changes of every pool during the episode (passive modulation
 * only) and during the steering rollout after a failure. Used for the findings in docs/cartpole.md.
 *
 *   node --import tsx scripts/cartpole_weight_changes.ts <checkpoint.spark.safetensors> [--episodes 3]
 */
import { parseArgs } from 'node:util';
import '../src/index.ts';
import { resumeCartpoleTraining } from '../src/cli/cartpole.ts';
import { Controller } from '../src/controllers/controller.ts';
import type { FloatArray } from '../src/core/payload.ts';
import { processObservation, steeringModulation } from '../src/tasks/cartpole/protocol.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { episodes: { type: 'string', default: '3' } } });
if (positionals.length !== 1) throw new Error('give one checkpoint written by `spark cartpole` (checkpoint.spark.safetensors)');
const { brain, env, protocol } = resumeCartpoleTraining(positionals[0]);

const pools = brain.children().filter((m): m is Controller => m instanceof Controller);
const kernels = (): Float32Array[] => pools.map((p) => Float32Array.from((p.module('synapses').getProperty('kernel') as FloatArray).data));
function change(before: Float32Array[], after: Float32Array[]): string {
  return pools
    .map((p, q) => {
      let net = 0;
      let abs = 0;
      for (let k = 0; k < before[q].length; k++) {
        const d = after[q][k] - before[q][k];
        net += d;
        abs += Math.abs(d);
      }
      return `${p.name} ${net >= 0 ? '+' : ''}${net.toFixed(1)} (|Δ| ${abs.toFixed(1)})`;
    })
    .join(', ');
}

console.log(`total weight per pool at the start: ${pools.map((p, q) => `${p.name} ${kernels()[q].reduce((a, b) => a + b, 0).toFixed(0)}`).join(', ')}`);
for (let e = 0; e < Number(values.episodes); e++) {
  const k0 = kernels();
  protocol.beginEpisode();
  while (!protocol.envStep());
  const k1 = kernels();
  const r = protocol.endEpisode();
  const k2 = kernels();
  let failure = '';
  if (r.outcome !== 'truncated') {
    // The steering decision again, from the post-failure observation the protocol read.
    const obs = processObservation(env.getState().physics, new Float64Array(4), protocol.params.obsScale);
    const s = steeringModulation(obs, 1, protocol.params);
    failure = ` (x ${obs[0].toFixed(2)}, θ ${obs[2].toFixed(3)}, normalised), steered to ${s.steerToB ? 'B' : 'A'} by ${s.byCartPosition ? 'cart position' : 'pole angle'}`;
  }
  console.log(`episode ${r.episode}: ${r.steps} steps, ${r.outcome}${failure}, EMA ${r.ema.toFixed(1)}`);
  console.log(`  during the episode (passive modulation): ${change(k0, k1)}`);
  console.log(`  steering rollout:                         ${change(k1, k2)}`);
}
