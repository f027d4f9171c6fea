/** Shared by the cartpole brain tests: the shipped brain, built, and inputs of the protocol's kind. */
import '../../src/builtins.ts';
import { Brain } from '../../src/controllers/brain.ts';
import type { Compat, Engine } from '../../src/core/module.ts';
import { Rng } from '../../src/core/rng.ts';
import { readModelFile } from '../../src/io/model_file.node.ts';
import { AB_BRAIN, ALIF_MOD, CARTPOLE_SHAPES } from '../io/fixtures.ts';

/** The shipped cartpole brain (Spark's ab_brain.scfg), built, under `engine` and `compat`. */
export function cartpoleBrain(engine: Engine = 'event', compat: Compat = 'spark'): Brain {
  const doc = readModelFile(AB_BRAIN, { neurons: [ALIF_MOD] });
  const brain = new Brain(doc.config, { compat, engine });
  brain.buildFromShapes(CARTPOLE_SHAPES);
  return brain;
}

/**
 * The tutorial's kind of inputs: 50-step windows holding an observation in [−1, 1] with passive
 * modulation (−1e−4 on the excitatory pools, ×0.25 on the inhibitory ones), and every fourth
 * window a steering rollout: modulation −25 on one side and +2.5 on the other, decaying ×e^{−2} per step.
 */
export function protocolInputs(steps: number, seed: number): Array<Record<string, number[]>> {
  const rng = new Rng(seed);
  const out: Array<Record<string, number[]>> = [];
  let obs = [0, 0, 0, 0];
  let a = 0;
  let b = 0;
  for (let t = 0; t < steps; t++) {
    const w = Math.floor(t / 50);
    if (t % 50 === 0) {
      obs = obs.map((x) => Math.max(-1, Math.min(1, x + (rng.uniform() - 0.5) * 0.6)));
      const steer = w % 4 === 3;
      const toB = rng.uniform() < 0.5;
      a = steer ? (toB ? 2.5 : -25) : -1e-4;
      b = steer ? (toB ? -25 : 2.5) : -1e-4;
    } else if (w % 4 === 3) {
      a *= Math.exp(-2);
      b *= Math.exp(-2);
    }
    out.push({ signal: [...obs], mod_a_ex: [a], mod_a_in: [a * 0.25], mod_b_ex: [b], mod_b_in: [b * 0.25] });
  }
  return out;
}
