/**
 * Spark's `.scfg` JSON encoding (spark/core/serializer.py), decoded into Config trees and
 * encoded back. Pure: text or parsed JSON in and out; xz lives in `xz.node.ts`.
 *
 * Encoding (inventory §1.8): configs are `{"__type__": "<name>_config", "__cfg__": {...}}`;
 * module specs, port maps and port specs are `{"__type__", "__data__"}`; arrays are
 * `jax_array`/`numpy_array`; dtypes are `{"__type__": "dtype", "name"}`; a file may be wrapped
 * in `{"__version__", "__data__"}`. Every dunder key of a config (`__graph_editor_metadata__`,
 * `__metadata__`, `__class_ref__`, the delimiters) is kept verbatim in `config.extras`, so a
 * round trip file → Config → file is equal as data.
 */
import { Config, type ModuleSpec, type PortMap, isDunder } from '../core/config/config.ts';
import type { FieldSpec } from '../core/config/field.ts';
import { allSchemaTypes, getSchema, type ConfigSchema } from '../core/config/schema.ts';
import { TensorValue } from '../core/config/tensor.ts';
import { ConfigError, closeMatches, FileFormatError, SparkError } from '../core/errors.ts';
import { REGISTRY } from '../core/registry.ts';

/** First bytes of every xz stream. */
export const XZ_MAGIC = Uint8Array.of(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00);

