/**
 * Shared machinery of the Neuron and Brain controllers: instantiating the module specs,
 * checking every port reference up front, merging multi-source inputs, and effects.
 *
 * Spark: spark/nn/controllers/base.py (Controller).
 */
import { type ModuleSpec, type PortMap, specPath } from '../core/config/config.ts';
import { field, type FieldSpec } from '../core/config/field.ts';
import { ConfigError, didYouMean, PortError } from '../core/errors.ts';
import { Module, type ModuleOptions } from '../core/module.ts';
import { createPayload, type Payload, type PayloadType, type PortSpec, SpikeArray, specOf } from '../core/payload.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from '../core/port.ts';
import { REGISTRY } from '../core/registry.ts';
import { formatShape, shapeSize } from '../core/shape.ts';
import type { Config } from '../core/config/config.ts';
import { CALL, SELF } from './module_spec.ts';
import type { Monitor } from '../monitors/monitor.ts';

export const controllerFields: Record<string, FieldSpec> = {
  seed: field.int(null, 'Seed; module seeds are derived from it when they have none.', { nullable: true }),
  dt: field.float(1.0, 'Time step, forced into every module.', { unit: 'ms', validators: ['positive'] }),
  modules_specs: field.moduleSpecs('The modules and how their ports are wired.'),
};

/** One input port of a module, with its resolved sources. */
interface Wire {
  port: string;
  sources: PortMap[];
}

export abstract class Controller extends Module {
  /** Child modules in declaration order. */
  readonly modules: Module[] = [];
  readonly byName = new Map<string, Module>();
  readonly specs: ModuleSpec[];
  protected callDecls: Record<string, InputPortDecl> = {};
  protected outDecls: Record<string, OutputPortDecl> = {};
  /** Monitors sampled after each step; empty costs nothing. */
  protected monitors: Monitor[] = [];
  /** The compiled step: a flat list of operations over preallocated buffers (built on bind). */
  protected plan: Array<() => void> = [];
  /** Steps taken since the last reset. */
  t = 0;

  constructor(config?: Config | Record<string, unknown>, options: ModuleOptions = {}) {
    super(config, options);
    this.specs = this.config.specs();
    const issues = [];
    for (const spec of this.specs) {
      const where = this.path ? `${this.path}.${spec.name}` : `modules_specs[${spec.name}]`;
      if (spec.name === CALL || spec.name === SELF) {
        issues.push({ path: where, message: `'${spec.name}' is reserved; rename the module` });
        continue;
      }
      if (this.byName.has(spec.name)) {
        issues.push({ path: where, message: `duplicate module name '${spec.name}'` });
        continue;
      }
      const cls = REGISTRY.getModule(spec.moduleType, where);
      const cfg = spec.config.clone();
      this.forceChildConfig(cfg);
      const child = new cls(cfg, { name: spec.name, parentSeed: this.seed, path: specPath(this.path, spec.name), compat: this.compat, engine: this.engine, arena: this.arena });
      this.modules.push(child);
      this.byName.set(spec.name, child);
    }
    if (issues.length) throw new ConfigError(issues);
    this.checkWiring();
  }

  /** Values a controller imposes on its children (Spark forces `dt`; Neurons also `units`). */
  protected forceChildConfig(cfg: Config): void {
    if ('dt' in cfg.schema.fields) cfg.values.dt = this.dt;
  }

  override children(): Module[] {
    return this.modules;
  }

  override inputDecls(): Record<string, InputPortDecl> {
    return this.callDecls;
  }

  override outputDecls(): Record<string, OutputPortDecl> {
    return this.outDecls;
  }

  override propertyDecls(): Record<string, PropertyDecl> {
    return {};
  }

  /** Child by name, with a "did you mean" when missing. */
  module(name: string): Module {
    const m = this.byName.get(name);
    if (!m) throw new PortError(`${this.label()} has no module '${name}'.${didYouMean(name, this.byName.keys())}`);
    return m;
  }

