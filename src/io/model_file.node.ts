/**
 * Model files on disk: Spark's `.scfg` (xz-compressed JSON, or plain) and our native `.json`
 * (the same JSON, plain). Reading detects xz by its magic bytes, whatever the extension.
 * Custom neuron types can be given as files alongside a brain file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Config } from '../core/config/config.ts';
import { ConfigError, FileFormatError, SparkError } from '../core/errors.ts';
import type { Engine, Module, ModuleClass } from '../core/module.ts';
import { normalizeName, REGISTRY } from '../core/registry.ts';
import type { Shape } from '../core/shape.ts';
import { Brain } from '../controllers/brain.ts';
import type { Neuron } from '../controllers/neuron.ts';
import { registerNeuronFromConfig } from '../neurons/register_neuron.ts';
import { configToScfgText, decodeScfgText, isXz, jsonPathOf, type ScfgDocument } from './scfg.ts';
import { compressXz, decompressXz } from './xz.node.ts';

export interface ReadOptions {
  /** Neuron type files to register first; each type is named after its file (`alif_mod_neuron.scfg`). */
  neurons?: string[];
}

/** Reads a `.scfg`/`.json` model file (xz or plain) into a validated Config document. */
export function readModelFile(path: string, options: ReadOptions = {}): ScfgDocument {
  for (const n of options.neurons ?? []) registerNeuronFromConfigFile(neuronNameFromFile(n), n);
  const file = basename(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FileFormatError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path.`);
  }
  if (path.toLowerCase().endsWith('.nir')) throw nirError(path);
  if (isXz(bytes)) bytes = decompressXz(bytes, file);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileFormatError(`${file}: the content is neither xz-compressed nor UTF-8 JSON text. Is this a Spark model file (.scfg/.json)?`);
  }
  return decodeScfgText(text, file);
}

/** Reads a model file into its Config. */
export function readConfigFile(path: string, options: ReadOptions = {}): Config {
  return readModelFile(path, options).config;
}

export interface WriteOptions {
  /** xz-compress; default: true for `.scfg`, false otherwise (`.json` is our plain native format). */
  compress?: boolean;
  /** Wrap in `{"__version__": "1.0", "__data__": ...}`; default: keep what the document had. */
  version?: string;
}

/** Writes a Config (or a decoded document, keeping its version wrapper) as `.scfg` or `.json`. */
export async function writeModelFile(model: Config | ScfgDocument, path: string, options: WriteOptions = {}): Promise<void> {
  if (path.toLowerCase().endsWith('.nir')) throw nirError(path);
  const doc = model instanceof Config ? { config: model } : model;
  const text = `${configToScfgText(doc.config, { version: options.version ?? doc.version })}\n`;
  const compress = options.compress ?? path.toLowerCase().endsWith('.scfg');
  writeFileSync(path, compress ? await compressXz(text) : text);
}

/** Type name for a neuron file: its file name without extension, normalised (`ALIFModNeuron.scfg` → `alif_mod_neuron`). */
export function neuronNameFromFile(path: string): string {
  return normalizeName(basename(path).replace(/\.(scfg|json|sge)$/i, ''));
}

/** Spark's `register_neuron_from_config_file`: registers the neuron config in `path` as type `name`. */
export function registerNeuronFromConfigFile(name: string, path: string): ModuleClass<Neuron> {
  const config = readConfigFile(path);
  try {
    return registerNeuronFromConfig(name, config);
  } catch (e) {
    if (e instanceof SparkError) e.message = `${basename(path)}: ${e.message}`;
    throw e;
  }
}

export interface LoadOptions extends ReadOptions {
  /** Build with these input shapes (Brain inputs); otherwise the model is built on its first step. */
  inputShapes?: Record<string, Shape | number>;
  compat?: 'spark' | 'correct';
  /** Module engine (see ModuleOptions.engine); default 'event'. */
  engine?: Engine;
}

/**
 * Reads a model file and instantiates it (a Brain for `brain_config`). Wiring errors and, with
 * `inputShapes`, build errors (shape conflicts) name the file and the JSON path.
 */
export function loadModel(path: string, options: LoadOptions = {}): Module {
  const doc = readModelFile(path, options);
  return instantiate(doc, basename(path), options);
}

/** Instantiates a decoded document; errors are rewritten to name `file` and JSON paths. */
export function instantiate(doc: ScfgDocument, file: string, options: Omit<LoadOptions, 'neurons'> = {}): Module {
  const config = doc.config;
  const base = doc.version ? '$.__data__' : '$';
  try {
    const ref = config.schema.classRef ?? config.type.replace(/_config$/, '');
    const cls = REGISTRY.getModule(ref);
    const module = new cls(config, { compat: options.compat, engine: options.engine });
    if (options.inputShapes) {
      if (module instanceof Brain) module.buildFromShapes(options.inputShapes);
      else throw new FileFormatError(`${file}: input shapes can only be given for a brain (this is a ${config.type}).`);
    }
    return module;
  } catch (e) {
    throw locateError(e, file, config, base);
  }
}

/** Rewrites a SparkError so it names the file, with config paths turned into JSON paths. */
export function locateError(e: unknown, file: string, root: Config, base = '$'): unknown {
  if (!(e instanceof SparkError)) return e;
  if (e.message.startsWith(`${file}:`)) return e;
  if (e instanceof ConfigError) {
    return new ConfigError(e.issues.map((i) => ({ path: `${file}: at ${jsonPathOf(root, i.path, base)}`, message: i.message })));
  }
  const m = /^((?:[\w-]+|\[[^\]]*\])(?:\.(?:[\w-]+)|\[[^\]]*\])*):\s/.exec(e.message);
  if (m && m[1].includes('modules_specs')) {
    e.message = `${file}: at ${jsonPathOf(root, m[1].replace(/\]\[/g, '].['), base)}: ${e.message.slice(m[0].length)}`;
  } else {
    e.message = `${file}: ${e.message}`;
  }
  return e;
}

function nirError(path: string): FileFormatError {
  return new FileFormatError(`${basename(path)}: NIR files are not supported yet. Use .scfg (Spark) or .json (spark-snn).`);
}

/** Input shapes recorded in a brain file's editor metadata (`{name: {type: 'source', spec: {shape}}}`). */
export function editorInputShapes(config: Config): Record<string, number[]> {
  const meta = config.extras.__graph_editor_metadata__;
  const out: Record<string, number[]> = {};
  if (typeof meta !== 'object' || meta === null) return out;
  for (const [name, node] of Object.entries(meta as Record<string, unknown>)) {
    const n = node as { type?: unknown; spec?: { __data__?: { shape?: unknown } } };
    const shape = n?.spec?.__data__?.shape;
    if (n?.type === 'source' && Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d > 0)) out[name] = shape as number[];
  }
  return out;
}