export function isXz(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && XZ_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Extras key holding the order of the keys a file gave (fields and dunders), so writing keeps
 * that order and omits spark-snn-only fields the file did not have. Never written out.
 */
export const KEY_ORDER = '__spark_snn_keys__';

/** A decoded file: the config and, if the file had one, its `{"__version__"}` wrapper. */
export interface ScfgDocument {
  config: Config;
  version?: string;
}

const ARRAY_TYPES = ['jax_array', 'numpy_array'] as const;
const SPEC_TYPES = ['port_specs', 'port_map', 'module_specs', 'dtype', ...ARRAY_TYPES];

// ---------------------------------------------------------------------------------------------
// Parsing

/** JSON.parse with a file-level error giving line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = '';
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const col = pos - before.lastIndexOf('\n');
      where = ` at line ${line}, column ${col}`;
    } else {
      const lc = /line (\d+) column (\d+)/.exec(msg);
      if (lc) where = ` at line ${lc[1]}, column ${lc[2]}`;
    }
    const detail = msg.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '').replace(/^JSON\.parse:\s*/, '');
    throw new FileFormatError(
      `${file}: invalid JSON${where} (${detail}). The file is damaged or was edited by hand: fix the JSON syntax there, ` +
        'or re-export the model from Spark or with `spark convert`.',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Decoding

class Decoder {
  constructor(readonly file: string) {}

  fail(path: string, what: string, fix: string): never {
    throw new FileFormatError(`${this.file}: at ${path}: ${what}. ${fix}`);
  }

  document(json: unknown): ScfgDocument {
    if (isObject(json) && '__version__' in json && '__data__' in json) {
      const version = json.__version__;
      if (version !== '1.0') {
        this.fail('$.__version__', `unsupported format version ${JSON.stringify(version)}`, "Only version '1.0' (Spark 1.0) is known.");
      }
      const extra = Object.keys(json).filter((k) => k !== '__version__' && k !== '__data__');
      if (extra.length) this.fail(`$.${extra[0]}`, `unexpected key '${extra[0]}' next to the version wrapper`, 'Remove it.');
      return { config: this.rootConfig(json.__data__, '$.__data__'), version };
    }
    return { config: this.rootConfig(json, '$') };
  }

  private rootConfig(json: unknown, path: string): Config {
    if (!isObject(json) || typeof json.__type__ !== 'string' || !('__cfg__' in json)) {
      this.fail(
        path,
        'expected a config object {"__type__": "<name>_config", "__cfg__": {...}}',
        'This is not a Spark model file; .scfg/.json model files start with a config __type__.',
      );
    }
    return this.config(json, path);
  }

  /** `{"__type__": "x_config", "__cfg__": {...}}` → Config. */
  config(obj: Record<string, unknown>, path: string): Config {
    const type = obj.__type__ as string;
    const extra = Object.keys(obj).filter((k) => k !== '__type__' && k !== '__cfg__');
    if (extra.length) this.fail(`${path}.${extra[0]}`, `unexpected key '${extra[0]}' in a config object`, 'A config object has only __type__ and __cfg__.');
    const schema = getSchema(type);
    if (!schema) this.unknownConfigType(type, `${path}.__type__`);
    if (!isObject(obj.__cfg__)) this.fail(`${path}.__cfg__`, `expected an object of config fields, got ${describe(obj.__cfg__)}`, 'Fix the value.');
    return this.fields(schema, obj.__cfg__, `${path}.__cfg__`);
  }

  private unknownConfigType(type: string, path: string): never {
    const close = closeMatches(type, allSchemaTypes());
    const base = type.replace(/_config$/, '');
    let fix = close.length ? `Close matches: ${close.join(', ')}.` : 'Check the spelling.';
    if (base.endsWith('_neuron') && !REGISTRY.has(base)) {
      fix +=
        ` '${base}' looks like a custom neuron type: register it first with registerNeuronFromConfigFile('${base}', file),` +
        ` or load with its file (CLI: --neuron ${base}.scfg).`;
    } else if (REGISTRY.has(base) || /_config$/.test(type) === false) {
      fix += ' Config types end in _config.';
    } else {
      fix += ' If the module exists in Spark, spark-snn may not implement it yet.';
    }
    this.fail(path, `unknown config type '${type}'`, fix);
  }

  /** Fills a config of `schema` from a field dict (a `__cfg__`, or a module spec's plain `config`). */
  fields(schema: ConfigSchema, cfg: Record<string, unknown>, path: string): Config {
    const config = new Config(schema);
    const order: string[] = [];
    for (const [key, raw] of Object.entries(cfg)) {
      order.push(key);
      if (isDunder(key)) {
        config.extras[key] = structuredClone(raw);
        continue;
      }
      const spec = schema.fields[key];
      const p = `${path}.${key}`;
      if (!spec) {
        const close = closeMatches(key, Object.keys(schema.fields), 3);
        this.fail(
          p,
          `unknown field '${key}' for ${schema.type}`,
          close.length
            ? `Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?`
            : `Valid fields: ${Object.keys(schema.fields).join(', ')}. If Spark writes this field, spark-snn does not support it yet; remove it to load the model.`,
        );
      }
      if (spec.kind === 'module_specs') {
        if (!Array.isArray(raw)) this.fail(p, `expected a list of module specs, got ${describe(raw)}`, 'Fix the value.');
        config.values[key] = raw.map((r, i) => this.moduleSpec(r, `${p}[${i}]`));
        const names = new Set<string>();
        for (const [i, s] of (config.values[key] as ModuleSpec[]).entries()) {
          if (names.has(s.name)) this.fail(`${p}[${i}].__data__.name`, `duplicate module name '${s.name}'`, 'Give every module its own name.');
          names.add(s.name);
        }
        continue;
      }
      const value = this.value(raw, p, spec);
      try {
        config.merge({ [key]: value }, path);
      } catch (e) {
        if (e instanceof ConfigError) throw this.configError(e);
        throw e;
      }
    }
    config.extras[KEY_ORDER] = order;
    return config;
  }

  configError(e: ConfigError): ConfigError {
    const err = new ConfigError(e.issues.map((i) => ({ path: `${this.file}: at ${i.path}`, message: i.message })));
    return err;
  }

  /** A field value: nested configs, arrays, dtypes; plain JSON otherwise. */
  value(raw: unknown, path: string, spec?: FieldSpec): unknown {
    if (Array.isArray(raw)) return raw.map((x, i) => this.value(x, `${path}[${i}]`));
    if (!isObject(raw)) return raw;
    const t = raw.__type__;
    if (typeof t !== 'string') {
      if ('__type__' in raw) this.fail(`${path}.__type__`, `__type__ must be a string, got ${describe(t)}`, 'Fix the value.');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) out[k] = this.value(v, `${path}.${k}`);
      return out;
    }
    if (t === 'dtype') {
      if (typeof raw.name !== 'string') this.fail(`${path}.name`, 'a dtype needs a string name', 'Write e.g. {"__type__": "dtype", "name": "float16"}.');
      if (spec && spec.kind !== 'dtype') this.fail(path, `a dtype is not valid for a field of kind ${spec.kind}`, 'Fix the value.');
      return raw.name;
    }
    if (t === 'jax_array' || t === 'numpy_array') return this.tensor(raw, t, path);
    if ('__cfg__' in raw) return this.config(raw, path);
    if (t === 'module_specs' || t === 'port_map' || t === 'port_specs') {
      this.fail(path, `a ${t} is not valid here`, 'Module specs belong in modules_specs, port maps in inputs/effects.');
    }
    const close = closeMatches(t, [...allSchemaTypes(), ...SPEC_TYPES]);
    this.fail(`${path}.__type__`, `unknown __type__ '${t}'`, close.length ? `Close matches: ${close.join(', ')}.` : 'Check the spelling.');
  }

  private tensor(raw: Record<string, unknown>, kind: 'jax_array' | 'numpy_array', path: string): TensorValue {
    const { dtype, shape, data } = raw;
    if (typeof dtype !== 'string') this.fail(`${path}.dtype`, 'an array needs a string dtype', 'Write e.g. "float32".');
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
      this.fail(`${path}.shape`, `an array shape must be a list of non-negative integers, got ${describe(shape)}`, 'Fix the shape.');
    }
    const dims = shape as number[];
    const check = (v: unknown, depth: number, p: string): void => {
      if (depth === dims.length) {
        if (typeof v !== 'number' && typeof v !== 'boolean') this.fail(p, `array element must be a number, got ${describe(v)}`, 'Fix the data.');
        return;
      }
      if (!Array.isArray(v) || v.length !== dims[depth]) {
        this.fail(p, `array data does not match its shape [${dims.join(', ')}]`, 'Make data a nested list of that shape.');
      }
      v.forEach((x, i) => check(x, depth + 1, `${p}[${i}]`));
    };
    check(data, 0, `${path}.data`);
    return new TensorValue(kind, dtype, [...dims], structuredClone(data));
  }

  moduleSpec(raw: unknown, path: string): ModuleSpec {
    if (!isObject(raw) || raw.__type__ !== 'module_specs' || !isObject(raw.__data__)) {
      this.fail(path, 'expected a module spec {"__type__": "module_specs", "__data__": {...}}', 'Fix the entry.');
    }
    const d = raw.__data__;
    const p = `${path}.__data__`;
    const allowed = ['name', 'module_cls', 'inputs', 'config', 'outputs', 'effects'];
    for (const k of Object.keys(d)) {
      if (!allowed.includes(k)) this.fail(`${p}.${k}`, `unknown key '${k}' in a module spec`, `Module specs have ${allowed.join(', ')}.`);
    }
    if (typeof d.name !== 'string' || !d.name) this.fail(`${p}.name`, 'a module spec needs a non-empty string name', 'Fix the value.');
    const cls = d.module_cls;
    if (!isObject(cls) || typeof cls.__module_type__ !== 'string') {
      this.fail(`${p}.module_cls`, 'expected {"__module_type__": "<registry name>", "__subregistry__": "MODULES"}', 'Fix the value.');
    }
    const sub = cls.__subregistry__ ?? 'MODULES';
    if (sub !== 'MODULES' && sub !== 'NEURONS') {
      this.fail(`${p}.module_cls.__subregistry__`, `unknown subregistry ${describe(sub)}`, 'Use "MODULES" or "NEURONS".');
    }
    const type = cls.__module_type__;
    let schema: ConfigSchema;
    try {
      schema = REGISTRY.getModule(type).schema;
    } catch (e) {
      if (e instanceof SparkError) {
        e.message = `${this.file}: at ${p}.module_cls.__module_type__ (module '${d.name}'): ${e.message}`;
      }
      throw e;
    }
    let config: Config;
    if (d.config === undefined || d.config === null) config = new Config(schema);
    else if (!isObject(d.config)) this.fail(`${p}.config`, `expected an object of config fields, got ${describe(d.config)}`, 'Fix the value.');
    else config = this.fields(schema, d.config, `${p}.config`);
    return {
      name: d.name,
      moduleType: type,
      subregistry: sub,
      inputs: this.portLists(d.inputs, `${p}.inputs`),
      config,
      outputs: this.outputs(d.outputs, `${p}.outputs`),
      effects: this.portLists(d.effects, `${p}.effects`),
    };
  }

  private outputs(raw: unknown, path: string): Record<string, string> {
    if (raw === undefined || raw === null) return {};
    if (!isObject(raw)) this.fail(path, `expected an object {output_name: port}, got ${describe(raw)}`, 'Fix the value.');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (typeof v !== 'string') this.fail(`${path}.${k}`, `expected a port name string, got ${describe(v)}`, 'Fix the value.');
      out[k] = v;
    }
    return out;
  }

  private portLists(raw: unknown, path: string): Record<string, PortMap[]> {
    if (raw === undefined || raw === null) return {};
    if (!isObject(raw)) this.fail(path, `expected an object {port: [port_map, ...]}, got ${describe(raw)}`, 'Fix the value.');
    const out: Record<string, PortMap[]> = {};
    for (const [port, list] of Object.entries(raw)) {
      if (!Array.isArray(list)) this.fail(`${path}.${port}`, `expected a list of port maps, got ${describe(list)}`, 'Fix the value.');
      out[port] = list.map((pm, i) => this.portMap(pm, `${path}.${port}[${i}]`));
    }
    return out;
  }

  private portMap(raw: unknown, path: string): PortMap {
    if (!isObject(raw) || raw.__type__ !== 'port_map' || !isObject(raw.__data__)) {
      this.fail(path, 'expected a port map {"__type__": "port_map", "__data__": {"origin", "port", "is_property"}}', 'Fix the entry.');
    }
    const d = raw.__data__;
    for (const k of Object.keys(d)) {
      if (!['origin', 'port', 'is_property'].includes(k)) this.fail(`${path}.__data__.${k}`, `unknown key '${k}' in a port map`, 'Port maps have origin, port, is_property.');
    }
    if (typeof d.origin !== 'string' || !d.origin) this.fail(`${path}.__data__.origin`, 'origin must be a module name string', 'Fix the value.');
    if (typeof d.port !== 'string' || !d.port) this.fail(`${path}.__data__.port`, 'port must be a port name string', 'Fix the value.');
    if (d.is_property !== undefined && typeof d.is_property !== 'boolean') {
      this.fail(`${path}.__data__.is_property`, `is_property must be true or false, got ${describe(d.is_property)}`, 'Fix the value.');
    }
    return { origin: d.origin, port: d.port, isProperty: d.is_property === true };
  }
}

