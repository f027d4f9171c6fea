/**
 * Typed, validated, serialisable configs with Spark's override syntax.
 *
 * - plain keys: `{ potential_tau: 15 }`;
 * - nested keys: `soma__potential_tau` (a nested config field, or in controllers a module spec name);
 * - shared keys: `_s_dt` sets `dt` here and in every nested config that has it.
 * Unknown keys are errors with a "did you mean" (Spark ignores them silently).
 * Spark: spark/core/config.py.
 */
import { z } from 'zod';
import { ConfigError, type ConfigIssue, didYouMean } from '../errors.ts';
import { Rng } from '../rng.ts';
import { toShape } from '../shape.ts';
import type { FieldSpec } from './field.ts';
import { getSchema, type ConfigSchema } from './schema.ts';
import { flattenNumeric, TensorValue } from './tensor.ts';

/** Where a value comes from inside a controller (Spark's PortMap). */
export interface PortMap {
  /** A module name, `__call__` (a controller input) or `__self__` (a controller property). */
  origin: string;
  port: string;
  isProperty: boolean;
}

/** One module inside a controller (Spark's ModuleSpecs). */
export interface ModuleSpec {
  name: string;
  /** Registry name of the module or neuron type, e.g. `leaky_soma`. */
  moduleType: string;
  subregistry: 'MODULES' | 'NEURONS';
  inputs: Record<string, PortMap[]>;
  config: Config;
  /** Controller output name → this module's port. */
  outputs: Record<string, string>;
  /** Writable property of this module → where its new value comes from. */
  effects: Record<string, PortMap[]>;
}

const SHARED = '_s_';
const NESTED = '__';

/** Turns user-friendly module spec objects into ModuleSpec; installed by the controllers layer. */
let moduleSpecFactory: ((raw: unknown, path: string) => ModuleSpec) | undefined;
export function setModuleSpecFactory(f: (raw: unknown, path: string) => ModuleSpec): void {
  moduleSpecFactory = f;
}

export function isDunder(key: string): boolean {
  return key.length > 4 && key.startsWith('__') && key.endsWith('__');
}

export class Config {
  readonly schema: ConfigSchema;
  readonly values: Record<string, unknown> = {};
  /** Dunder entries from files (`__graph_editor_metadata__`, `__class_ref__`…), kept for round trips. */
  readonly extras: Record<string, unknown> = {};

  constructor(schema: ConfigSchema | string, overrides?: Record<string, unknown>, path = '') {
    const s = typeof schema === 'string' ? getSchema(schema) : schema;
    if (!s) throw new ConfigError([{ path: path || '<config>', message: `unknown config type '${schema}'` }]);
    this.schema = s;
    for (const [name, spec] of Object.entries(s.fields)) {
      const d = spec.default;
      this.values[name] = typeof d === 'function' ? (d as () => unknown)() : d;
    }
    if (overrides) this.merge(overrides, path);
  }

  get type(): string {
    return this.schema.type;
  }

  get<T = unknown>(name: string): T {
    return this.values[name] as T;
  }

  /** Nested configs: config-valued fields, and module spec configs in controllers. */
  children(): Array<[string, Config]> {
    const out: Array<[string, Config]> = [];
    for (const [name, v] of Object.entries(this.values)) {
      if (v instanceof Config) out.push([name, v]);
    }
    for (const spec of this.specs()) out.push([spec.name, spec.config]);
    return out;
  }

  /** The module specs of a controller config (empty otherwise). */
  specs(): ModuleSpec[] {
    const v = this.values.modules_specs;
    return Array.isArray(v) ? (v as ModuleSpec[]) : [];
  }

  /**
   * Applies overrides with Spark's syntax. Collects every problem and throws one ConfigError.
   * `path` prefixes issue paths (e.g. `modules_specs[A].config`).
   */
  merge(overrides: Record<string, unknown>, path = ''): this {
    const issues: ConfigIssue[] = [];
    this.applyOverrides(overrides, path, issues);
    if (issues.length) throw new ConfigError(issues);
    return this;
  }