  protected wires(spec: ModuleSpec): Wire[] {
    return Object.entries(spec.inputs).map(([port, sources]) => ({ port, sources }));
  }

  /** The payload type a port reference delivers (checked before any build). */
  private sourceDecl(pm: PortMap, where: string, seen = new Set<string>()): { payload: string } {
    if (pm.origin === CALL) return { payload: '' };
    if (pm.origin === SELF) {
      const d = this.propertyDecls()[pm.port];
      if (!d) {
        throw new PortError(`${where}: ${this.label()} has no property '${pm.port}'.${didYouMean(pm.port, Object.keys(this.propertyDecls()))}`);
      }
      pm.isProperty = true;
      return d;
    }
    const src = this.byName.get(pm.origin);
    if (!src) {
      throw new PortError(
        `${where}: there is no module '${pm.origin}' in ${this.label()}.${didYouMean(pm.origin, [...this.byName.keys(), CALL])}`,
      );
    }
    const outs = src.outputDecls();
    const props = src.propertyDecls();
    if (!pm.isProperty && !(pm.port in outs) && pm.port in props) pm.isProperty = true;
    const d = pm.isProperty ? props[pm.port] : outs[pm.port];
    if (!d) {
      const names = Object.keys(pm.isProperty ? props : outs);
      throw new PortError(
        `${where}: module '${pm.origin}' (${src.cls.type}) has no ${pm.isProperty ? 'property' : 'output port'} '${pm.port}'.` +
          (didYouMean(pm.port, names) || ` Available: ${names.join(', ') || 'none'}.`),
      );
    }
    const from = pm.isProperty ? undefined : (d as OutputPortDecl).payloadFrom;
    return from ? { payload: this.forwardedPayload(pm.origin, from, seen) } : d;
  }

  /**
   * The payload type reaching a generic input port (control interfaces): that of its first
   * module source, else of the controller input feeding it, else the port's fallback type.
   */
  private forwardedPayload(moduleName: string, port: string, seen = new Set<string>()): string {
    const decl = this.byName.get(moduleName)!.inputDecls()[port];
    const sources = this.specs.find((s) => s.name === moduleName)?.inputs[port] ?? [];
    const key = `${moduleName}.${port}`;
    if (!decl || seen.has(key)) return decl?.payload ?? '';
    seen.add(key);
    const first = sources.find((pm) => pm.origin !== CALL);
    if (first) return this.sourceDecl(first, `modules_specs[${moduleName}].inputs.${port}`, seen).payload;
    const call = sources[0];
    return (call && this.callDecls[call.port]?.payload) || decl.payload;
  }

