/**
 * Checkpoints: a model's config and its full run state in one safetensors file, so a run can
 * stop and resume bit-identically. Pure (bytes in and out); `checkpoint.node.ts` adds files.
 *
 * Layout (docs/formats.md):
 *   __metadata__: format = "spark-snn-checkpoint", format_version = "1",
 *                 model = the model config as native JSON text (the .json format),
 *                 input_specs = JSON {port: {payload, shape}}, compat,
 *                 neuron_types = JSON {type: config JSON} for custom neuron types the model uses.
 *   tensors, per module at path P ("model", "model.A_excitatory", "model.A_excitatory.soma"):
 *     P/rng            F64[5]  xoshiro state words + cached normal (NaN when empty)
 *     P/t              F64[]   step counter (controllers)
 *     P/state/NAME     the module's tracked state arrays, in their own dtype
 *     P/payload/KEY    state-carrying payloads: spikes as I32 active indices in firing order
 *                      (the order fixes float summation order), values as F32/I32/U8
 *   input/PORT/inhibitory  U8  build-time inhibitory flags of a module's spike inputs (non-brain roots)
 */
import { Config } from '../core/config/config.ts';
import { FileFormatError, SparkError } from '../core/errors.ts';
import type { Compat, Engine, Module } from '../core/module.ts';
import {
  createPayload,
  type Payload,
  type PayloadType,
  PAYLOAD_TYPES,
  type PortSpec,
  SpikeArray,
  type TypedArray,
} from '../core/payload.ts';
import { REGISTRY } from '../core/registry.ts';
import { Brain } from '../controllers/brain.ts';
import { Controller } from '../controllers/controller.ts';
import { neuronTypeConfig, registerNeuronFromConfig } from '../neurons/register_neuron.ts';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.ts';
import { configToScfgText, decodeScfgText } from './scfg.ts';

export const CHECKPOINT_FORMAT = 'spark-snn-checkpoint';
export const CHECKPOINT_VERSION = '1';
const ROOT = 'model';

function tensorOf(a: TypedArray | Float64Array, shape?: number[]): SafetensorsTensor {
  const s = shape ?? [a.length];
  if (a instanceof Float32Array) return { dtype: 'F32', shape: s, data: a.slice() };
  if (a instanceof Float64Array) return { dtype: 'F64', shape: s, data: a.slice() };
  if (a instanceof Int32Array) return { dtype: 'I32', shape: s, data: a.slice() };
  if (a instanceof Uint32Array) return { dtype: 'U32', shape: s, data: a.slice() };
  if (a instanceof Int16Array) return { dtype: 'I16', shape: s, data: a.slice() };
  if (a instanceof Uint16Array) return { dtype: 'U16', shape: s, data: a.slice() };
  if (a instanceof Int8Array) return { dtype: 'I8', shape: s, data: a.slice() };
  return { dtype: 'U8', shape: s, data: (a as Uint8Array).slice() };
}

function payloadTensor(p: Payload): SafetensorsTensor {
  if (p instanceof SpikeArray) return { dtype: 'I32', shape: [p.count], data: p.indices.slice(0, p.count) };
  return tensorOf((p as unknown as { data: TypedArray }).data);
}

/** Every module in the tree with its checkpoint path. */
function walk(module: Module, path = ROOT, out: Array<[string, Module]> = []): Array<[string, Module]> {
  out.push([path, module]);
  for (const child of module.children()) walk(child, `${path}.${child.name}`, out);
  return out;
}

/** Custom neuron types (registered from configs) used anywhere in the tree. */
function neuronTypesOf(module: Module): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [, m] of walk(module)) {
    const cfg = neuronTypeConfig(m.cls.type);
    if (cfg) out[m.cls.type] = JSON.parse(configToScfgText(cfg));
  }
  return out;
}