/**
 * Decodes parsed `.scfg`/`.json` content into a Config and validates it. Errors name `file`,
 * the JSON path and the fix.
 */
export function decodeScfg(json: unknown, file: string): ScfgDocument {
  const doc = new Decoder(file).document(json);
  const issues = doc.config.validate();
  if (issues.length) {
    const base = doc.version ? '$.__data__' : '$';
    throw new ConfigError(issues.map((i) => ({ path: `${file}: at ${jsonPathOf(doc.config, i.path, base)}`, message: i.message })));
  }
  return doc;
}

/** Parses and decodes `.scfg` text (already decompressed). */
export function decodeScfgText(text: string, file: string): ScfgDocument {
  return decodeScfg(parseJsonText(text, file), file);
}

/**
 * Translates a config path as used in errors (`modules_specs[A].config.soma.potential_tau`) into
 * the JSON path of the file (`$.__cfg__.modules_specs[0].__data__.config...`). Best effort.
 */
export function jsonPathOf(root: Config, configPath: string, base = '$'): string {
  const parts = configPath.split('.').filter((s) => s.length > 0);
  let out = `${base}.__cfg__`;
  let cfg: Config | undefined = root;
  const WIRING = new Set(['inputs', 'outputs', 'effects']);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    // A module spec: `modules_specs[A]` at the root, its bare name below (Config's specPath).
    const m = /^modules_specs\[(.+)\]$/.exec(part);
    const specName = m ? m[1] : cfg && !(part in cfg.values) ? part : undefined;
    const idx = specName !== undefined && cfg ? cfg.specs().findIndex((s) => s.name === specName) : -1;
    if (cfg && idx >= 0) {
      out += `.modules_specs[${idx}].__data__`;
      const spec: ModuleSpec = cfg.specs()[idx];
      if (parts[i + 1] === 'config') i++;
      if (i + 1 < parts.length && WIRING.has(parts[i + 1])) {
        cfg = undefined;
        continue;
      }
      out += '.config';
      cfg = spec.config;
      continue;
    }
    const v: unknown = cfg?.values[part];
    out += `.${part}`;
    if (v instanceof Config) {
      out += '.__cfg__';
      cfg = v;
    } else cfg = undefined;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** A number written with a decimal point (`1.0`), as Python writes floats. */
export class FloatLiteral {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export interface EncodeOptions {
  /** Wrap in `{"__version__": "1.0", "__data__": ...}` (Spark's encoder; its files omit it). */
  version?: string;
}

/** Config → the JSON tree Spark writes (FloatLiteral marks floats; use `stringifyScfg`). */
export function encodeScfg(config: Config, options: EncodeOptions = {}): unknown {
  const tree = encodeConfig(config);
  return options.version ? { __version__: options.version, __data__: tree } : tree;
}

/** Writes a decoded document back, wrapper included. */
export function encodeDocument(doc: ScfgDocument): unknown {
  return encodeScfg(doc.config, { version: doc.version });
}

function encodeConfig(config: Config): Record<string, unknown> {
  return { __type__: config.type, __cfg__: encodeFields(config) };
}

/** A config's field dict, dunders included, in the file's key order when known. */
function encodeFields(config: Config): Record<string, unknown> {
  const fields = config.schema.fields;
  const given = config.extras[KEY_ORDER];
  const order: string[] = Array.isArray(given) ? [...(given as string[])] : [];
  const out: Record<string, unknown> = {};
  const put = (key: string): void => {
    if (key in out) return;
    if (isDunder(key)) {
      if (key !== KEY_ORDER && key in config.extras) out[key] = structuredClone(config.extras[key]);
      return;
    }
    if (key in fields) out[key] = encodeField(fields[key], config.values[key]);
  };
  if (order.length) {
    for (const key of order) put(key);
    for (const key of Object.keys(config.extras)) put(key);
    // Fields the file lacked: written only when they differ from the default (e.g. spark-snn extensions left alone).
    const defaults = new Config(config.schema).values;
    for (const key of Object.keys(fields)) {
      if (key in out) continue;
      const def = defaults[key];
      if (JSON.stringify(encodeField(fields[key], config.values[key])) !== JSON.stringify(encodeField(fields[key], def))) put(key);
    }
  } else {
    for (const key of ['__config_delimiter__', '__shared_config_delimiter__', '__metadata__', '__graph_editor_metadata__']) {
      out[key] = key in config.extras ? structuredClone(config.extras[key]) : defaultDunder(key);
    }
    for (const key of Object.keys(config.extras)) put(key);
    for (const key of Object.keys(fields)) put(key);
  }
  return out;
}

function defaultDunder(key: string): unknown {
  if (key === '__config_delimiter__') return '__';
  if (key === '__shared_config_delimiter__') return '_s_';
  return {};
}

function encodeField(spec: FieldSpec, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Config) return encodeConfig(v);
  if (v instanceof TensorValue) return encodeTensor(v);
  switch (spec.kind) {
    case 'module_specs':
      return (v as ModuleSpec[]).map(encodeSpec);
    case 'dtype':
      return typeof v === 'string' ? { __type__: 'dtype', name: v } : v;
    case 'float':
    case 'tuple':
      return floats(v);
    default:
      return structuredClone(v);
  }
}

function floats(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? new FloatLiteral(v) : v;
  if (Array.isArray(v)) return v.map(floats);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => new FloatLiteral(x));
  return structuredClone(v);
}

