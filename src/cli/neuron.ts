/**
 * `spark neuron <soma_type>`: drives one soma with a current trace from a CSV file and writes its
 * voltage trace and spike times, through the same runner as the Brian2 fidelity tests
 * (src/analysis/single_neuron.ts).
 *
 * The current column is converted to pA, the unit every soma expects (R in GΩ, so R·I is in mV):
 * `--current-unit nA` (the default) multiplies it by 1000.
 */
import type { Command } from 'commander';
import { runSingleNeuron, stepTime } from '../analysis/single_neuron.ts';
import { ConfigError, didYouMean, FileFormatError, InputError } from '../core/errors.ts';
import { REGISTRY } from '../core/registry.ts';
import { readNumericCsv, writeCsv } from '../io/csv.node.ts';

export interface NeuronCommandOptions {
  /** `key=value` config overrides (Spark field names). */
  set?: string[];
  /** CSV file (plain or .gz) with the current column. */
  current: string;
  column?: string;
  currentUnit?: string;
  /** Time step (ms); default: the spacing of a `t_ms` column, else 1. */
  dt?: string | number;
  /** Voltage trace output: t_ms, I_pA, v_mV. */
  out?: string;
  /** Spike output: step, t_ms. */
  spikes?: string;
  compat?: string;
}

export interface NeuronCommandResult {
  steps: number;
  dt: number;
  spikeCount: number;
}

const UNIT_TO_PA: Record<string, number> = { pA: 1, nA: 1000 };

/** Parses `key=value`: numbers, JSON (arrays, objects, booleans) or a bare string. */
export function parseSetting(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new InputError(`--set '${text}': expected key=value, e.g. --set potential_tau=10.`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  if (raw === '') throw new InputError(`--set ${key}: the value is empty.`);
  const num = Number(raw);
  if (Number.isFinite(num)) return [key, num];
  try {
    return [key, JSON.parse(raw) as unknown];
  } catch {
    return [key, raw];
  }
}

/** Runs the command; returns a summary (the CLI prints it). */
export async function runNeuronCommand(somaType: string, opts: NeuronCommandOptions): Promise<NeuronCommandResult> {
  const cls = REGISTRY.getModule(somaType);
  const unit = opts.currentUnit ?? 'nA';
  if (!(unit in UNIT_TO_PA)) {
    throw new InputError(`--current-unit must be nA or pA, got '${unit}'.${didYouMean(unit, Object.keys(UNIT_TO_PA))}`);
  }
  const compat = opts.compat ?? 'correct';
  if (compat !== 'spark' && compat !== 'correct') throw new InputError(`--compat must be spark or correct, got '${compat}'.`);

  const config: Record<string, unknown> = {};
  for (const s of opts.set ?? []) {
    const [key, value] = parseSetting(s);
    if (key === 'dt') throw new InputError('set the time step with --dt, not --set dt=….');
    if (!(key in cls.schema.fields)) {
      const names = Object.keys(cls.schema.fields).filter((k) => k !== 'dt');
      const hint = didYouMean(key, names);
      throw new ConfigError([{ path: `${somaType}.${key}`, message: `unknown key.${hint || ` Valid keys: ${names.join(', ')}.`}` }]);
    }
    config[key] = value;
  }

  let csv;
  try {
    csv = await readNumericCsv(opts.current);
  } catch (e) {
    throw new FileFormatError((e as Error).message.replace(/^readNumericCsv: /, ''));
  }
  const column = opts.column ?? 'I_nA';
  const values = csv.data[column];
  if (!values) {
    throw new InputError(
      `${opts.current} has no column '${column}'.${didYouMean(column, csv.columns)} Columns: ${csv.columns.join(', ')}. Choose one with --column.`,
    );
  }
  if (values.length === 0) throw new InputError(`${opts.current} has no data rows.`);

  let dt: number;
  if (opts.dt !== undefined) {
    dt = Number(opts.dt);
    if (!(dt > 0) || !Number.isFinite(dt)) throw new InputError(`--dt must be a positive number of ms, got '${opts.dt}'.`);
  } else if (csv.data.t_ms && csv.data.t_ms.length > 1) {
    dt = csv.data.t_ms[1] - csv.data.t_ms[0];
    if (!(dt > 0)) throw new InputError(`cannot infer dt from the t_ms column of ${opts.current}; pass --dt.`);
  } else {
    dt = 1;
  }

  const scale = UNIT_TO_PA[unit];
  const current = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) current[k] = scale * values[k];
  const run = runSingleNeuron({ soma: somaType, config, current, dt, compat });

  if (opts.out) {
    const t = Float64Array.from(current, (_, k) => stepTime(k, dt));
    await writeCsv(opts.out, ['t_ms', 'I_pA', 'v_mV'], { t_ms: t, I_pA: current, v_mV: run.potential });
  }
  if (opts.spikes) {
    await writeCsv(opts.spikes, ['step', 't_ms'], { step: run.spikeSteps, t_ms: run.spikeTimes });
  }
  return { steps: current.length, dt, spikeCount: run.spikeSteps.length };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerNeuronCommand(program: Command): void {
  program
    .command('neuron')
    .description('drive one soma with a current trace from a CSV file; write its voltage trace and spike times')
    .argument('<soma_type>', 'registry name of a soma, e.g. adaptive_exponential_soma (see `spark modules`)')
    .option('--set <key=value>', 'config override, repeatable (e.g. --set potential_tau=8 --set method=rk2)', collect, [])
    .requiredOption('--current <file>', 'CSV file (plain or .gz) with a header row and one row per step')
    .option('--column <name>', 'column holding the current', 'I_nA')
    .option('--current-unit <unit>', 'unit of that column, nA or pA; it is converted to pA for the soma', 'nA')
    .option('--dt <ms>', 'time step in ms (default: the spacing of a t_ms column, else 1)')
    .option('--out <file>', 'voltage trace CSV: t_ms, I_pA, v_mV (absolute, recorded at the start of each step)')
    .option('--spikes <file>', 'spike CSV: step, t_ms (t = step·dt, the start of the step in which v crossed)')
    .option('--compat <mode>', "'correct' (default) or 'spark' to reproduce Spark's quirks", 'correct')
    .action(async (somaType: string, opts: NeuronCommandOptions) => {
      const r = await runNeuronCommand(somaType, opts);
      process.stdout.write(`${somaType}: ${r.steps} steps of ${r.dt} ms, ${r.spikeCount} spikes\n`);
    });
}