/** Serialises a built module (usually a Brain) with its config and full state. */
export function encodeCheckpoint(module: Module): Uint8Array {
  if (!module.built) throw new FileFormatError(`cannot checkpoint ${module.label()}: it is not built yet (run one step first).`);
  // A brain split across threads: bring the other thread's modules up to date first.
  if (module instanceof Brain) module.syncState();
  const tensors: Record<string, SafetensorsTensor> = {};
  for (const [path, m] of walk(module)) {
    tensors[`${path}/rng`] = tensorOf(m.rng.getState());
    if (m instanceof Controller) tensors[`${path}/t`] = { dtype: 'F64', shape: [], data: Float64Array.of(m.t) };
    for (const [name, arr] of m.stateArrays()) tensors[`${path}/state/${name}`] = tensorOf(arr);
    for (const [key, p] of m.statePayloads()) tensors[`${path}/payload/${key}`] = payloadTensor(p);
  }
  const inputSpecs: Record<string, { payload: string; shape: number[] }> = {};
  for (const [port, spec] of Object.entries(module.inputSpecs)) {
    inputSpecs[port] = { payload: spec.payload, shape: [...spec.shape] };
    if (spec.inhibitory && !(module instanceof Brain)) tensors[`input/${port}/inhibitory`] = tensorOf(spec.inhibitory);
  }
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    format_version: CHECKPOINT_VERSION,
    model: configToScfgText(module.config),
    input_specs: JSON.stringify(inputSpecs),
    neuron_types: JSON.stringify(neuronTypesOf(module)),
    compat: module.compat,
    name: module.name,
  });
}

export interface RestoreOptions {
  /** Name used in error messages. */
  file?: string;
  /** Engine of the rebuilt module (default 'event'). */
  engine?: Engine;
}

/** Rebuilds the module saved by `encodeCheckpoint` and restores its state exactly. */
export function decodeCheckpoint(bytes: Uint8Array, options: RestoreOptions = {}): Module {
  const file = options.file ?? 'checkpoint';
  const bad = (what: string): never => {
    throw new FileFormatError(`${file}: ${what}. The file is not a spark-snn checkpoint or is damaged; write it again with saveCheckpoint.`);
  };
  let st;
  try {
    st = decodeSafetensors(bytes);
  } catch (e) {
    bad(`not a readable safetensors file (${(e as Error).message})`);
  }
  const meta = st!.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) bad(`__metadata__.format is ${JSON.stringify(meta.format)}, expected "${CHECKPOINT_FORMAT}"`);
  if (meta.format_version !== CHECKPOINT_VERSION) bad(`unsupported checkpoint format_version ${JSON.stringify(meta.format_version)}`);
  const parse = (key: string): unknown => {
    try {
      return JSON.parse(meta[key] ?? '');
    } catch {
      return bad(`__metadata__.${key} is not valid JSON`);
    }
  };
  const neuronTypes = parse('neuron_types') as Record<string, unknown>;
  for (const [type, json] of Object.entries(neuronTypes ?? {})) {
    // A type registered by other means (not from a config) is taken as is.
    if (REGISTRY.has(type) && !neuronTypeConfig(type)) continue;
    const cfg = decodeScfgText(JSON.stringify(json), `${file} (__metadata__.neuron_types.${type})`).config;
    registerNeuronFromConfig(type, cfg);
  }
  if (typeof meta.model !== 'string') bad('__metadata__.model is missing');
  const config: Config = decodeScfgText(meta.model, `${file} (__metadata__.model)`).config;
  const compat = (meta.compat === 'spark' ? 'spark' : 'correct') as Compat;
  const cls = REGISTRY.getModule(config.schema.classRef ?? config.type.replace(/_config$/, ''));
  const module = new cls(config, { compat, name: meta.name || undefined, engine: options.engine });
  const specsRaw = parse('input_specs') as Record<string, { payload: string; shape: number[] }>;
  if (typeof specsRaw !== 'object' || specsRaw === null) bad('__metadata__.input_specs must be an object');
  if (module instanceof Brain) {
    module.buildFromShapes(Object.fromEntries(Object.entries(specsRaw).map(([k, v]) => [k, v.shape])));
  } else {
    const specs: Record<string, PortSpec> = {};
    for (const [port, v] of Object.entries(specsRaw)) {
      if (!(PAYLOAD_TYPES as readonly string[]).includes(v.payload)) bad(`input_specs.${port} has unknown payload ${v.payload}`);
      const inh = st!.tensors[`input/${port}/inhibitory`];
      specs[port] = { payload: v.payload as PayloadType, shape: v.shape, ...(inh ? { inhibitory: inh.data as Uint8Array } : {}) };
    }
    module.build(specs);
    module.bind(Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, createPayload(s)])));
  }
  restoreState(module, st!.tensors, file);
  return module;
}