function encodeTensor(t: TensorValue): Record<string, unknown> {
  const isFloat = t.dtype.startsWith('float') || t.dtype.startsWith('bfloat');
  return { __type__: t.kind, dtype: t.dtype, shape: [...t.shape], data: isFloat ? floats(t.data) : structuredClone(t.data) };
}

function encodeSpec(s: ModuleSpec): Record<string, unknown> {
  const pms = (list: PortMap[]) =>
    list.map((pm) => ({ __type__: 'port_map', __data__: { origin: pm.origin, port: pm.port, is_property: pm.isProperty } }));
  const lists = (rec: Record<string, PortMap[]>) => Object.fromEntries(Object.entries(rec).map(([k, l]) => [k, pms(l)]));
  return {
    __type__: 'module_specs',
    __data__: {
      name: s.name,
      module_cls: { __module_type__: s.moduleType, __subregistry__: s.subregistry },
      inputs: lists(s.inputs),
      config: encodeFields(s.config),
      outputs: { ...s.outputs },
      effects: lists(s.effects),
    },
  };
}

/** JSON text as Python's `json.dump(indent=4)` writes it: floats keep a decimal point. */
export function stringifyScfg(tree: unknown, indent = 4): string {
  const pad = (n: number) => ' '.repeat(n * indent);
  const num = (x: number, float: boolean): string => {
    if (Number.isNaN(x)) return 'NaN';
    if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
    const s = String(x);
    return float && Number.isInteger(x) && !/e/i.test(s) ? `${s}.0` : s;
  };
  const walk = (v: unknown, depth: number): string => {
    if (v instanceof FloatLiteral) return num(v.value, true);
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return num(v, false);
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => pad(depth + 1) + walk(x, depth + 1)).join(',\n')}\n${pad(depth)}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${pad(depth + 1)}${JSON.stringify(k)}: ${walk(x, depth + 1)}`).join(',\n')}\n${pad(depth)}}`;
  };
  return walk(tree, 0);
}

/** Config → `.scfg`/`.json` text (plain JSON, indent 4). */
export function configToScfgText(config: Config, options: EncodeOptions = {}): string {
  return stringifyScfg(encodeScfg(config, options));
}

// ---------------------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return `${typeof v} ${s && s.length > 40 ? `${s.slice(0, 37)}...` : s}`;
}