  /** Checks names and payload types of every wire, input, output and effect. */
  private checkWiring(): void {
    for (const spec of this.specs) {
      const child = this.byName.get(spec.name)!;
      const decls = child.inputDecls();
      const where = this.path ? `${this.path}.${spec.name}` : `modules_specs[${spec.name}]`;
      for (const [port, sources] of Object.entries(spec.inputs)) {
        const decl = decls[port];
        if (!decl) {
          throw new PortError(
            `${where}.inputs: module '${spec.name}' (${child.cls.type}) has no input port '${port}'.` +
              (didYouMean(port, Object.keys(decls)) || ` Its inputs are: ${Object.keys(decls).join(', ')}.`),
          );
        }
        if (sources.length === 0) throw new PortError(`${where}.inputs.${port}: the list of sources is empty.`);
        const expected = (decl.generic ? this.forwardedPayload(spec.name, port) : decl.payload) as PayloadType;
        for (const pm of sources) {
          const src = this.sourceDecl(pm, `${where}.inputs.${port}`);
          if (pm.origin === CALL) {
            const prev = this.callDecls[pm.port];
            if (prev && prev.payload !== expected) {
              throw new PortError(
                `input '${pm.port}' of ${this.label()} feeds ports of different types (${prev.payload} and ${expected} at '${spec.name}.${port}').`,
              );
            }
            this.callDecls[pm.port] = { payload: expected, description: `Feeds ${spec.name}.${port}` };
          } else if (decl.generic && src.payload !== expected) {
            throw new PortError(
              `${where}.inputs.${port}: '${pm.origin}.${pm.port}' delivers ${src.payload} but the other sources of '${spec.name}.${port}' deliver ${expected}; ` +
                'sources listed for one port are concatenated, so they must carry the same payload type.',
            );
          } else if (!decl.generic && src.payload !== decl.payload) {
            throw new PortError(
              `${where}.inputs.${port}: '${pm.origin}.${pm.port}' delivers ${src.payload} but '${spec.name}.${port}' (${child.cls.type}) expects ${decl.payload}.` +
                (decl.payload === 'current_array' && src.payload === 'spike_array' ? ' Insert a synapse module between them.' : ''),
            );
          }
        }
      }
      for (const [port, decl] of Object.entries(decls)) {
        if (!decl.optional && !(port in spec.inputs)) {
          throw new PortError(`${where}.inputs: required input port '${port}' (${decl.payload}) of '${spec.name}' is not connected.`);
        }
      }
      for (const [outName, port] of Object.entries(spec.outputs)) {
        const d = child.outputDecls()[port] ?? child.propertyDecls()[port];
        if (!d) {
          throw new PortError(
            `${where}.outputs.${outName}: module '${spec.name}' has no output port or property '${port}'.${didYouMean(port, Object.keys(child.outputDecls()))}`,
          );
        }
        if (this.outDecls[outName]) throw new PortError(`${where}.outputs: output name '${outName}' is used twice.`);
        const from = port in child.outputDecls() ? (d as OutputPortDecl).payloadFrom : undefined;
        const payload = (from ? this.forwardedPayload(spec.name, from) : d.payload) as PayloadType;
        this.outDecls[outName] = { payload, description: `From ${spec.name}.${port}` };
      }
      for (const [prop, sources] of Object.entries(spec.effects)) {
        const d = child.propertyDecls()[prop];
        if (!d?.writable) {
          throw new PortError(`${where}.effects.${prop}: '${prop}' is not a writable property of '${spec.name}' (${child.cls.type}).`);
        }
        if (sources.length === 0) throw new PortError(`${where}.effects.${prop}: the list of sources is empty.`);
        for (const pm of sources) {
          const src = this.sourceDecl(pm, `${where}.effects.${prop}`);
          if (pm.origin !== CALL && src.payload !== d.payload) {
            throw new PortError(`${where}.effects.${prop}: '${pm.origin}.${pm.port}' delivers ${src.payload}, the property is ${d.payload}.`);
          }
        }
      }
    }
  }

  /** Spec of what a port reference delivers, from built modules or recurrent contracts. */
  protected sourceSpec(pm: PortMap, callSpecs: Record<string, PortSpec>): PortSpec | undefined {
    if (pm.origin === CALL) return callSpecs[pm.port];
    if (pm.origin === SELF) return specOf(this.getProperty(pm.port));
    const src = this.byName.get(pm.origin)!;
    if (pm.isProperty) return src.built ? specOf(src.getProperty(pm.port)) : undefined;
    if (src.built) return src.outputSpecs[pm.port];
    return src.contract()?.[pm.port];
  }

  /** Spark's PortSpecs.from_portspecs_list: several sources become one flat concatenation. */
  protected mergeSpecs(specs: PortSpec[], where: string): PortSpec {
    if (specs.length === 1) return specs[0];
    const payload = specs[0].payload;
    let size = 0;
    for (const s of specs) {
      if (s.async) throw new PortError(`${where}: per-synapse (async) spikes cannot be concatenated with other sources.`);
      size += shapeSize(s.shape);
    }
    const merged: PortSpec = { payload, shape: [size] };
    if (payload === 'spike_array') {
      const inh = new Uint8Array(size);
      let off = 0;
      for (const s of specs) {
        if (s.inhibitory) inh.set(s.inhibitory, off);
        off += shapeSize(s.shape);
      }
      merged.inhibitory = inh;
    }
    return merged;
  }

