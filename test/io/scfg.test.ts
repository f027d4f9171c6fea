import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/builtins.ts';
import { Config } from '../../src/core/config/config.ts';
import { TensorValue } from '../../src/core/config/tensor.ts';
import { RegistryError } from '../../src/core/errors.ts';
import { REGISTRY } from '../../src/core/registry.ts';
import { decodeScfg, encodeDocument, isXz, configToScfgText } from '../../src/io/scfg.ts';
import { neuronNameFromFile, readModelFile, registerNeuronFromConfigFile, writeModelFile } from '../../src/io/model_file.node.ts';
import { registerNeuronFromConfig } from '../../src/neurons/register_neuron.ts';
import { AB_BRAIN, AB_BRAIN_JSON, ALIF_MOD, ALIF_MOD_JSON } from './fixtures.ts';

const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const asData = (x: unknown) => JSON.parse(JSON.stringify(x));
const tmp = mkdtempSync(join(tmpdir(), 'spark-scfg-'));

test('ab_brain.scfg without its neuron type fails naming alif_mod_neuron and suggesting --neuron', () => {
  assert.throws(
    () => readModelFile(AB_BRAIN),
    (e: Error) =>
      e instanceof RegistryError &&
      e.message.startsWith('ab_brain.scfg: at $.__cfg__.modules_specs[0].__data__.module_cls.__module_type__') &&
      /alif_mod_neuron/.test(e.message) &&
      /--neuron/.test(e.message) &&
      !/\n\s+at /.test(e.message),
  );
});

test('alif_mod_neuron.scfg (xz) decodes and writes back equal as data', () => {
  const bytes = readFileSync(ALIF_MOD);
  assert.ok(isXz(bytes));
  const doc = readModelFile(ALIF_MOD);
  assert.equal(doc.config.type, 'neuron_config');
  assert.deepEqual(asData(encodeDocument(doc)), json(ALIF_MOD_JSON));
  const specs = doc.config.specs();
  assert.deepEqual(specs.map((s) => s.moduleType), ['n2n_delays', 'quadruplet_rule_tensor', 'adaptive_leaky_soma', 'traced_synapses']);
  // dtype objects become names; float16 stays float16.
  assert.equal(specs[0].config.values.dtype, 'float16');
  // __class_ref__ and editor metadata are kept.
  const kernel = specs[3].config.values.kernel as Config;
  assert.equal(kernel.extras.__class_ref__, 'SparseUniformInitializer');
  assert.deepEqual(specs[0].config.extras.__graph_editor_metadata__, json(ALIF_MOD_JSON).__cfg__.modules_specs[0].__data__.config.__graph_editor_metadata__);
  assert.deepEqual(specs[1].inputs.kernel, [{ origin: 'synapses', port: 'kernel', isProperty: true }]);
});

test('registerNeuronFromConfigFile registers under the normalised name; ab_brain then round-trips', () => {
  const cls = registerNeuronFromConfigFile('ALIFModNeuron', ALIF_MOD);
  assert.equal(cls.type, 'alif_mod_neuron');
  assert.equal(REGISTRY.neurons.get('alif_mod_neuron'), cls);
  // Registering the same file again is harmless; a different config under the name is refused.
  registerNeuronFromConfigFile('alif_mod_neuron', ALIF_MOD);
  assert.throws(() => registerNeuronFromConfig('ALIFModNeuron', { units: [3], modules_specs: [] }), RegistryError);
  const doc = readModelFile(AB_BRAIN);
  assert.deepEqual(asData(encodeDocument(doc)), json(AB_BRAIN_JSON));
  // The same from the plain JSON copy.
  assert.deepEqual(asData(encodeDocument(readModelFile(AB_BRAIN_JSON))), json(AB_BRAIN_JSON));
  // Editor node positions survive.
  const pos = (doc.config.extras.__graph_editor_metadata__ as Record<string, { pos: number[] }>).signal.pos;
  assert.deepEqual(pos, [-473.7570641483176, 313.5901234833601]);
  // jax_array scalars are TensorValues.
  const spiker = doc.config.specs().find((s) => s.name === 'spiker')!;
  assert.ok(spiker.config.values.mins instanceof TensorValue);
  assert.deepEqual((spiker.config.values.mins as TensorValue).flat(), [-1]);
  assert.equal(neuronNameFromFile('/x/ALIFModNeuron.scfg'), 'alif_mod_neuron');
});

test('write .scfg (xz, default) and .json (plain): both read back equal; Python-style floats', async () => {
  registerNeuronFromConfigFile('alif_mod_neuron', ALIF_MOD);
  const doc = readModelFile(AB_BRAIN);
  const scfg = join(tmp, 'out.scfg');
  const plain = join(tmp, 'out.json');
  await writeModelFile(doc, scfg);
  await writeModelFile(doc, plain);
  assert.ok(isXz(readFileSync(scfg)));
  const text = readFileSync(plain, 'utf8');
  assert.ok(text.startsWith('{\n    "__type__": "brain_config",'));
  assert.match(text, /"dt": 1\.0,/);
  assert.match(text, /"name": "float16"/);
  for (const p of [scfg, plain]) assert.deepEqual(asData(encodeDocument(readModelFile(p))), json(AB_BRAIN_JSON));
  await writeModelFile(doc, join(tmp, 'plain.scfg'), { compress: false });
  assert.ok(!isXz(readFileSync(join(tmp, 'plain.scfg'))));
});

test('the {"__version__", "__data__"} wrapper is read and kept', () => {
  const wrapped = { __version__: '1.0', __data__: json(ALIF_MOD_JSON) };
  const doc = decodeScfg(wrapped, 'wrapped.json');
  assert.equal(doc.version, '1.0');
  assert.deepEqual(asData(encodeDocument(doc)), wrapped);
  assert.throws(() => decodeScfg({ __version__: '9.0', __data__: {} }, 'v.json'), /v\.json: at \$\.__version__: unsupported format version/);
});

test('configs built in code write every field and read back equal', () => {
  const cfg = new Config('leaky_soma_config', { potential_tau: 15, seed: 3 });
  const text = configToScfgText(cfg);
  const path = join(tmp, 'soma.json');
  writeFileSync(path, text);
  const back = readModelFile(path).config;
  assert.deepEqual(back.values, cfg.values);
  assert.equal(JSON.parse(text).__cfg__.__config_delimiter__, '__');
});
