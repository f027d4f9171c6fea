/**
 * `spark inspect <file>`: the module tree of a model file (or checkpoint) with ports, shapes
 * and key parameters. Shapes need the input shapes: taken from the file's editor metadata,
 * overridden by `--input-shape name=4` (or `name=4x128`).
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { Config, type ModuleSpec } from '../core/config/config.ts';
import { TensorValue } from '../core/config/tensor.ts';
import { InputError } from '../core/errors.ts';
import type { Module } from '../core/module.ts';
import { createPayload, type PortSpec } from '../core/payload.ts';
import { formatShape } from '../core/shape.ts';
import { Brain } from '../controllers/brain.ts';
import { Controller } from '../controllers/controller.ts';
import { loadCheckpoint } from '../io/checkpoint.node.ts';
import { editorInputShapes, instantiate, locateError, readModelFile } from '../io/model_file.node.ts';

/** Collects a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `name=4` or `name=4x128` (also `4,128`) → shapes. */
export function parseShapes(list: string[] = []): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const item of list) {
    const m = /^([^=]+)=(\d+(?:[x,]\d+)*)$/.exec(item.trim());
    if (!m) throw new InputError(`--input-shape '${item}': write name=SIZE, e.g. signal=4 or signal=4x128.`);
    out[m[1]] = m[2].split(/[x,]/).map(Number);
  }
  return out;
}

export interface LoadedModel {
  module: Module;
  file: string;
  /** Where each input shape came from. */
  shapeSources: Record<string, string>;
  checkpoint: boolean;
}

/**
 * Loads a model file or a checkpoint (`*.safetensors`) for the CLI and builds it when every
 * input shape is known (editor metadata, then `shapes`).
 */
export function loadForCli(path: string, neurons: string[] = [], shapes: Record<string, number[]> = {}, compat?: 'spark' | 'correct'): LoadedModel {
  const file = basename(path);
  if (path.endsWith('.safetensors')) {
    const module = loadCheckpoint(path);
    return { module, file, shapeSources: Object.fromEntries(Object.keys(module.inputSpecs).map((k) => [k, 'checkpoint'])), checkpoint: true };
  }
  const doc = readModelFile(path, { neurons });
  const module = instantiate(doc, file, { compat });
  const meta = editorInputShapes(doc.config);
  const known: Record<string, number[]> = {};
  const shapeSources: Record<string, string> = {};
  const names = Object.keys(module.inputDecls());
  for (const name of names) {
    if (shapes[name]) {
      known[name] = shapes[name];
      shapeSources[name] = '--input-shape';
    } else if (meta[name]) {
      known[name] = meta[name];
      shapeSources[name] = 'editor metadata';
    }
  }
  for (const name of Object.keys(shapes)) {
    if (!names.includes(name)) throw new InputError(`${file} has no input '${name}'. Its inputs are: ${names.join(', ') || 'none'}.`);
  }
  if (names.every((n) => known[n])) {
    try {
      buildWithShapes(module, known);
    } catch (e) {
      throw locateError(e, file, doc.config, doc.version ? '$.__data__' : '$');
    }
  }
  return { module, file, shapeSources, checkpoint: false };
}

/** Builds any module from input shapes (a Brain from its input shapes, others from port specs). */
export function buildWithShapes(module: Module, shapes: Record<string, number[]>): void {
  if (module instanceof Brain) {
    module.buildFromShapes(shapes);
    return;
  }
  const specs: Record<string, PortSpec> = {};
  for (const [port, decl] of Object.entries(module.inputDecls())) {
    if (shapes[port]) specs[port] = { payload: decl.payload, shape: shapes[port] };
  }
  module.build(specs);
  module.bind(Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, createPayload(s)])));
}

const SKIP = new Set(['seed', 'dtype', 'dt', 'modules_specs']);

function showValue(v: unknown): string {
  if (v instanceof Config) {
    const inner = Object.entries(v.values)
      .filter(([k, x]) => !SKIP.has(k) && x !== null)
      .map(([k, x]) => `${k}=${showValue(x)}`)
      .join(', ');
    return `${v.type.replace(/_config$/, '')}(${inner})`;
  }
  if (v instanceof TensorValue) return v.shape.length === 0 ? String(v.flat()[0]) : `array${formatShape(v.shape)}`;
  if (Array.isArray(v)) return v.length > 8 ? `[${v.slice(0, 8).map(showValue).join(', ')}, …]` : `[${v.map(showValue).join(', ')}]`;
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  return String(v);
}

