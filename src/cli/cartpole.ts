/**
 * `spark cartpole`: trains the shipped "A vs B" spiking brain (models/ab_brain.scfg, Spark's
 * cartpole tutorial) on CartPole-v1 with the tutorial's protocol, or evaluates a checkpoint with
 * learning off. Writes curve.csv (flushed every episode), the learning curve as SVG and PNG and a
 * checkpoint, then prints one summary line. Ctrl-C saves what was done and exits.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { SingleBar } from 'cli-progress';
import { type BrainThreads, splitBrain } from '../controllers/brain_thread.node.ts';
import type { Command } from 'commander';
import { Option } from 'commander';
import { FileFormatError, InputError } from '../core/errors.ts';
import type { Compat, Engine, Module } from '../core/module.ts';
import { REGISTRY } from '../core/registry.ts';
import { Brain } from '../controllers/brain.ts';
import { CartPole, type CartPoleState } from '../envs/cartpole.ts';
import { loadCheckpoint, saveCheckpoint } from '../io/checkpoint.node.ts';
import { instantiate, neuronNameFromFile, readModelFile, registerNeuronFromConfigFile } from '../io/model_file.node.ts';
import {
  CARTPOLE_INPUTS,
  CARTPOLE_PROTOCOL,
  CartpoleProtocol,
  type CartpoleProtocolState,
  type EpisodeRecord,
} from '../tasks/cartpole/protocol.ts';
import { CURVE_HEADER, curveRow, summarizeCurve, type CurvePoint } from '../tasks/cartpole/curve.ts';
import { learningCurveSvg } from '../tasks/cartpole/plot.ts';
import { machineInfo } from './machine.ts';

/** The model shipped with the package (a copy of Spark's tutorial files, unchanged). */
export const DEFAULT_MODEL = fileURLToPath(new URL('../../models/ab_brain.scfg', import.meta.url));
export const DEFAULT_NEURON = fileURLToPath(new URL('../../models/alif_mod_neuron.scfg', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Model files and checkpoints.

export interface CartpoleModelOptions {
  /** Brain file (default: the shipped ab_brain.scfg). */
  model?: string;
  /** Neuron files to register first, as `path` (type named after the file) or `Name=path`. */
  neurons?: string[];
  /** Reseed the whole brain from this seed (`Config.withNewSeeds`); default: the file's seeds. */
  seed?: number;
  compat?: Compat;
  /** Module engine (benchmarks compare 'event' with 'event_ts'); default 'event'. */
  engine?: Engine;
}

/** Checks that a brain has the cartpole model's ports. */
function checkCartpolePorts(module: Module, source: string): Brain {
  if (!(module instanceof Brain)) throw new FileFormatError(`${source} holds a ${module.config.type}, not a brain_config.`);
  const missing = CARTPOLE_INPUTS.filter((n) => !module.inputNames().includes(n));
  if (missing.length) {
    throw new InputError(`the cartpole model needs the inputs ${CARTPOLE_INPUTS.join(', ')}; ${source} has: ${module.inputNames().join(', ')}.`);
  }
  if (!module.outputNames().includes('action')) {
    throw new InputError(`the cartpole model needs an output 'action'; ${source} has: ${module.outputNames().join(', ')}.`);
  }
  return module;
}

/**
 * Loads the cartpole brain: registers the neuron files (and the shipped alif_mod_neuron unless a
 * type of that name is already registered), reads the brain file, optionally reseeds it.
 */
export function loadCartpoleBrain(o: CartpoleModelOptions = {}): Brain {
  const model = o.model ?? DEFAULT_MODEL;
  if (!existsSync(model)) throw new FileFormatError(`model file '${model}' not found (looked at ${resolve(model)}).`);
  for (const spec of o.neurons ?? []) {
    const eq = spec.indexOf('=');
    const [name, path] = eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [neuronNameFromFile(spec), spec];
    registerNeuronFromConfigFile(name, path);
  }
  if (!REGISTRY.has('alif_mod_neuron')) registerNeuronFromConfigFile('ALIFModNeuron', DEFAULT_NEURON);
  const doc = readModelFile(model);
  const reseeded = o.seed === undefined ? doc : { ...doc, config: doc.config.withNewSeeds(o.seed) };
  return checkCartpolePorts(instantiate(reseeded, basename(model), { compat: o.compat ?? 'spark', engine: o.engine }), `'${model}'`);
}

/** Protocol and environment state saved beside a brain checkpoint, so training can resume. */
interface ProtocolSidecar {
  protocol: CartpoleProtocolState;
  env: CartPoleState;
  /** Variant settings of the run that differ from the tutorial (absent: the tutorial's protocol). */
  variant?: CartpoleVariant;
}

/** Protocol settings a run may change from the tutorial's (see docs/cartpole.md, variants). */
export interface CartpoleVariant {
  modulationFloor?: number;
  rewardOobThreshold?: number;
}

/** The settings of `params` that differ from the tutorial's, or undefined if none do. */
export function variantOf(params: CartpoleVariant): CartpoleVariant | undefined {
  const v: CartpoleVariant = {};
  if (params.modulationFloor) v.modulationFloor = params.modulationFloor;
  if (params.rewardOobThreshold !== undefined && params.rewardOobThreshold !== CARTPOLE_PROTOCOL.rewardOobThreshold) v.rewardOobThreshold = params.rewardOobThreshold;
  return Object.keys(v).length ? v : undefined;
}

const sidecarPath = (checkpoint: string): string => checkpoint.replace(/(\.spark)?\.safetensors$/, '') + '.protocol.json';

/** Writes the brain checkpoint and, for a training run, the protocol/environment sidecar. */
export function saveCartpoleCheckpoint(brain: Brain, path: string, protocol?: CartpoleProtocol, env?: CartPole): void {
  saveCheckpoint(brain, path);
  if (protocol && env) {
    const variant = variantOf(protocol.params);
    const side: ProtocolSidecar = { protocol: protocol.getState(), env: env.getState(), ...(variant ? { variant } : {}) };
    writeFileSync(sidecarPath(path), `${JSON.stringify(side, null, 2)}\n`);
  }
}

/** Loads a brain checkpoint, plus its protocol sidecar when there is one. */
export function loadCartpoleCheckpoint(path: string): { brain: Brain; sidecar?: ProtocolSidecar } {
  if (!existsSync(path)) throw new FileFormatError(`checkpoint '${path}' not found (looked at ${resolve(path)}).`);
  if (!REGISTRY.has('alif_mod_neuron')) registerNeuronFromConfigFile('ALIFModNeuron', DEFAULT_NEURON);
  const brain = checkCartpolePorts(loadCheckpoint(path), `checkpoint '${path}'`);
  const side = sidecarPath(path);
  let sidecar: ProtocolSidecar | undefined;
  if (existsSync(side)) {
    try {
      sidecar = JSON.parse(readFileSync(side, 'utf8')) as ProtocolSidecar;
    } catch (e) {
      throw new FileFormatError(`${side}: not valid JSON (${(e as Error).message}); delete it to start the protocol afresh.`);
    }
  }
  return { brain, sidecar };
}

/**
 * Resumes training from a `spark cartpole` checkpoint: the brain, the environment and the protocol
 * (learning on) in the state the run saved, with the run's variant settings.
 */
export function resumeCartpoleTraining(path: string): { brain: Brain; env: CartPole; protocol: CartpoleProtocol } {
  const { brain, sidecar } = loadCartpoleCheckpoint(path);
  if (!sidecar) throw new InputError(`${path} has no protocol sidecar (${sidecarPath(path)}): give a checkpoint written by a training run.`);
  const env = new CartPole();
  const protocol = new CartpoleProtocol(brain, env, { learning: true, params: sidecar.variant });
  protocol.setState(sidecar.protocol);
  env.setState(sidecar.env);
  return { brain, env, protocol };
}

/** ", modulation floor 0.3" etc. for plot titles; empty for the tutorial's protocol. */
function variantLabel(variant: CartpoleVariant | undefined): string {
  if (!variant) return '';
  const parts = [];
  if (variant.modulationFloor !== undefined) parts.push(`modulation floor ${variant.modulationFloor}`);
  if (variant.rewardOobThreshold !== undefined) parts.push(`OOB threshold ${variant.rewardOobThreshold}`);
  return parts.map((p) => `, ${p}`).join('');
}

// ---------------------------------------------------------------------------------------------
// Outputs.

/** Learning curve → SVG and PNG files (PNG via resvg with the system fonts). */
export async function writeLearningCurve(points: CurvePoint[], svgPath: string, pngPath: string, title?: string): Promise<void> {
  const svg = await learningCurveSvg(points, { title, episodes: Math.max(points.length, 1) });
  writeFileSync(svgPath, svg);
  const png = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 } });
  writeFileSync(pngPath, png.render().asPng());
}