  private applyOverrides(overrides: Record<string, unknown>, path: string, issues: ConfigIssue[]): void {
    // Shared keys first, so that explicit keys win.
    const entries = Object.entries(overrides).sort(
      ([a], [b]) => Number(b.startsWith(SHARED)) - Number(a.startsWith(SHARED)),
    );
    for (const [key, value] of entries) {
      if (isDunder(key)) {
        this.extras[key] = value;
        continue;
      }
      if (key.startsWith(SHARED)) {
        const name = key.slice(SHARED.length);
        if (!this.setShared(name, value, path, issues)) {
          issues.push({ path: join(path, key), message: `no config in this tree has a field '${name}'` });
        }
        continue;
      }
      const cut = key.indexOf(NESTED);
      if (cut > 0) {
        const head = key.slice(0, cut);
        const rest = key.slice(cut + NESTED.length);
        const child = this.child(head);
        if (child) child.config.applyOverrides({ [rest]: value }, child.isSpec ? specPath(path, head) : join(path, head), issues);
        else issues.push({ path: join(path, key), message: this.unknownKey(head) });
        continue;
      }
      if (!(key in this.schema.fields)) {
        issues.push({ path: join(path, key), message: this.unknownKey(key) });
        continue;
      }
      this.setField(key, value, path, issues);
    }
  }

  private unknownKey(key: string): string {
    const names = [...Object.keys(this.schema.fields), ...this.specs().map((s) => s.name)];
    const hint = didYouMean(key, names);
    return `unknown key '${key}' for ${this.schema.type}.${hint || ` Valid keys: ${names.join(', ')}.`}`;
  }

  /** A nested config reachable by `head__…`: a config field or (controllers) a module spec. */
  private child(head: string): { config: Config; path: string; isSpec?: boolean } | undefined {
    const v = this.values[head];
    if (v instanceof Config) return { config: v, path: head };
    const spec = this.specs().find((s) => s.name === head);
    if (spec) return { config: spec.config, path: head, isSpec: true };
    return undefined;
  }

  /** Sets `name` here (if present) and in every nested config; true if any config had it. */
  private setShared(name: string, value: unknown, path: string, issues: ConfigIssue[]): boolean {
    let found = false;
    if (name in this.schema.fields) {
      this.setField(name, value, path, issues);
      found = true;
    }
    for (const [childName, child] of this.children()) {
      const isSpec = this.specs().some((s) => s.name === childName);
      const childPath = isSpec ? specPath(path, childName) : join(path, childName);
      if (child.setShared(name, value, childPath, issues)) found = true;
    }
    return found;
  }

  /** Coerces and stores one field value; type problems become issues, range checks wait for validate(). */
  private setField(name: string, value: unknown, path: string, issues: ConfigIssue[]): void {
    const spec = this.schema.fields[name];
    const p = join(path, name);
    if (value === null || value === undefined) {
      this.values[name] = null;
      return;
    }
    if (value instanceof Config) {
      this.values[name] = value;
      return;
    }
    if (spec.kind === 'module_specs') {
      if (!Array.isArray(value)) {
        issues.push({ path: p, message: 'must be a list of module specs' });
        return;
      }
      if (!moduleSpecFactory) throw new Error('controllers layer not loaded');
      const specs: ModuleSpec[] = [];
      for (const raw of value) {
        try {
          specs.push(moduleSpecFactory(raw, p));
        } catch (e) {
          if (e instanceof ConfigError) issues.push(...e.issues);
          else throw e;
        }
      }
      this.values[name] = specs;
      return;
    }
    if (isPlainObject(value) && (spec.kind === 'config' || spec.init)) {
      const raw = value as Record<string, unknown>;
      // `type` (or Spark's `__type__`) picks the initializer/config class.
      const given = raw.type ?? raw.__type__;
      const typeName = typeof given === 'string' ? given : undefined;
      const current = this.values[name];
      try {
        if (typeName) {
          const { type: _t, __type__: _u, ...rest } = raw;
          this.values[name] = new Config(typeName.endsWith('_config') ? typeName : `${typeName}_config`, rest, p);
        } else if (current instanceof Config) {
          current.merge(raw, p);
        } else if (spec.configType) {
          this.values[name] = new Config(spec.configType, raw, p);
        } else {
          issues.push({ path: p, message: "an initializer needs a 'type', e.g. { type: 'uniform_initializer' }" });
        }
      } catch (e) {
        if (e instanceof ConfigError) issues.push(...e.issues);
        else throw e;
      }
      return;
    }
    if (spec.kind === 'shape') {
      const s = toShape(value);
      if (!s) issues.push({ path: p, message: `must be a shape (an int or a list of ints), got ${show(value)}` });
      else this.values[name] = s;
      return;
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      this.values[name] = Array.from(value as unknown as ArrayLike<number>);
      return;
    }
    if (Array.isArray(value)) {
      this.values[name] = structuredClone(value);
      return;
    }
    this.values[name] = value;
  }

