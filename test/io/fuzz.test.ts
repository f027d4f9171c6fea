/**
 * Fuzz: mutate the real .scfg files (bytes of the xz stream; values and keys of the decoded JSON)
 * thousands of times with a fixed seed. Every mutant must either raise a SparkError or give a
 * model that validates and builds: no other exception, no hang, no silent acceptance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import '../../src/builtins.ts';
import { SparkError } from '../../src/core/errors.ts';
import { Rng } from '../../src/core/rng.ts';
import { decodeScfg, decodeScfgText } from '../../src/io/scfg.ts';
import { decompressXz } from '../../src/io/xz.node.ts';
import { instantiate, registerNeuronFromConfigFile } from '../../src/io/model_file.node.ts';
import { buildWithShapes } from '../../src/cli/inspect.ts';
import { AB_BRAIN, ALIF_MOD, ALIF_MOD_JSON, AB_BRAIN_JSON, CARTPOLE_SHAPES } from './fixtures.ts';

registerNeuronFromConfigFile('alif_mod_neuron', ALIF_MOD);
const rng = new Rng(20240611);
const outcomes = { sparkError: 0, built: 0 };

/** Runs one mutant through decode → instantiate → build; anything but a SparkError is a failure. */
function attempt(label: string, load: () => ReturnType<typeof decodeScfg>, shapes: Record<string, number[]>): void {
  try {
    const doc = load();
    const m = instantiate(doc, 'fuzz.json');
    buildWithShapes(m, shapes);
    outcomes.built++;
  } catch (e) {
    if (e instanceof SparkError) {
      assert.ok(e.message.length > 0 && e.message.length < 4000, `${label}: message length ${e.message.length}`);
      outcomes.sparkError++;
      return;
    }
    assert.fail(`${label}: ${(e as Error).constructor.name} escaped: ${(e as Error).message}\n${(e as Error).stack}`);
  }
}

const NEURON_SHAPES = { in_spikes: [6], modulation: [1] };
const BRAIN_SHAPES = Object.fromEntries(Object.entries(CARTPOLE_SHAPES).map(([k, v]) => [k, [v]]));

test('byte mutations of the xz files never escape as non-Spark errors', () => {
  for (const [file, shapes] of [[ALIF_MOD, NEURON_SHAPES], [AB_BRAIN, BRAIN_SHAPES]] as const) {
    const base = readFileSync(file);
    for (let i = 0; i < 1000; i++) {
      const b = Uint8Array.from(base);
      const kind = rng.int(3);
      let bytes: Uint8Array = b;
      if (kind === 0) for (let k = 0, n = 1 + rng.int(4); k < n; k++) b[rng.int(b.length)] ^= 1 + rng.int(255);
      else if (kind === 1) bytes = b.subarray(0, rng.int(b.length));
      else bytes = Uint8Array.from([...b.subarray(0, 12 + rng.int(b.length - 12)), rng.int(256)]);
      attempt(`${file} bytes #${i}`, () => decodeScfgText(new TextDecoder().decode(decompressXz(bytes, 'fuzz.scfg')), 'fuzz.scfg'), shapes);
    }
  }
});

type Json = unknown;
/** Every (container, key) location in a JSON tree. */
function locations(root: Json): Array<[Record<string, Json> | Json[], string | number]> {
  const out: Array<[Record<string, Json> | Json[], string | number]> = [];
  const walk = (v: Json): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        out.push([v, i]);
        walk(x);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        out.push([v as Record<string, Json>, k]);
        walk(x);
      }
    }
  };
  walk(root);
  return out;
}

const REPLACEMENTS: Array<(v: Json) => Json> = [
  () => null,
  () => true,
  () => 'text',
  () => [],
  () => ({}),
  () => ({ __type__: 'jax_array', dtype: 'float32', shape: [2], data: [1] }),
  () => ({ __type__: 'nonsense_config', __cfg__: {} }),
  (v) => (typeof v === 'number' ? -v : 0),
  (v) => (typeof v === 'number' ? v * 2 : 1),
  (v) => (typeof v === 'number' ? v + 0.5 : -1),
  () => 1e308,
  (v) => (typeof v === 'string' ? `${v}x` : 'A_excitatory'),
  (v) => (Array.isArray(v) ? [...v, ...v] : [v]),
];

function mutateJson(base: Json): Json {
  const j = structuredClone(base);
  const locs = locations(j);
  for (let k = 0, n = 1 + rng.int(3); k < n; k++) {
    const [c, key] = locs[rng.int(locs.length)];
    const op = rng.int(REPLACEMENTS.length + 2);
    if (op === REPLACEMENTS.length && !Array.isArray(c)) {
      const v = (c as Record<string, Json>)[key as string];
      delete (c as Record<string, Json>)[key as string];
      (c as Record<string, Json>)[`${key as string}${rng.int(2) ? '_' : ''}`.slice(0, rng.int(2) ? undefined : -1) || 'k'] = v;
    } else if (op === REPLACEMENTS.length + 1) {
      if (Array.isArray(c)) c.splice(key as number, 1);
      else delete (c as Record<string, Json>)[key as string];
    } else {
      const f = REPLACEMENTS[Math.min(op, REPLACEMENTS.length - 1)];
      (c as Record<string | number, Json>)[key] = f((c as Record<string | number, Json>)[key]);
    }
  }
  return j;
}

/**
 * The brain file with small pools, so each mutant builds in milliseconds, and without the
 * editor's inheritance trees (kept verbatim, so mutating them tests nothing).
 */
function smallAbBrain(): Json {
  const text = readFileSync(AB_BRAIN_JSON, 'utf8');
  const j = JSON.parse(text, (k, v) => {
    if (k === '__graph_editor_metadata__' && v && typeof v === 'object') delete v.inheritance_tree;
    return v;
  });
  for (const s of j.__cfg__.modules_specs) {
    const c = s.__data__.config;
    if (Array.isArray(c.units)) c.units = [c.units[0] / 32];
    if (c.resolution) c.resolution = 4;
  }
  return j;
}

test('JSON value/key mutations of the decoded files: SparkError or a model that builds', () => {
  const neuron = JSON.parse(readFileSync(ALIF_MOD_JSON, 'utf8'), (k, v) => {
    if (k === '__graph_editor_metadata__' && v && typeof v === 'object') delete v.inheritance_tree;
    return v;
  });
  const brain = smallAbBrain();
  const before = outcomes.built;
  attempt('unmutated brain', () => decodeScfg(brain, 'fuzz.json'), BRAIN_SHAPES);
  assert.equal(outcomes.built, before + 1);
  outcomes.built = 0;
  outcomes.sparkError = 0;
  for (let i = 0; i < 1200; i++) attempt(`neuron json #${i}`, () => decodeScfg(mutateJson(neuron), 'fuzz.json'), NEURON_SHAPES);
  for (let i = 0; i < 400; i++) attempt(`brain json #${i}`, () => decodeScfg(mutateJson(brain), 'fuzz.json'), BRAIN_SHAPES);
  assert.ok(outcomes.sparkError > 300 && outcomes.built > 300, JSON.stringify(outcomes));
});