function timestamp(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

// ---------------------------------------------------------------------------------------------
// Command.

interface CartpoleCliOptions {
  episodes: string;
  seed?: string;
  model?: string;
  neuron?: string[];
  compat: Compat;
  out?: string;
  eval?: string;
  checkpoint?: string;
  modulationFloor?: string;
  oobThreshold?: string;
  progress: boolean;
  threads?: boolean;
}

function floatOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !(n >= min && n <= max)) throw new InputError(`--${name} must be a number in [${min}, ${max}], got '${value}'.`);
  return n;
}

function intOption(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`--${name} must be an integer in [${min}, ${max}], got '${value}'.`);
  return n;
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

interface PhaseResult {
  records: EpisodeRecord[];
  networkSteps: number;
  seconds: number;
  interrupted: boolean;
}

/**
 * Runs episodes, yielding to the event loop after every environment step so Ctrl-C is seen;
 * an episode cut short by Ctrl-C is not recorded.
 */
async function runPhase(
  protocol: CartpoleProtocol,
  episodes: number,
  label: string,
  csvPath: string,
  showProgress: boolean,
  stop: { requested: boolean },
): Promise<PhaseResult> {
  writeFileSync(csvPath, `${CURVE_HEADER}\n`);
  const bar = showProgress
    ? new SingleBar({
        format: `${label} {value}/{total} [{bar}] steps {steps} | EMA {ema} | {sps} net steps/s | {duration_formatted}`,
        barsize: 20,
        hideCursor: true,
        stopOnComplete: false,
      })
    : undefined;
  const records: EpisodeRecord[] = [];
  const start = performance.now();
  const steps0 = protocol.networkSteps;
  const sps = (): string => {
    const s = (performance.now() - start) / 1000;
    return s > 0 ? Math.round((protocol.networkSteps - steps0) / s).toString() : '-';
  };
  bar?.start(episodes, 0, { steps: '-', ema: '0.00', sps: '-' });
  let interrupted = false;
  for (let e = 0; e < episodes; e++) {
    protocol.beginEpisode();
    let done = false;
    let n = 0;
    while (!done) {
      done = protocol.envStep();
      await yieldToEventLoop();
      if (stop.requested) break;
      if (++n % 25 === 0) bar?.update(e, { steps: n, sps: sps() });
    }
    if (!done) {
      protocol.abortEpisode();
      interrupted = true;
      break;
    }
    const r = protocol.endEpisode();
    records.push(r);
    appendFileSync(csvPath, `${curveRow(r)}\n`);
    bar?.update(e + 1, { steps: r.steps, ema: r.ema.toFixed(2), sps: sps() });
    if (stop.requested) {
      interrupted = e + 1 < episodes;
      break;
    }
  }
  bar?.stop();
  return { records, networkSteps: protocol.networkSteps - steps0, seconds: (performance.now() - start) / 1000, interrupted };
}

