/**
 * Shared by the cartpole benchmarks: their options (--episodes, --seed, --compat, --checkpoint,
 * --engine) and a training protocol built from them, fresh from the shipped model or resumed from a
 * checkpoint. `--engine event_ts` runs the event engine's TypeScript loops instead of its
 * WebAssembly kernels; `--threads` runs about half of the brain on a second thread (splitBrain;
 * `--split A,B` names the modules), `--kernel-thread` the rule's steps on a worker. The results
 * are the same either way.
 */
import { parseArgs } from 'node:util';
import '../src/index.ts';
import { loadCartpoleBrain, resumeCartpoleTraining } from '../src/cli/cartpole.ts';
import type { Brain } from '../src/controllers/brain.ts';
import type { Compat, Engine } from '../src/core/module.ts';
import { CartPole } from '../src/envs/cartpole.ts';
import { CartpoleProtocol } from '../src/tasks/cartpole/protocol.ts';
import { startKernelThread } from '../src/wasm/kernel_thread.node.ts';
import { type BrainThreads, splitBrain } from '../src/controllers/brain_thread.node.ts';

export interface CartpoleBench {
  episodes: number;
  seed: number | undefined;
  compat: Compat;
  engine: Engine;
  brain: Brain;
  protocol: CartpoleProtocol;
  /** Set with --threads or --split. */
  threads?: BrainThreads;
}

/** Parses the options and builds the protocol (learning on; the brain is built by its first step). */
export function setupCartpoleBench(defaultEpisodes: number): CartpoleBench {
  const { values } = parseArgs({
    options: {
      episodes: { type: 'string', default: String(defaultEpisodes) },
      seed: { type: 'string' },
      compat: { type: 'string', default: 'spark' },
      checkpoint: { type: 'string' },
      engine: { type: 'string', default: 'event' },
      threads: { type: 'boolean', default: false },
      split: { type: 'string' },
      'kernel-thread': { type: 'boolean', default: false },
    },
  });
  const episodes = Number(values.episodes);
  if (!Number.isInteger(episodes) || episodes < 1) throw new Error(`--episodes must be a positive integer, got ${values.episodes}`);
  const compat = values.compat as Compat;
  if (compat !== 'spark' && compat !== 'correct') throw new Error(`--compat must be spark or correct, got ${values.compat}`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  const engine = values.engine as Engine;
  if (values['kernel-thread']) startKernelThread();
  if (engine !== 'event' && engine !== 'event_ts') throw new Error(`--engine must be event or event_ts, got ${values.engine}`);
  if (values.checkpoint && engine !== 'event') throw new Error('--engine applies to fresh runs only (a checkpoint loads with the default engine)');
  const split = (brain: Brain): BrainThreads | undefined => {
    if (values.split) return splitBrain(brain, values.split.split(','));
    return values.threads ? splitBrain(brain) : undefined;
  };
  if (values.checkpoint) {
    const r = resumeCartpoleTraining(values.checkpoint);
    return { episodes, seed, compat, engine, ...r, threads: split(r.brain) };
  }
  const brain = loadCartpoleBrain({ seed, compat, engine });
  const protocol = new CartpoleProtocol(brain, new CartPole(), { learning: true });
  protocol.start();
  return { episodes, seed, compat, engine, brain, protocol, threads: split(brain) };
}