  /**
   * An input payload for a module port: the single source itself, or a concatenation buffer
   * plus the operation that fills it.
   */
  protected wireInput(sources: Payload[], spec: PortSpec): { payload: Payload; fill?: () => void } {
    if (sources.length === 1) return { payload: sources[0] };
    // Concatenation copies mask and indices.
    for (const p of sources) if (p instanceof SpikeArray) p.demandDense();
    const dst = createPayload(spec);
    const offsets = new Int32Array(sources.length);
    let off = 0;
    for (let k = 0; k < sources.length; k++) {
      offsets[k] = off;
      off += sources[k].size;
    }
    const n = sources.length;
    return {
      payload: dst,
      fill: () => {
        dst.clear();
        for (let k = 0; k < n; k++) dst.copyFrom(sources[k], offsets[k]);
      },
    };
  }

  /**
   * Effect operations (property ← source), applied after all modules ran. A rule that updates
   * its input in place (declared by `inPlaceOutputs`) is aliased to the target, so no copy.
   */
  protected effectOps(order: Module[], resolve: (pm: PortMap) => Payload): Array<() => void> {
    const ops: Array<() => void> = [];
    for (const spec of this.specs) {
      const target = this.byName.get(spec.name)!;
      for (const [prop, sources] of Object.entries(spec.effects)) {
        const targetPayload = target.getProperty(prop);
        target.markEffectTarget(prop);
        if (sources.length === 1 && sources[0].origin !== CALL && sources[0].origin !== SELF && !sources[0].isProperty) {
          const rule = this.byName.get(sources[0].origin)!;
          // Safe only if nothing stepping after the rule reads the old property value.
          const after = order.slice(order.indexOf(rule) + 1).map((m) => m.name);
          const readLater = this.specs.some(
            (s) => after.includes(s.name) && Object.values(s.inputs).some((l) => l.some((pm) => pm.origin === spec.name && pm.port === prop)),
          );
          if (!readLater && rule.aliasInPlace(sources[0].port, targetPayload)) continue;
        }
        const payloads = sources.map(resolve);
        const spec0 = this.mergeSpecs(payloads.map((p) => specOf(p)), `${spec.name}.effects.${prop}`);
        if (spec0.payload !== targetPayload.type || shapeSize(spec0.shape) !== targetPayload.size) {
          throw new PortError(
            `${spec.name}.effects.${prop}: the source delivers ${spec0.payload}${formatShape(spec0.shape)} but the property is ${targetPayload.type}${formatShape(targetPayload.shape)}.`,
          );
        }
        const wired = this.wireInput(payloads, spec0);
        const fill = wired.fill;
        const src = wired.payload;
        ops.push(() => {
          if (fill) fill();
          target.setProperty(prop, src);
        });
      }
    }
    return ops;
  }

  /**
   * Binds each module of `order` to its sources (`resolve` maps a port reference to a payload)
   * and returns the plan operations that fill its concatenated inputs and step it. With `owners`,
   * the module each operation belongs to is appended there.
   */
  protected planModules(order: Module[], resolve: (pm: PortMap) => Payload, owners?: Module[]): Array<() => void> {
    const plan: Array<() => void> = [];
    this.spikeReaders = [];
    for (const child of order) {
      const spec = this.specs.find((s) => s.name === child.name)!;
      const bound: Record<string, Payload> = {};
      for (const [port, sources] of Object.entries(spec.inputs)) {
        const w = this.wireInput(sources.map(resolve), child.inputSpecs[port]);
        bound[port] = w.payload;
        if (w.payload instanceof SpikeArray) this.spikeReaders.push({ module: child, port, payload: w.payload });
        if (w.fill) {
          plan.push(w.fill);
          owners?.push(child);
        }
      }
      child.bind(bound);
      plan.push(() => child.step());
      owners?.push(child);
    }
    return plan;
  }

