/**
 * `spark run <model>`: runs a brain for N steps with constant inputs and writes
 *   outputs.csv                 step, then one column per brain output value;
 *   <record>.spikes.csv         step,index for every spike of a recorded spike port;
 *   <record>.csv                step, then the values, for other recorded ports.
 * The model may be a checkpoint (`.safetensors`), which continues where it stopped;
 * `--save-checkpoint` writes one at the end.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../core/errors.ts';
import { type Payload, SpikeArray } from '../core/payload.ts';
import { Brain } from '../controllers/brain.ts';
import { saveCheckpoint } from '../io/checkpoint.node.ts';
import { writeCsv } from '../io/csv.node.ts';
import { collect, loadForCli, parseShapes } from './inspect.ts';

export interface RunOptions {
  steps: string | number;
  input?: string[];
  record?: string[];
  out?: string;
  neuron?: string[];
  saveCheckpoint?: string;
  compat?: 'spark' | 'correct';
}

export interface RunResult {
  steps: number;
  files: string[];
  spikeCounts: Record<string, number>;
}

function parseInputs(list: string[]): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const values = item.slice(eq + 1).split(',').map((s) => Number(s.trim()));
    if (eq <= 0 || values.some((v) => !Number.isFinite(v))) {
      throw new InputError(`--input '${item}': write name=v1,v2,... with finite numbers, e.g. signal=0.1,0,-0.2,0.5.`);
    }
    out[item.slice(0, eq)] = Float32Array.from(values);
  }
  return out;
}

export async function runCommand(model: string, opts: RunOptions): Promise<RunResult> {
  const steps = Number(opts.steps);
  if (!Number.isInteger(steps) || steps < 0) throw new InputError(`--steps must be a non-negative integer, got '${opts.steps}'.`);
  const inputs = parseInputs(opts.input ?? []);
  const shapes = parseShapes(Object.entries(inputs).map(([k, v]) => `${k}=${v.length}`));
  const loaded = loadForCli(model, opts.neuron, shapes, opts.compat);
  const brain = loaded.module;
  if (!(brain instanceof Brain)) throw new InputError(`${loaded.file}: 'spark run' runs brains; this file holds a ${brain.config.type}.`);
  const missing = brain.inputNames().filter((n) => !inputs[n]);
  if (missing.length) {
    throw new InputError(`${loaded.file}: give every input with --input: missing ${missing.join(', ')} (inputs: ${brain.inputNames().join(', ')}).`);
  }
  if (!brain.built) brain.buildFromShapes(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.length])));
  const records: Array<{ name: string; payload: Payload; rows: number[][] }> = (opts.record ?? []).map((name) => ({
    name,
    payload: brain.probe(name),
    rows: [],
  }));
  const outNames = brain.outputNames();
  const outRows: number[][] = [];
  const t0 = brain.t;
  const spikeCounts: Record<string, number> = {};
  for (let s = 0; s < steps; s++) {
    const out = brain.run(inputs);
    const step = t0 + s;
    const row = [step];
    for (const name of outNames) row.push(...Array.from(out[name].toFloat32()));
    outRows.push(row);
    for (const r of records) {
      if (r.payload instanceof SpikeArray) {
        for (let k = 0; k < r.payload.count; k++) r.rows.push([step, r.payload.indices[k]]);
      } else r.rows.push([step, ...Array.from(r.payload.toFloat32())]);
    }
  }
  const dir = opts.out ?? '.';
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const outCols = ['step'];
  for (const name of outNames) {
    const n = brain.out[name].size;
    for (let i = 0; i < n; i++) outCols.push(n === 1 ? name : `${name}[${i}]`);
  }
  files.push(join(dir, 'outputs.csv'));
  await writeCsv(files[files.length - 1], outCols, outRows);
  for (const r of records) {
    const safe = r.name.replace(/[^\w.-]/g, '_');
    if (r.payload instanceof SpikeArray) {
      files.push(join(dir, `${safe}.spikes.csv`));
      await writeCsv(files[files.length - 1], ['step', 'index'], r.rows);
      spikeCounts[r.name] = r.rows.length;
    } else {
      files.push(join(dir, `${safe}.csv`));
      const n = r.payload.size;
      await writeCsv(files[files.length - 1], ['step', ...Array.from({ length: n }, (_, i) => `${r.name}[${i}]`)], r.rows);
    }
  }
  if (opts.saveCheckpoint) {
    saveCheckpoint(brain, opts.saveCheckpoint);
    files.push(opts.saveCheckpoint);
  }
  return { steps, files, spikeCounts };
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a brain (.scfg, .json or a .safetensors checkpoint) with constant inputs; write outputs and recorded spike rasters as CSV')
    .argument('<model>', 'model file or checkpoint')
    .requiredOption('--steps <n>', 'number of steps')
    .option('--input <name=v1,v2,...>', 'value of a brain input, held for every step (repeatable)', collect, [])
    .option('--record <module.port>', 'record a port or property, e.g. A_excitatory.out_spikes (repeatable)', collect, [])
    .option('--out <dir>', 'output folder', '.')
    .option('--neuron <file>', 'neuron type file the model needs (repeatable)', collect, [])
    .option('--save-checkpoint <file>', 'write a checkpoint (.spark.safetensors) after the last step')
    .option('--compat <mode>', "'spark' to reproduce Spark's quirks")
    .addHelpText(
      'after',
      '\nExample:\n  spark run ab_brain.scfg --neuron alif_mod_neuron.scfg --steps 1000 --input signal=0.1,0,-0.2,0.5 \\\n' +
        '    --input mod_a_ex=0 --input mod_a_in=0 --input mod_b_ex=0 --input mod_b_in=0 --record A_excitatory.out_spikes --out run1\n',
    )
    .action(async (model: string, opts: RunOptions) => {
      const r = await runCommand(model, opts);
      process.stdout.write(`ran ${r.steps} steps; wrote ${r.files.join(', ')}\n`);
    });
}
