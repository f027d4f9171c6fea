/**
 * Describes registered modules from their schemas and port declarations: one source for
 * `spark modules`, docs/components.md and the editor's palette and inspector.
 */
import { Config } from './config/config.ts';
import type { FieldSpec } from './config/field.ts';
import type { ConfigSchema } from './config/schema.ts';
import { RegistryError } from './errors.ts';
import type { ModuleClass } from './module.ts';
import { REGISTRY } from './registry.ts';

export interface FieldInfo {
  name: string;
  kind: string;
  default: unknown;
  unit?: string;
  symbol?: string;
  description: string;
  validators?: string[];
  accepts_initializer?: boolean;
  options?: readonly string[];
  required?: boolean;
}

export interface ModuleInfo {
  name: string;
  kind: 'module' | 'neuron' | 'initializer';
  category: string;
  summary: string;
  reference?: string;
  equations?: string;
  config_type: string;
  inputs: Record<string, { payload: string; description: string; optional?: boolean }>;
  outputs: Record<string, { payload: string; description: string }>;
  properties: Record<string, { payload: string; description: string; writable?: boolean }>;
  fields: FieldInfo[];
}

function defaultOf(spec: FieldSpec): unknown {
  const d = typeof spec.default === 'function' ? (spec.default as () => unknown)() : spec.default;
  if (d instanceof Config) return { type: d.schema.classRef ?? d.type, ...d.toObject() };
  if (Array.isArray(d) && d.length && typeof d[0] === 'object' && d[0] !== null && 'moduleType' in d[0]) {
    return (d as Array<{ name: string; moduleType: string }>).map((s) => `${s.name}: ${s.moduleType}`);
  }
  return d;
}

export function describeFields(schema: ConfigSchema): FieldInfo[] {
  return Object.entries(schema.fields).map(([name, f]) => ({
    name,
    kind: f.kind,
    default: defaultOf(f),
    ...(f.unit ? { unit: f.unit } : {}),
    ...(f.symbol ? { symbol: f.symbol } : {}),
    description: f.description,
    ...(f.validators?.length ? { validators: f.validators } : {}),
    ...(f.init ? { accepts_initializer: true } : {}),
    ...(f.options ? { options: f.options } : {}),
    ...(f.default === undefined && !f.nullable ? { required: true } : {}),
  }));
}

function moduleInfo(cls: ModuleClass, kind: 'module' | 'neuron'): ModuleInfo {
  let inputs = cls.inputs;
  let outputs = cls.outputs;
  if (kind === 'neuron') {
    // Neuron ports come from its module specs: build a default instance to read them.
    try {
      const inst = new cls({ units: [1] });
      inputs = inst.inputDecls();
      outputs = inst.outputDecls();
    } catch {
      /* a template that cannot be built alone keeps its static ports */
    }
  }
  return {
    name: cls.type,
    kind,
    category: cls.category,
    summary: cls.summary,
    reference: cls.reference,
    ...(cls.equations ? { equations: cls.equations } : {}),
    config_type: cls.schema.type,
    // Generic ports (control interfaces) take whatever payload type reaches them.
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, d]) => [k, d.generic ? { ...d, payload: 'any' } : d])),
    outputs: Object.fromEntries(Object.entries(outputs).map(([k, d]) => [k, d.payloadFrom ? { ...d, payload: `same as ${d.payloadFrom}` } : d])),
    properties: kind === 'neuron' ? { inhibition_mask: { payload: 'boolean_mask', description: 'True for inhibitory units.' } } : cls.properties,
    fields: describeFields(cls.schema),
  };
}

export function describeRegistry(only?: string): ModuleInfo[] {
  const out: ModuleInfo[] = [];
  for (const cls of REGISTRY.modules.values()) out.push(moduleInfo(cls, 'module'));
  for (const cls of REGISTRY.neurons.values()) out.push(moduleInfo(cls, 'neuron'));
  for (const init of REGISTRY.initializers.values()) {
    out.push({
      name: init.type,
      kind: 'initializer',
      category: 'initializer',
      summary: init.summary,
      config_type: init.schema.type,
      inputs: {},
      outputs: {},
      properties: {},
      fields: describeFields(init.schema),
    });
  }
  if (only) {
    const hit = out.filter((m) => m.name === only);
    if (!hit.length) REGISTRY.getModule(only); // throws with close matches
    if (!hit.length) throw new RegistryError(`no module named '${only}'`);
    return hit;
  }
  return out;
}

function fmt(v: unknown): string {
  if (v === undefined) return 'required';
  if (v === null) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function registryText(entries: ModuleInfo[]): string {
  const lines: string[] = [];
  for (const m of entries) {
    lines.push(`${m.name}  [${m.kind === 'module' ? m.category : m.kind}]  ${m.summary}`);
    const ports = (r: Record<string, { payload: string; optional?: boolean; writable?: boolean }>) =>
      Object.entries(r)
        .map(([k, v]) => `${k}: ${v.payload}${v.optional ? '?' : ''}${v.writable ? ' (writable)' : ''}`)
        .join(', ') || '-';
    if (m.kind !== 'initializer') {
      lines.push(`  inputs:     ${ports(m.inputs)}`);
      lines.push(`  outputs:    ${ports(m.outputs)}`);
      lines.push(`  properties: ${ports(m.properties)}`);
    }
    for (const f of m.fields) {
      if (f.name === 'modules_specs' && m.kind !== 'neuron') continue;
      lines.push(`  ${f.name.padEnd(22)} ${fmt(f.required ? undefined : f.default).padEnd(14)} ${(f.unit ?? '').padEnd(4)} ${f.description}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

export function registryMarkdown(entries: ModuleInfo[]): string {
  const out: string[] = [
    '# Components',
    '',
    'Generated from the module schemas by `spark modules --markdown`; do not edit by hand.',
    'Potentials are in mV relative to rest inside somas, currents in pA, times in ms, rates in Hz.',
    '',
  ];
  const order = ['soma', 'synapse', 'delay', 'plasticity', 'input', 'output', 'control', 'neuron', 'controller', 'initializer'];
  const sorted = [...entries].sort((a, b) => order.indexOf(a.category) - order.indexOf(b.category) || a.name.localeCompare(b.name));
  let cat = '';
  for (const m of sorted) {
    if (m.category !== cat) {
      cat = m.category;
      out.push(`## ${cat[0].toUpperCase()}${cat.slice(1)}s`, '');
    }
    out.push(`### \`${m.name}\``, '', m.summary, '');
    if (m.reference) out.push(`Source: ${m.reference}`, '');
    if (m.equations) out.push('```', m.equations.trim(), '```', '');
    if (m.kind !== 'initializer') {
      const ports = Object.entries({ ...m.inputs }).map(([k, v]) => `in \`${k}\` (${v.payload}${'optional' in v && v.optional ? ', optional' : ''})`);
      ports.push(...Object.entries(m.outputs).map(([k, v]) => `out \`${k}\` (${v.payload})`));
      ports.push(...Object.entries(m.properties).map(([k, v]) => `property \`${k}\` (${v.payload}${v.writable ? ', writable' : ''})`));
      if (ports.length) out.push(`Ports: ${ports.join('; ')}.`, '');
    }
    out.push('| field | default | unit | description |', '|---|---|---|---|');
    for (const f of m.fields) {
      const def = f.required ? 'required' : fmt(f.default);
      out.push(`| \`${f.name}\`${f.symbol ? ` (${f.symbol})` : ''} | ${def.replace(/\|/g, '\\|')} | ${f.unit ?? ''} | ${f.description}${f.accepts_initializer ? ' Scalar, per-unit array or initializer.' : ''} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
