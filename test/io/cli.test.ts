/** The model-file commands of the `spark` CLI: inspect, convert, run (and --help on each). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/builtins.ts';
import { Config } from '../../src/core/config/config.ts';
import { configToScfgText, isXz } from '../../src/io/scfg.ts';
import { Command } from 'commander';
import { convertCommand, registerConvertCommand } from '../../src/cli/convert.ts';
import { inspectCommand, registerInspectCommand } from '../../src/cli/inspect.ts';
import { registerRunCommand, runCommand } from '../../src/cli/run.ts';
import { SparkError } from '../../src/core/errors.ts';
import { AB_BRAIN, AB_BRAIN_JSON, ALIF_MOD, smallBrainConfig } from './fixtures.ts';

const BIN = new URL('../../bin/spark.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'spark-cli-'));
const spark = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('--help works on inspect, convert and run', () => {
  const program = new Command().name('spark');
  registerInspectCommand(program);
  registerConvertCommand(program);
  registerRunCommand(program);
  for (const cmd of ['inspect', 'convert', 'run']) {
    const help = program.commands.find((c) => c.name() === cmd)!.helpInformation();
    assert.match(help, new RegExp(`Usage: spark ${cmd}`));
    assert.match(help, /--neuron <file>/);
  }
  const r = spark('run', '--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--record <module\.port>/);
});

test('inspect prints the cartpole tree with shapes; without --neuron it explains, without a stack trace', () => {
  const bad = spark('inspect', AB_BRAIN);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^error: ab_brain\.scfg: .*alif_mod_neuron.*--neuron/s);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
  const r = { stdout: inspectCommand(AB_BRAIN, { neuron: [ALIF_MOD], inputShape: ['signal=4'] }) };
  assert.match(r.stdout, /spiker: topological_linear_spiker/);
  assert.match(r.stdout, /out spikes: spike_array \(4, 128\)/);
  assert.match(r.stdout, /in {2}in_spikes ← spiker\.spikes \+ A_excitatory\.out_spikes \+ B_inhibitory\.out_spikes: spike_array \(832,\)/);
  assert.match(r.stdout, /prop kernel: float_array \(64, 768\) \(writable\) ← plasticity\.kernel/);
  assert.match(r.stdout, /out action: float_array \(2,\)/);
  assert.match(r.stdout, /threshold_delta=50 mV/);
});

test('convert .scfg → .json → .scfg keeps the data; .nir is refused clearly', async () => {
  const json = join(tmp, 'ab.json');
  const scfg = join(tmp, 'ab.scfg');
  await convertCommand(AB_BRAIN, json, { neuron: [ALIF_MOD] });
  assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), JSON.parse(readFileSync(AB_BRAIN_JSON, 'utf8')));
  await convertCommand(json, scfg, { neuron: [ALIF_MOD] });
  assert.ok(isXz(readFileSync(scfg)));
  await assert.rejects(() => convertCommand(AB_BRAIN, join(tmp, 'x.nir'), { neuron: [ALIF_MOD] }), (e: Error) => e instanceof SparkError && /x\.nir: NIR files are not supported yet/.test(e.message));
});

test('run writes the spike raster and outputs; a saved checkpoint continues the run', async () => {
  const model = join(tmp, 'small.json');
  writeFileSync(model, configToScfgText(new Config('brain_config', smallBrainConfig())));
  const rate = `rate=${Array(20).fill(0.8).join(',')}`;
  const out = join(tmp, 'run');
  await runCommand(model, { steps: 60, input: [rate], record: ['pool.out_spikes', 'readout.signal'], out, saveCheckpoint: join(tmp, 'c.spark.safetensors') });
  const raster = readFileSync(join(out, 'pool.out_spikes.spikes.csv'), 'utf8').trim().split('\n');
  assert.equal(raster[0], 'step,index');
  assert.ok(raster.length > 5, 'the pool spiked');
  for (const line of raster.slice(1)) {
    const [s, i] = line.split(',').map(Number);
    assert.ok(s >= 0 && s < 60 && i >= 0 && i < 40, line);
  }
  const outputs = readFileSync(join(out, 'outputs.csv'), 'utf8').trim().split('\n');
  assert.equal(outputs[0], 'step,out[0],out[1]');
  assert.equal(outputs.length, 61);
  assert.equal(readFileSync(join(out, 'readout.signal.csv'), 'utf8').split('\n')[0], 'step,readout.signal[0],readout.signal[1]');
  // Continuing from the checkpoint gives the same steps 60..99 as one 100-step run.
  const full = join(tmp, 'full');
  await runCommand(model, { steps: 100, input: [rate], record: ['pool.out_spikes'], out: full });
  const cont = join(tmp, 'cont');
  await runCommand(join(tmp, 'c.spark.safetensors'), { steps: 40, input: [rate], record: ['pool.out_spikes'], out: cont });
  const tail = readFileSync(join(full, 'pool.out_spikes.spikes.csv'), 'utf8').trim().split('\n').filter((l) => Number(l.split(',')[0]) >= 60);
  assert.deepEqual(readFileSync(join(cont, 'pool.out_spikes.spikes.csv'), 'utf8').trim().split('\n').slice(1), tail);
  await assert.rejects(runCommand(model, { steps: 5 }), /missing rate/);
});