/** Key parameters: every field except seed/dtype/dt and module specs, with units. */
export function paramsText(config: Config): string {
  const parts: string[] = [];
  for (const [name, spec] of Object.entries(config.schema.fields)) {
    const v = config.values[name];
    if (SKIP.has(name) || v === null || v === undefined) continue;
    parts.push(`${name}=${showValue(v)}${spec.unit && typeof v === 'number' ? ` ${spec.unit}` : ''}`);
  }
  return parts.join(', ');
}

function sources(spec: ModuleSpec | undefined, port: string): string {
  const list = spec?.inputs[port];
  if (!list) return '';
  return ` ← ${list.map((pm) => `${pm.origin}.${pm.port}`).join(' + ')}`;
}

/** The module tree as text. */
export function inspectText(module: Module, header = ''): string {
  const lines: string[] = [];
  if (header) lines.push(header);
  const shape = (s?: PortSpec) => (s ? ` ${formatShape(s.shape)}` : '');
  const visit = (m: Module, spec: ModuleSpec | undefined, prefix: string, last: boolean, root: boolean): void => {
    const head = root ? '' : `${prefix}${last ? '└─ ' : '├─ '}`;
    const body = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
    lines.push(`${head}${m.name}: ${m.cls.type}${m.built ? '' : ' (not built)'}`);
    const params = paramsText(m.config);
    if (params) lines.push(`${body}   params: ${params}`);
    for (const [port, decl] of Object.entries(m.inputDecls())) {
      if (!root && !spec?.inputs[port] && decl.optional) continue;
      lines.push(`${body}   in  ${port}${sources(spec, port)}: ${m.inputSpecs[port]?.payload ?? decl.payload}${shape(m.inputSpecs[port])}`);
    }
    for (const [port, decl] of Object.entries(m.outputDecls())) {
      const out = m.outputSpecs[port];
      const mapped = spec ? Object.entries(spec.outputs).filter(([, p]) => p === port).map(([o]) => o) : [];
      lines.push(`${body}   out ${port}: ${out?.payload ?? decl.payload}${shape(out)}${mapped.length ? ` → ${mapped.join(', ')}` : ''}`);
    }
    for (const [prop, decl] of Object.entries(m.propertyDecls())) {
      let s = '';
      if (m.built) {
        try {
          s = ` ${formatShape(m.getProperty(prop).shape)}`;
        } catch {
          s = '';
        }
      }
      const eff = spec?.effects[prop];
      lines.push(`${body}   prop ${prop}: ${decl.payload}${s}${decl.writable ? ' (writable)' : ''}${eff ? ` ← ${eff.map((pm) => `${pm.origin}.${pm.port}`).join(' + ')}` : ''}`);
    }
    if (m instanceof Controller) {
      const kids = m.modules;
      kids.forEach((child, i) => visit(child, m.specs.find((s) => s.name === child.name), root ? '' : body, i === kids.length - 1, false));
    }
  };
  visit(module, undefined, '', true, true);
  return `${lines.join('\n')}\n`;
}

interface InspectOptions {
  neuron?: string[];
  inputShape?: string[];
  compat?: 'spark' | 'correct';
}

export function inspectCommand(path: string, opts: InspectOptions): string {
  const loaded = loadForCli(path, opts.neuron, parseShapes(opts.inputShape), opts.compat);
  const m = loaded.module;
  const shapeInfo = Object.entries(m.inputSpecs)
    .map(([k, s]) => `${k}=${formatShape(s.shape)} (${loaded.shapeSources[k] ?? '?'})`)
    .join(', ');
  let header = `${loaded.file}: ${m.config.type}${loaded.checkpoint && m instanceof Controller ? `, checkpoint at step ${m.t}` : ''}`;
  if (m.built) header += `\ninput shapes: ${shapeInfo}`;
  else {
    const missing = Object.keys(m.inputDecls()).filter((k) => !loaded.shapeSources[k]);
    header += `\nnot built: no shape for input${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; give --input-shape ${missing[0] ?? 'name'}=N to see shapes`;
  }
  return inspectText(m, header);
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('print the module tree of a model file (.scfg, .json) or checkpoint (.safetensors) with ports, shapes and parameters')
    .argument('<file>', 'model file or checkpoint')
    .option('--neuron <file>', 'neuron type file to register first (repeatable); the type is named after the file', collect, [])
    .option('--input-shape <name=size>', 'shape of a model input, e.g. signal=4 (repeatable; overrides the editor metadata)', collect, [])
    .option('--compat <mode>', "'spark' to reproduce Spark's quirks")
    .addHelpText('after', '\nExample:\n  spark inspect ab_brain.scfg --neuron alif_mod_neuron.scfg --input-shape signal=4\n')
    .action((file: string, opts: InspectOptions) => {
      process.stdout.write(inspectCommand(file, opts));
    });
}
