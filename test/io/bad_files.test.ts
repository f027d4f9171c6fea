/** Each kind of bad file gives one paragraph naming the file, the JSON path and the fix — never a stack trace. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/builtins.ts';
import { ConfigError, FileFormatError, PortError, SparkError } from '../../src/core/errors.ts';
import { loadModel, readModelFile, registerNeuronFromConfigFile } from '../../src/io/model_file.node.ts';
import { ALIF_MOD, ALIF_MOD_JSON, AB_BRAIN, AB_BRAIN_JSON, CARTPOLE_SHAPES } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'spark-bad-'));
const brainJson = () => JSON.parse(readFileSync(AB_BRAIN_JSON, 'utf8'));
registerNeuronFromConfigFile('alif_mod_neuron', ALIF_MOD);

function write(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

/** Asserts one paragraph (no blank line, no stack frames) that names the file and matches every pattern. */
function check(e: unknown, cls: new (...a: never[]) => SparkError, file: string, ...patterns: RegExp[]): true {
  assert.ok(e instanceof cls, `expected ${cls.name}, got ${(e as Error).constructor.name}: ${(e as Error).message}`);
  const msg = (e as Error).message;
  assert.ok(msg.includes(file), `names the file: ${msg}`);
  assert.ok(!/\n\s*\n/.test(msg) && !/\n\s+at /.test(msg), `one paragraph: ${msg}`);
  for (const p of patterns) assert.match(msg, p);
  return true;
}

test('truncated xz', () => {
  const p = write('cut.scfg', readFileSync(AB_BRAIN).subarray(0, 2000));
  assert.throws(() => readModelFile(p), (e) => check(e, FileFormatError, 'cut.scfg', /truncated or damaged/, /re-export/));
});

test('invalid JSON names line and column', () => {
  const text = readFileSync(ALIF_MOD_JSON, 'utf8').replace('"dt": 1.0,', '"dt": 1.0,,');
  const p = write('syntax.json', text);
  assert.throws(() => readModelFile(p), (e) => check(e, FileFormatError, 'syntax.json', /invalid JSON at line \d+, column \d+/, /fix the JSON syntax/));
});

test('unknown __type__ lists close matches', () => {
  const j = brainJson();
  j.__cfg__.modules_specs[0].__data__.config.modules_specs[3].__data__.config.kernel.__type__ = 'sparse_uniform_initialiser_config';
  const p = write('type.json', JSON.stringify(j));
  assert.throws(() => readModelFile(p), (e) =>
    check(e, FileFormatError, 'type.json', /\$\.__cfg__\.modules_specs\[0\]\.__data__\.config\.modules_specs\[3\]\.__data__\.config\.kernel\.__type__/, /sparse_uniform_initializer_config/),
  );
});

test('unknown module name lists close matches; a custom neuron name gets the --neuron hint', () => {
  const j = brainJson();
  j.__cfg__.modules_specs[5].__data__.module_cls.__module_type__ = 'exponential_integrater';
  const p = write('module.json', JSON.stringify(j));
  assert.throws(() => readModelFile(p), (e) => check(e, SparkError, 'module.json', /modules_specs\[5\]/, /exponential_integrator/));
  const k = brainJson();
  k.__cfg__.modules_specs[0].__data__.module_cls.__module_type__ = 'my_custom_neuron';
  const q = write('custom.json', JSON.stringify(k));
  assert.throws(() => readModelFile(q), (e) => check(e, SparkError, 'custom.json', /my_custom_neuron/, /--neuron/));
});

test('unknown field gets a did-you-mean', () => {
  const j = brainJson();
  const cfg = j.__cfg__.modules_specs[5].__data__.config;
  cfg.saturation_frq = cfg.saturation_freq;
  const p = write('field.json', JSON.stringify(j));
  assert.throws(() => readModelFile(p), (e) => check(e, FileFormatError, 'field.json', /modules_specs\[5\]\.__data__\.config\.saturation_frq/, /saturation_freq/));
});

test('wrong field type', () => {
  const j = brainJson();
  j.__cfg__.modules_specs[5].__data__.config.num_outputs = 'two';
  const p = write('ftype.json', JSON.stringify(j));
  assert.throws(() => readModelFile(p), (e) => check(e, ConfigError, 'ftype.json', /\$\.__cfg__\.modules_specs\[5\]\.__data__\.config\.num_outputs/, /integer/));
  const k = brainJson();
  k.__cfg__.modules_specs[0].__data__.config.modules_specs[2].__data__.config.potential_tau = -3;
  const q = write('range.json', JSON.stringify(k));
  assert.throws(() => readModelFile(q), (e) => check(e, ConfigError, 'range.json', /modules_specs\[0\]\.__data__\.config\.modules_specs\[2\]\.__data__\.config\.potential_tau/, /> 0/));
});

test('port map to a missing module or port', () => {
  const j = brainJson();
  j.__cfg__.modules_specs[5].__data__.inputs.spikes[0].__data__.origin = 'A_excitatroy';
  const p = write('origin.json', JSON.stringify(j));
  assert.throws(() => loadModel(p), (e) => check(e, PortError, 'origin.json', /\$\.__cfg__\.modules_specs\[5\]\.__data__\.inputs\.spikes/, /A_excitatory/));
  const k = brainJson();
  k.__cfg__.modules_specs[5].__data__.inputs.spikes[0].__data__.port = 'out_spike';
  const q = write('port.json', JSON.stringify(k));
  assert.throws(() => loadModel(q), (e) => check(e, PortError, 'port.json', /modules_specs\[5\]/, /out_spikes/));
});

test('shape conflict at build', () => {
  const j = brainJson();
  // A per-unit array of the wrong length for a pool of 256.
  j.__cfg__.modules_specs[0].__data__.config.modules_specs[2].__data__.config.potential_tau = [10, 10, 10];
  const p = write('shape.json', JSON.stringify(j));
  assert.throws(() => loadModel(p, { inputShapes: CARTPOLE_SHAPES }), (e) =>
    check(e, ConfigError, 'shape.json', /modules_specs\[0\]\.__data__\.config\.modules_specs\[2\]\.__data__\.config\.potential_tau/, /3 values but 256/),
  );
});

test('not a model file at all', () => {
  const p = write('list.json', '[1, 2, 3]');
  assert.throws(() => readModelFile(p), (e) => check(e, FileFormatError, 'list.json', /\$/, /not a Spark model file/));
  const q = write('bin.scfg', Uint8Array.of(0xff, 0xfe, 0x00, 0x80));
  assert.throws(() => readModelFile(q), (e) => check(e, FileFormatError, 'bin.scfg'));
});
