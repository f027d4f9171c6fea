/**
 * Cartpole benchmark: network steps per second in the training loop (learning on, the
 * tutorial's protocol, the shipped ab_brain) and the wall time of an N-episode run.
 *
 *   node --import tsx bench/cartpole.ts [--episodes 150] [--seed S] [--compat spark|correct] [--checkpoint F] [--engine event|event_ts] [--threads | --split A,B | --kernel-thread]
 *
 * With --checkpoint, training resumes from a `spark cartpole` checkpoint (brain, protocol and
 * environment state): the rate late in training, when activity is sparser, without replaying the
 * early episodes.
 *
 * Network steps/s counts every brain step of the run (warm-ups, 50 per environment step,
 * steering rollouts) divided by the time of the episode loop; loading and building are excluded
 * and timed separately. Spark's tutorial: 150 episodes in 3 min 43 s (authors' machine).
 */
import { machineLine } from '../src/cli/machine.ts';
import { setupCartpoleBench } from './cartpole_setup.ts';

console.log(`command: node --import tsx bench/cartpole.ts ${process.argv.slice(2).join(' ')}`.trim());
console.log(`machine: ${machineLine()}`);

let t = performance.now();
const { episodes, seed, compat, engine, protocol, brain, threads } = setupCartpoleBench(150);
const buildS = (performance.now() - t) / 1000;
console.log(`load + build: ${buildS.toFixed(2)} s`);

t = performance.now();
const cpu0 = process.cpuUsage();
const steps0 = protocol.networkSteps;
let lastReport = t;
for (let e = 0; e < episodes; e++) {
  const r = protocol.runEpisode();
  const now = performance.now();
  if (now - lastReport > 10_000 || e === episodes - 1) {
    const sps = (protocol.networkSteps - steps0) / ((now - t) / 1000);
    console.log(`episode ${e + 1}/${episodes}: steps ${r.steps} (${r.outcome}), EMA ${r.ema.toFixed(2)}, ${Math.round(sps)} network steps/s`);
    lastReport = now;
  }
}
const wall = (performance.now() - t) / 1000;
const cpuUse = process.cpuUsage(cpu0);
const cpuS = (cpuUse.user + cpuUse.system) / 1e6;
const netSteps = protocol.networkSteps - steps0;
// Steps per CPU second: on a shared machine, less sensitive to time-slicing than the wall rate.
console.log(
  `result: episodes=${episodes} network_steps=${netSteps} steps_per_s=${Math.round(netSteps / wall)} steps_per_cpu_s=${Math.round(netSteps / cpuS)} wall_s=${wall.toFixed(1)} final_ema=${protocol.ema.toFixed(2)} compat=${compat}${seed !== undefined ? ` seed=${seed}` : ''}${engine !== 'event' ? ` engine=${engine}` : ''}${brain.split ? ` worker=${[...(brain.split.remote ?? [])].join(',')}` : ''}`,
);
if (threads) {
  const s = threads.stats();
  const pct = (ms: number): string => `${((100 * ms) / 1000 / wall).toFixed(1)} %`;
  console.log(`threads: main waited for the worker ${pct(s.mainWaitMs)} of the time, the worker for main ${pct(s.workerWaitMs)}, the worker idle between steps ${pct(s.workerIdleMs)}`);
}
