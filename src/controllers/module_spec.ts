/**
 * Module specs: how a controller config names its modules and wires their ports
 * (Spark's ModuleSpecs and PortMap). Accepts the compact user form
 * `{ name, module: 'leaky_soma', inputs: { current: 'synapses.currents' }, config: {...} }`.
 */
import { Config, type ModuleSpec, type PortMap, setModuleSpecFactory, cloneSpec } from '../core/config/config.ts';
import { ConfigError } from '../core/errors.ts';
import type { ModuleClass } from '../core/module.ts';
import { REGISTRY } from '../core/registry.ts';

export type { ModuleSpec, PortMap };

/** Origin of a controller input. */
export const CALL = '__call__';
/** Origin of a controller property (e.g. the Neuron's `inhibition_mask`). */
export const SELF = '__self__';

/** Parses `'origin.port'` or a PortMap-like object. */
export function portMap(raw: unknown, path: string): PortMap {
  if (typeof raw === 'string') {
    const dot = raw.lastIndexOf('.');
    if (dot <= 0 || dot === raw.length - 1) {
      throw new ConfigError([{ path, message: `'${raw}' is not a port reference; write 'module.port' or '__call__.input_name'` }]);
    }
    const origin = raw.slice(0, dot);
    return { origin, port: raw.slice(dot + 1), isProperty: origin === SELF };
  }
  if (typeof raw === 'object' && raw !== null && 'origin' in raw && 'port' in raw) {
    const r = raw as { origin: unknown; port: unknown; isProperty?: unknown; is_property?: unknown };
    if (typeof r.origin !== 'string' || typeof r.port !== 'string') {
      throw new ConfigError([{ path, message: 'origin and port must be strings' }]);
    }
    return { origin: r.origin, port: r.port, isProperty: Boolean(r.isProperty ?? r.is_property ?? r.origin === SELF) };
  }
  throw new ConfigError([{ path, message: `expected 'module.port' or { origin, port }, got ${JSON.stringify(raw)}` }]);
}

function portMapList(raw: unknown, path: string): PortMap[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((r, i) => portMap(r, list.length > 1 ? `${path}[${i}]` : path));
}

export interface ModuleSpecInput {
  name: string;
  /** Registry name or class. */
  module: string | ModuleClass;
  inputs?: Record<string, string | PortMap | Array<string | PortMap>>;
  config?: Config | Record<string, unknown>;
  outputs?: Record<string, string>;
  effects?: Record<string, string | PortMap | Array<string | PortMap>>;
}

/** Builds a ModuleSpec from the compact form (or clones an existing one). */
export function moduleSpec(raw: unknown, path = 'modules_specs'): ModuleSpec {
  if (typeof raw !== 'object' || raw === null) {
    throw new ConfigError([{ path, message: 'a module spec must be an object with name and module' }]);
  }
  const r = raw as Partial<ModuleSpec> & Partial<ModuleSpecInput>;
  if (r.config instanceof Config && typeof r.moduleType === 'string') return cloneSpec(r as ModuleSpec);
  if (typeof r.name !== 'string' || !r.name) throw new ConfigError([{ path, message: "a module spec needs a 'name'" }]);
  const here = `${path}[${r.name}]`;
  const mod = r.module ?? r.moduleType;
  if (!mod) throw new ConfigError([{ path: here, message: "a module spec needs a 'module' (registry name or class)" }]);
  const cls = typeof mod === 'string' ? REGISTRY.getModule(mod, here) : (mod as ModuleClass);
  const config = r.config instanceof Config ? r.config.clone() : new Config(cls.schema, (r.config as Record<string, unknown> | undefined) ?? {}, `${here}.config`);
  const inputs: Record<string, PortMap[]> = {};
  for (const [port, v] of Object.entries(r.inputs ?? {})) inputs[port] = portMapList(v, `${here}.inputs.${port}`);
  const effects: Record<string, PortMap[]> = {};
  for (const [prop, v] of Object.entries(r.effects ?? {})) effects[prop] = portMapList(v, `${here}.effects.${prop}`);
  return {
    name: r.name,
    moduleType: cls.type,
    subregistry: REGISTRY.neurons.has(cls.type) ? 'NEURONS' : 'MODULES',
    inputs,
    config,
    outputs: { ...(r.outputs ?? {}) },
    effects,
  };
}

setModuleSpecFactory(moduleSpec);