  /** Spike inputs bound by the last planModules, for settleSpikeReaders. */
  private spikeReaders: Array<{ module: Module; port: string; payload: SpikeArray }> = [];

  /**
   * After binding and effects: tells each spike payload whether a consumer in the plan reads its
   * mask and indices (payloads that can skip them, like N2N delays' output, then do). Outputs of
   * this controller count as read.
   */
  protected settleSpikeReaders(): void {
    const wanted = new Map<SpikeArray, boolean>();
    for (const { module, port, payload } of this.spikeReaders) {
      wanted.set(payload, (wanted.get(payload) ?? false) || module.readsSpikeMask(port));
    }
    for (const p of Object.values(this.out)) if (p instanceof SpikeArray) wanted.set(p, true);
    for (const [p, w] of wanted) p.setDenseWanted(w);
  }

  /** Runs the compiled plan, then samples the monitors. */
  step(): void {
    const plan = this.plan;
    for (let i = 0; i < plan.length; i++) plan[i]();
    this.t++;
    const mons = this.monitors;
    for (let i = 0; i < mons.length; i++) mons[i].sample(this.t - 1);
  }

  /** The controller outputs: the live payloads of the module ports named in `outputs`. */
  protected collectOutputs(): Record<string, Payload> {
    const out: Record<string, Payload> = {};
    for (const spec of this.specs) {
      const child = this.byName.get(spec.name)!;
      for (const [outName, port] of Object.entries(spec.outputs)) {
        out[outName] = port in child.out ? child.out[port] : child.getProperty(port);
      }
    }
    return out;
  }

  /** Adds a monitor sampled after every step. */
  addMonitor(m: Monitor): void {
    this.monitors.push(m);
  }

  removeMonitor(m: Monitor): void {
    this.monitors = this.monitors.filter((x) => x !== m);
  }

  /**
   * Spark's `read_state`: live payloads for several paths at once (outputs of this step, or
   * properties), e.g. `brain.readState(['A_excitatory.out_spikes', 'A_excitatory.soma.potential'])`.
   */
  readState(paths: readonly string[]): Record<string, Payload> {
    const out: Record<string, Payload> = {};
    for (const p of paths) out[p] = this.probe(p);
    return out;
  }

  /** Resolves a dotted path (`A_excitatory.soma.potential`, `spiker.spikes`) to a live payload. */
  probe(path: string): Payload {
    const parts = path.split('.');
    let mod: Module = this as Module;
    let i = 0;
    while (i < parts.length - 1 && mod instanceof Controller && mod.byName.has(parts[i])) {
      mod = mod.byName.get(parts[i])!;
      i++;
    }
    const rest = parts.slice(i).join('.');
    if (!mod.built) {
      throw new PortError(`cannot probe '${path}' yet: ${mod.label()} is built on its first step (or call buildFromShapes first).`);
    }
    if (rest in mod.out) {
      const p = mod.out[rest];
      // A live reference read between steps: payloads filled on demand must stay filled.
      if (p instanceof SpikeArray) p.demandDense();
      return p;
    }
    if (mod instanceof Controller && mod.byName.has(rest)) {
      const sub = mod.byName.get(rest)!;
      const names = [...Object.keys(sub.out), ...Object.keys(sub.propertyDecls())];
      throw new PortError(`cannot probe '${path}': that is a module, not a payload. Probe one of its outputs or properties: ${names.map((n) => `'${path}.${n}'`).join(', ')}.`);
    }
    try {
      return mod.getProperty(rest);
    } catch {
      const names = [...Object.keys(mod.out), ...Object.keys(mod.propertyDecls())];
      if (mod instanceof Controller) names.push(...mod.byName.keys());
      throw new PortError(`cannot probe '${path}': ${mod.label()} has no output, property or module '${rest}'.${didYouMean(rest, names)}`);
    }
  }
}