/**
 * Seed of the default run. Our random streams differ from JAX's, so the file's stored seeds give
 * other weights than in Spark; seed 1 reaches EMA ≥ 475 by episode 58 (docs/cartpole.md has the
 * seed table), as Spark's tutorial ships a known good seed.
 */
export const DEFAULT_CARTPOLE_SEED = 1;

export function registerCartpoleCommand(program: Command): void {
  program
    .command('cartpole')
    .description("train Spark's A-vs-B spiking brain on CartPole-v1 with the tutorial's protocol (or evaluate a checkpoint)")
    .option('--episodes <n>', 'training episodes', String(CARTPOLE_PROTOCOL.episodes))
    .option('--seed <s>', `reseed the whole brain from this seed; 'file' keeps the model file's stored seeds (default: ${DEFAULT_CARTPOLE_SEED} for the shipped model, a seed known to learn; 'file' with --model)`)
    .option('--model <file>', 'brain file (.scfg); default: the shipped ab_brain.scfg')
    .option('--neuron <file...>', 'neuron files to register first, as file or Name=file (the shipped alif_mod_neuron is registered unless one of that name is)')
    .addOption(
      new Option('--compat <mode>', "quadruplet rule: 'spark' = EE parameters for every synapse and wrapped delays as in Spark; 'correct' = E/I-typed")
        .choices(['spark', 'correct'])
        .default('spark'),
    )
    .option('--out <dir>', 'output folder (default: runs/cartpole-<timestamp>)')
    .option('--eval <n>', 'after training (none unless --episodes is given), run n test episodes with learning off')
    .option('--checkpoint <file>', 'start from this checkpoint instead of the fresh model')
    .option('--modulation-floor <x>', 'variant, not the tutorial: lower bound in [0, 1] on the modulation scale √(1 − EMA/500), so late failures still teach (default 0 = the tutorial; resumed runs keep theirs)')
    .option('--oob-threshold <x>', "variant, not the tutorial: an out-of-bounds failure is steered by the cart position when |θ_norm| < x, else by the pole angle (default 0.05 = the tutorial, i.e. 0.6°; 1 = always by the cart position; resumed runs keep theirs)")
    .option('--no-progress', 'no progress bar')
    .option('--no-threads', 'run the whole brain on one thread (default: about half of it runs on a second thread when there are 2 cores; the results are the same)')
    .action(async (opts: CartpoleCliOptions, cmd: Command) => {
      const wallStart = performance.now();
      const evalEpisodes = intOption(opts.eval, 'eval', 1) ?? 0;
      const episodesGiven = cmd.getOptionValueSource('episodes') === 'cli';
      const episodes = evalEpisodes > 0 && !episodesGiven ? 0 : intOption(opts.episodes, 'episodes', 0)!;
      const seedText = opts.seed ?? (opts.model ? 'file' : String(DEFAULT_CARTPOLE_SEED));
      const seed = seedText === 'file' ? undefined : Number(seedText);
      if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff && seedText.trim() !== '')) {
        throw new InputError(`--seed must be an integer in [0, 4294967295] or 'file' (the model's stored seeds), got '${seedText}'.`);
      }
      const floorGiven = floatOption(opts.modulationFloor, 'modulation-floor', 0, 1);
      const oobGiven = floatOption(opts.oobThreshold, 'oob-threshold', 0, 1);
      let brain: Brain;
      let sidecar: ProtocolSidecar | undefined;
      if (opts.checkpoint) {
        ({ brain, sidecar } = loadCartpoleCheckpoint(opts.checkpoint));
        for (const o of ['model', 'neuron', 'seed', 'compat']) {
          if (cmd.getOptionValueSource(o) === 'cli') process.stderr.write(`note: --${o} is ignored with --checkpoint (the checkpoint holds the model).\n`);
        }
      } else {
        brain = loadCartpoleBrain({ model: opts.model, neurons: opts.neuron, seed, compat: opts.compat });
      }
      const oneCore = availableParallelism() < 2;
      const useThreads = opts.threads !== false && !oneCore;
      let threads: BrainThreads | undefined;
      // After the brain is built (by its first step or from the checkpoint).
      const startThreads = (): void => {
        if (useThreads && !threads && brain.built) threads = splitBrain(brain);
      };
      const modulationFloor = floorGiven ?? sidecar?.variant?.modulationFloor ?? 0;
      const rewardOobThreshold = oobGiven ?? sidecar?.variant?.rewardOobThreshold ?? CARTPOLE_PROTOCOL.rewardOobThreshold;
      const variantParams = { modulationFloor, rewardOobThreshold };

      const out = resolve(opts.out ?? `runs/cartpole-${timestamp()}`);
      mkdirSync(out, { recursive: true });
      const showProgress = opts.progress && process.stderr.isTTY === true;
      writeFileSync(
        `${out}/run.json`,
        `${JSON.stringify(
          {
            command: `spark ${process.argv.slice(2).join(' ')}`,
            model: resolve(opts.model ?? DEFAULT_MODEL),
            neurons: opts.neuron ?? [],
            seed: seed ?? null,
            compat: brain.compat,
            checkpoint: opts.checkpoint ? resolve(opts.checkpoint) : null,
            episodes,
            eval: evalEpisodes,
            protocol: { ...CARTPOLE_PROTOCOL, ...variantParams },
            machine: machineInfo(),
            threads: useThreads,
            started: new Date().toISOString(),
          },
          null,
          2,
        )}\n`,
      );

      const stop = { requested: false };
      const onSigint = (): void => {
        if (stop.requested) process.exit(130); // second Ctrl-C: leave now
        stop.requested = true;
        process.stderr.write('\ninterrupted: saving what was done (Ctrl-C again to quit at once)\n');
      };
      process.on('SIGINT', onSigint);
      try {
        let last: PhaseResult | undefined;
        let emaForSummary = 0;
        if (episodes > 0) {
          const env = new CartPole();
          const protocol = new CartpoleProtocol(brain, env, { learning: true, params: variantParams });
          if (sidecar) {
            protocol.setState(sidecar.protocol);
            env.setState(sidecar.env);
          }
          protocol.start();
          startThreads();
          last = await runPhase(protocol, episodes, 'episode', `${out}/curve.csv`, showProgress, stop);
          emaForSummary = protocol.ema;
          const title = `CartPole-v1, ${basename(opts.model ?? DEFAULT_MODEL)} (compat ${brain.compat})${seed !== undefined ? `, seed ${seed}` : ''}${variantLabel(variantOf(variantParams))}`;
          await writeLearningCurve(last.records, `${out}/learning_curve.svg`, `${out}/learning_curve.png`, title);
          saveCartpoleCheckpoint(brain, `${out}/checkpoint.spark.safetensors`, protocol, env);
          if (last.interrupted) process.stderr.write(`saved ${last.records.length} of ${episodes} episodes to ${out}\n`);
        }
        if (evalEpisodes > 0 && !stop.requested) {
          const protocol = new CartpoleProtocol(brain, new CartPole(), { learning: false });
          protocol.start();
          startThreads();
          last = await runPhase(protocol, evalEpisodes, 'eval', `${out}/eval.csv`, showProgress, stop);
          emaForSummary = protocol.ema;
          const s = summarizeCurve(last.records);
          const mean = last.records.reduce((a, r) => a + r.steps, 0) / Math.max(1, last.records.length);
          process.stderr.write(
            `eval: ${s.episodes} episodes, mean steps ${mean.toFixed(1)}, truncated ${s.truncated}, pole fell ${s.poleFell}, out of bounds ${s.outOfBounds}\n`,
          );
        }
        const n = last?.records.length ?? 0;
        const sps = last && last.seconds > 0 ? last.networkSteps / last.seconds : 0;
        process.stdout.write(
          `episodes=${n} final_ema=${emaForSummary.toFixed(2)} steps_per_s=${Math.round(sps)} wall_s=${((performance.now() - wallStart) / 1000).toFixed(1)}\n`,
        );
        if (stop.requested) process.exitCode = 130;
      } finally {
        // The checkpoint already holds the worker's modules (saving syncs them).
        threads?.close();
        process.off('SIGINT', onSigint);
      }
    });
}