  /**
   * Every problem in this config tree (types, required fields, validators). `forced` names fields
   * the parent controller sets at build (`dt`, and `units` in Neurons), so they may be unset here.
   */
  validate(path = '', forced?: ReadonlySet<string>): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const [name, spec] of Object.entries(this.schema.fields)) {
      const v = this.values[name];
      const p = join(path, name);
      if (forced?.has(name)) continue;
      if (v === null || v === undefined) {
        if (spec.required || (spec.default === undefined && !spec.nullable)) {
          issues.push({ path: p, message: 'is required' });
        } else if (v === null && !spec.nullable && spec.default !== null) {
          issues.push({ path: p, message: 'must not be null' });
        }
        continue;
      }
      if (v instanceof Config) {
        if (spec.kind !== 'config' && !spec.init) {
          issues.push({ path: p, message: `must be a ${spec.kind}, got a ${v.type}` });
        } else issues.push(...v.validate(p));
        continue;
      }
      if (spec.kind === 'module_specs') {
        const pushed = new Set(this.schema.forces ?? []);
        for (const s of v as ModuleSpec[]) issues.push(...s.config.validate(specPath(path, s.name), pushed));
        continue;
      }
      const result = zodFor(spec).safeParse(v);
      if (!result.success) issues.push({ path: p, message: `${result.error.issues[0].message}, got ${show(v)}` });
    }
    return issues;
  }

  /** Throws a ConfigError listing every problem. */
  assertValid(path = ''): this {
    const issues = this.validate(path);
    if (issues.length) throw new ConfigError(issues);
    return this;
  }

  clone(): Config {
    const c = new Config(this.schema);
    for (const [k, v] of Object.entries(this.values)) c.values[k] = cloneValue(v);
    Object.assign(c.extras, structuredClone(this.extras));
    return c;
  }

  /**
   * A copy with every seed in the tree redrawn from `seed`, in a fixed walk order, so the same
   * seed always gives the same tree (Spark's `with_new_seeds`).
   */
  withNewSeeds(seed: number): Config {
    const c = this.clone();
    const rng = new Rng(seed);
    const walk = (cfg: Config): void => {
      if ('seed' in cfg.schema.fields) cfg.values.seed = rng.nextUint32();
      for (const [, child] of cfg.children()) walk(child);
    };
    walk(c);
    return c;
  }

  /** Plain nested object of field values (configs as nested objects), for display and tests. */
  toObject(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.values)) {
      if (v instanceof Config) out[k] = { type: v.type, ...v.toObject() };
      else if (k === 'modules_specs' && Array.isArray(v)) {
        out[k] = (v as ModuleSpec[]).map((s) => ({ name: s.name, module: s.moduleType, config: s.config.toObject() }));
      } else if (v instanceof TensorValue) out[k] = v.flat();
      else out[k] = v;
    }
    return out;
  }
}

function cloneValue(v: unknown): unknown {
  if (v instanceof Config) return v.clone();
  if (v instanceof TensorValue) return v;
  if (Array.isArray(v)) {
    return v.map((x) => (isModuleSpec(x) ? cloneSpec(x) : cloneValue(x)));
  }
  return v;
}

