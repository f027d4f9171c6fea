/**
 * Where a cartpole training step spends its time: microseconds per network step for every leaf
 * module of the brain (each neuron's delays, synapses, soma and plasticity, the encoder and the
 * decoder), plus the events that drive the event engine's cost (delayed arrivals and post spikes
 * per pool). Same protocol and options as bench/cartpole.ts.
 *
 *   node --import tsx bench/cartpole_profile.ts [--episodes 3] [--seed S] [--compat spark|correct] [--checkpoint F]
 *
 * Each module's `step` is wrapped in a timer (about 0.1 µs per call), so the sum is a little above
 * the unwrapped step time; use bench/cartpole.ts for rates.
 */
import { DelayedSpikes } from '../src/components/delays/delayed_spikes.ts';
import { Controller } from '../src/controllers/controller.ts';
import type { Module } from '../src/core/module.ts';
import type { SpikeArray } from '../src/core/payload.ts';
import { machineLine } from '../src/cli/machine.ts';
import { setupCartpoleBench } from './cartpole_setup.ts';

const { episodes, protocol, brain } = setupCartpoleBench(3);

// Wrap every leaf module's step (the built plan calls `step` through the instance).
const time = new Map<string, number>();
function wrap(m: Module, path: string): void {
  if (m instanceof Controller) {
    for (const c of m.children()) wrap(c, path ? `${path}.${c.name}` : c.name);
    return;
  }
  const step = m.step.bind(m);
  time.set(path, 0);
  m.step = () => {
    const t0 = performance.now();
    step();
    time.set(path, time.get(path)! + performance.now() - t0);
  };
}
wrap(brain, '');

// Events per pool: spike groups and synapses reached by the delays, and post spikes.
interface Events { groups: number; arrivals: number; postSpikes: number }
const events = new Map<string, Events>();
for (const n of brain.children()) {
  if (!(n instanceof Controller)) continue;
  const delays = n.children().find((c) => c.name === 'delays');
  const soma = n.children().find((c) => c.name === 'soma');
  if (!delays || !soma) continue;
  const ev: Events = { groups: 0, arrivals: 0, postSpikes: 0 };
  events.set(n.name, ev);
  const step = soma.step.bind(soma);
  // Counted after the soma's step: the delays have run and this step's post spikes are known.
  soma.step = () => {
    step();
    const out = delays.out.out_spikes;
    if (out instanceof DelayedSpikes && out.grouped && out.layout) {
      const { active, groupStart } = out.layout;
      ev.groups += out.activeCount;
      for (let c = 0; c < out.activeCount; c++) ev.arrivals += groupStart[active[c] + 1] - groupStart[active[c]];
    } else ev.arrivals += (out as SpikeArray).count;
    ev.postSpikes += (soma.out.spikes as SpikeArray).count;
  };
}

console.log(`command: node --import tsx bench/cartpole_profile.ts ${process.argv.slice(2).join(' ')}`.trim());
console.log(`machine: ${machineLine()}`);
const t = performance.now();
const steps0 = protocol.networkSteps;
for (let e = 0; e < episodes; e++) protocol.runEpisode();
const wallMs = performance.now() - t;
const n = protocol.networkSteps - steps0;
console.log(`${n} network steps, ${((wallMs / n) * 1000).toFixed(1)} µs per step (${Math.round(n / (wallMs / 1000))} steps/s, with timers), EMA ${protocol.ema.toFixed(2)}`);
console.log('\nµs/step  share  module');
let sum = 0;
for (const v of time.values()) sum += v;
for (const [path, ms] of [...time].sort((a, b) => b[1] - a[1])) {
  console.log(`${((ms / n) * 1000).toFixed(2).padStart(7)}  ${((ms / sum) * 100).toFixed(1).padStart(4)} %  ${path}`);
}
console.log(`${((sum / n) * 1000).toFixed(2).padStart(7)}         all modules`);
console.log('\nper step: spike groups, delayed arrivals (synapses reached), post spikes');
for (const [name, ev] of events) {
  console.log(`  ${name.padEnd(14)} ${(ev.groups / n).toFixed(1).padStart(7)} ${(ev.arrivals / n).toFixed(0).padStart(7)} ${(ev.postSpikes / n).toFixed(2).padStart(7)}`);
}