/** Part of a module's state (see restoreState). */
export interface StateScope {
  /** Child modules (by name) whose whole subtrees are restored. */
  modules: ReadonlySet<string>;
  /** State payloads of the root itself to restore too (e.g. a Brain's edge caches of those modules' outputs). */
  rootPayloads: readonly string[];
}

/**
 * Copies saved state into a module built from the same config. With `scope`, only that part, and
 * other tensors are ignored.
 */
export function restoreState(module: Module, tensors: Record<string, SafetensorsTensor>, file = 'checkpoint', scope?: StateScope): void {
  const need = (name: string): SafetensorsTensor => {
    const t = tensors[name];
    if (!t) throw new FileFormatError(`${file}: tensor '${name}' is missing; the checkpoint does not match its model config.`);
    return t;
  };
  const used = new Set<string>();
  const take = (name: string) => {
    used.add(name);
    return need(name);
  };
  const inScope = (path: string): boolean => !scope || [...scope.modules].some((n) => path === `${ROOT}.${n}` || path.startsWith(`${ROOT}.${n}.`));
  for (const [path, m] of walk(module)) {
    if (!inScope(path)) {
      if (path === ROOT) for (const key of scope!.rootPayloads) restorePayload(m.statePayloads().get(key)!, take(`${path}/payload/${key}`), `${path}/payload/${key}`, file);
      continue;
    }
    m.rng.setState(take(`${path}/rng`).data);
    if (m instanceof Controller) m.t = take(`${path}/t`).data[0];
    for (const name of m.stateArrays().keys()) {
      try {
        m.restoreState(name, take(`${path}/state/${name}`).data);
      } catch (e) {
        if (e instanceof SparkError) e.message = `${file}: ${path}: ${e.message}`;
        throw e;
      }
    }
    for (const [key, p] of m.statePayloads()) restorePayload(p, take(`${path}/payload/${key}`), `${path}/payload/${key}`, file);
  }
  if (scope) return;
  const extra = Object.keys(tensors).filter((k) => !used.has(k) && !k.startsWith('input/'));
  if (extra.length) throw new FileFormatError(`${file}: tensor '${extra[0]}' belongs to no module of the model; the checkpoint does not match its model config.`);
}

/** A saved payload back in place: spikes as their active indices, values as their array. */
function restorePayload(p: Payload, t: SafetensorsTensor, name: string, file: string): void {
  if (p instanceof SpikeArray) {
    p.clear();
    for (let k = 0; k < t.data.length; k++) {
      const i = t.data[k];
      if (!(i >= 0 && i < p.size)) throw new FileFormatError(`${file}: ${name} has spike index ${i} outside 0..${p.size - 1}.`);
      p.add(i);
    }
    return;
  }
  const data = (p as unknown as { data: TypedArray }).data;
  if (t.data.length !== data.length) {
    throw new FileFormatError(`${file}: ${name} has ${t.data.length} values, expected ${data.length}; the checkpoint does not match its model.`);
  }
  data.set(t.data);
}