function isModuleSpec(x: unknown): x is ModuleSpec {
  return typeof x === 'object' && x !== null && 'moduleType' in x && 'config' in x;
}

export function cloneSpec(s: ModuleSpec): ModuleSpec {
  return {
    ...s,
    inputs: structuredClone(s.inputs),
    outputs: { ...s.outputs },
    effects: structuredClone(s.effects),
    config: s.config.clone(),
  };
}

/**
 * Path of a module spec's config: `modules_specs[A].config` at the root, then short nested
 * names below it (`modules_specs[A].config.soma.potential_tau`), as the override keys read.
 */
export function specPath(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : `modules_specs[${name}].config`;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isPlainObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function show(v: unknown): string {
  if (v instanceof TensorValue) return `array${JSON.stringify(v.shape)}`;
  if (typeof v === 'string') return `'${v}'`;
  const s = JSON.stringify(v);
  return s && s.length > 60 ? `${s.slice(0, 57)}...` : String(s);
}

// ---- zod schemas per field (cached) ----

const zodCache = new WeakMap<FieldSpec, z.ZodType>();

function numericCheck(spec: FieldSpec, values: number[], ctx: z.RefinementCtx): void {
  const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
  for (const x of values) {
    if (Number.isNaN(x)) return fail('must be a number, not NaN');
  }
  for (const v of spec.validators ?? []) {
    if (v === 'positive' && values.some((x) => !(x > 0))) return fail('must be > 0');
    if (v === 'non_negative' && values.some((x) => !(x >= 0))) return fail('must be >= 0');
    if (v === 'zero_one' && values.some((x) => !(x >= 0 && x <= 1))) return fail('must be in [0, 1]');
    if (v === 'binary' && values.some((x) => x !== 0 && x !== 1)) return fail('must be 0 or 1');
    if (v === 'integer' && values.some((x) => !Number.isInteger(x))) return fail('must be an integer');
  }
}

const numberList = z.array(z.union([z.number(), z.boolean()]));
const nestedNumbers: z.ZodType = z.lazy(() => z.union([z.number(), z.array(nestedNumbers)]));

function zodFor(spec: FieldSpec): z.ZodType {
  let s = zodCache.get(spec);
  if (s) return s;
  const numeric = (base: z.ZodType) =>
    base.superRefine((v, ctx) => numericCheck(spec, flattenNumeric(v) ?? [], ctx));
  switch (spec.kind) {
    case 'float':
      s = spec.init
        ? numeric(z.union([z.number(), nestedNumbers, z.instanceof(TensorValue)], { error: 'must be a number, a per-unit array or an initializer' }))
        : numeric(z.number({ error: 'must be a number' }));
      break;
    case 'int':
      s = numeric(z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }));
      break;
    case 'bool':
      s = z.union([z.boolean(), z.literal(0), z.literal(1)], { error: 'must be true or false' });
      break;
    case 'string':
      s = spec.options ? z.enum(spec.options as [string, ...string[]], { error: `must be one of ${spec.options.join(', ')}` }) : z.string({ error: 'must be a string' });
      break;
    case 'dtype':
      s = z.string({ error: 'must be a dtype name' });
      break;
    case 'shape':
      s = z.array(z.number().int().nonnegative(), { error: 'must be a shape (list of ints)' });
      break;
    case 'tuple':
      s = numeric(
        spec.length
          ? numberList.length(spec.length, { error: `must be a list of ${spec.length} numbers` })
          : numberList,
      );
      break;
    case 'array':
      s = numeric(z.union([z.number(), z.boolean(), nestedNumbers, z.instanceof(TensorValue)], { error: 'must be a number or an array' }));
      break;
    case 'config':
      s = z.instanceof(Config, { error: 'must be a config' });
      break;
    case 'module_specs':
      s = z.array(z.any());
      break;
  }
  zodCache.set(spec, s);
  return s;
}

/** An initializer config by registry name, e.g. `initializer('uniform_initializer', { scale: 2 })`. */
export function initializer(type: string, overrides: Record<string, unknown> = {}): Config {
  return new Config(type.endsWith('_config') ? type : `${type}_config`, overrides);
}
