/**
 * Brain: a graph of neurons and interfaces in which every edge has exactly one step of latency.
 * Each step, every module reads the previous step's outputs (from edge caches) or this step's
 * brain inputs, all modules run, then all outputs are committed to the caches. So cycles and
 * self-connections need no special care.
 *
 * Spark: spark/nn/controllers/brain.py (Brain). Unlike Spark, `reset()` clears the edge caches
 * too, and the first step sees zeros rather than the outputs of a mock build call.
 */
import type { Config } from '../core/config/config.ts';
import type { ConfigSchema } from '../core/config/schema.ts';
import { GraphError, InputError } from '../core/errors.ts';
import type { Module, ModuleOptions } from '../core/module.ts';
import { createPayload, type Payload, type PortSpec, writeValues } from '../core/payload.ts';
import { formatShape, type Shape } from '../core/shape.ts';
import { Controller, controllerFields } from './controller.ts';
import type { Monitor } from '../monitors/monitor.ts';
import { CALL, SELF, type PortMap } from './module_spec.ts';

export const brainSchema: ConfigSchema = {
  type: 'brain_config',
  classRef: 'brain',
  controller: true,
  forces: ['dt'],
  description: 'A graph of neurons and interfaces with one step of latency per edge.',
  fields: { ...controllerFields },
};

export interface BrainOptions extends ModuleOptions {
  /** Check every input for NaN and ±Infinity on each step (costs a pass over the inputs). */
  checkNumerics?: boolean;
}

export type BrainInputs = Record<string, ArrayLike<number>>;

/** What a split brain's step and reset go through (see brain_split.ts). */
export interface SplitRunner {
  /** `count` steps (default 1) with the inputs in place. */
  step(count?: number): void;
  reset(): void;
  /** Brings this replica's copies of the other thread's modules up to date. */
  sync?(): void;
  /** Modules that run on the other thread. */
  readonly remote?: ReadonlySet<string>;
}

/** See Brain.splitParts. */
export interface SplitParts {
  /**
   * The local modules in plan order: their operations, the keys of the incoming caches they read,
   * and the keys of their outgoing ones (see below).
   */
  modules: Array<{ name: string; ops: Array<() => void>; reads: string[]; writes: string[] }>;
  /** Caches of local sources: committed locally after the step. */
  commits: Array<{ src: Payload; cache: Payload }>;
  /** Local sources that modules on the other side read, by cache key. */
  outgoing: Array<{ key: string; payload: Payload }>;
  /** Caches of the other side's sources that local modules read. */
  incoming: Array<{ key: string; payload: Payload }>;
  effects: number;
  monitors: number;
  /** Modules whose outputs are brain outputs. */
  outputs: string[];
}

export class Brain extends Controller {
  static readonly type: string = 'brain';
  static readonly category = 'controller' as const;
  static readonly schema: ConfigSchema = brainSchema;
  static readonly inputs = {};
  static readonly outputs = {};
  static readonly properties = {};
  static readonly summary = 'A graph of neurons and interfaces; every edge delays by one step.';
  static readonly reference = 'Spark: spark/nn/controllers/brain.py';

  readonly checkNumerics: boolean;
  /** Previous-step copies of every output some module reads, keyed `module.port`. */
  private caches = new Map<string, { src: Payload; cache: Payload }>();
  private commitSrc: Payload[] = [];
  private commitDst: Payload[] = [];
  private callNames: string[] = [];
  /** Modules in the order they were built (sources first, recurrent contracts where needed). */
  buildOrder: Module[] = [];
  /** The module stepped by each operation of the plan's first part (see splitParts). */
  private planOwners: Module[] = [];
  /** Operations of the plan that are effects (brain-level property writes). */
  private effectCount = 0;
  /**
   * While the step runs on two threads (BrainSplit, e.g. splitBrain from spark-snn/node), the
   * split runs the steps and resets; this brain's plan is not used.
   */
  split: SplitRunner | undefined;

  constructor(config?: Config | Record<string, unknown>, options: BrainOptions = {}) {
    super(config, options);
    this.checkNumerics = options.checkNumerics ?? false;
  }

  /** Names of the brain inputs (`__call__` ports). */
  inputNames(): string[] {
    return Object.keys(this.callDecls);
  }

  outputNames(): string[] {
    return Object.keys(this.outDecls);
  }

  /** Builds from the shape of each brain input. Called by the first `step` if not done before. */
  buildFromShapes(shapes: Record<string, Shape | number>): void {
    if (this.built) throw new InputError(`${this.label()} is already built; its input shapes are fixed (reset() restarts it).`);
    const specs: Record<string, PortSpec> = {};
    this.requireAll(Object.keys(shapes));
    for (const [name, s] of Object.entries(shapes)) {
      const decl = this.callDecls[name];
      specs[name] = { payload: decl.payload, shape: typeof s === 'number' ? [s] : [...s] };
    }
    this.build(specs);
    const own: Record<string, Payload> = {};
    for (const [name, spec] of Object.entries(specs)) own[name] = createPayload(spec);
    this.bind(own);
  }

  private requireAll(given: string[]): void {
    const missing = this.inputNames().filter((n) => !given.includes(n));
    const unknown = given.filter((n) => !(n in this.callDecls));
    if (unknown.length) {
      throw new InputError(`${this.label()} has no input '${unknown[0]}'. Its inputs are: ${this.inputNames().join(', ')}.`);
    }
    if (missing.length) {
      throw new InputError(
        `missing brain input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}. ` +
          `Give every input on the first step: ${this.inputNames().join(', ')}.`,
      );
    }
  }

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    this.buildOrder = this.resolveBuildOrder(inputSpecs);
    // One cache per module output that some module reads.
    this.caches.clear();
    for (const spec of this.specs) {
      for (const sources of [...Object.values(spec.inputs), ...Object.values(spec.effects)]) {
        for (const pm of sources) {
          if (pm.origin === CALL || pm.origin === SELF || pm.isProperty) continue;
          const key = `${pm.origin}.${pm.port}`;
          if (this.caches.has(key)) continue;
          const src = this.byName.get(pm.origin)!.out[pm.port];
          this.caches.set(key, { src, cache: createPayload(this.byName.get(pm.origin)!.outputSpecs[pm.port]) });
        }
      }
    }
    this.commitSrc = [...this.caches.values()].map((c) => c.src);
    this.commitDst = [...this.caches.values()].map((c) => c.cache);
    return this.collectOutputs();
  }

  /**
   * Builds modules once the specs of all their sources are known: from built modules first,
   * then from recurrent contracts (Spark's execution-order rule, used only for building).
   */
  private resolveBuildOrder(callSpecs: Record<string, PortSpec>): Module[] {
    const order: Module[] = [];
    const tryBuild = (allowContracts: boolean): boolean => {
      for (const spec of this.specs) {
        const child = this.byName.get(spec.name)!;
        if (child.built) continue;
        const specs: Record<string, PortSpec> = {};
        let ready = true;
        for (const [port, sources] of Object.entries(spec.inputs)) {
          const list: PortSpec[] = [];
          for (const pm of sources) {
            const src = this.byName.get(pm.origin);
            if (src && !src.built && !allowContracts) {
              ready = false;
              break;
            }
            const s = this.sourceSpec(pm, callSpecs);
            if (!s) {
              ready = false;
              break;
            }
            list.push(s);
          }
          if (!ready) break;
          specs[port] = this.mergeSpecs(list, `${spec.name}.${port}`);
        }
        if (!ready) continue;
        child.build(specs);
        order.push(child);
        return true;
      }
      return false;
    };
    while (order.length < this.modules.length) {
      if (tryBuild(false) || tryBuild(true)) continue;
      const stuck = this.modules.filter((m) => !m.built).map((m) => m.name);
      throw new GraphError(
        `${this.label()}: cannot build ${stuck.join(', ')}: they wait on each other's outputs and none of them can state its ` +
          'output shapes in advance (only Neurons have a recurrent contract). Break the loop with a Neuron.',
      );
    }
    return order;
  }

  protected override connect(): void {
    const resolve = (pm: PortMap): Payload => {
      if (pm.origin === CALL) return this.in[pm.port];
      if (pm.origin === SELF) return this.getProperty(pm.port);
      const src = this.byName.get(pm.origin)!;
      return pm.isProperty ? src.getProperty(pm.port) : this.caches.get(`${pm.origin}.${pm.port}`)!.cache;
    };
    // Declaration order, as in Spark; every module reads caches, so the order does not matter.
    this.planOwners = [];
    const plan = this.planModules(this.modules, resolve, this.planOwners);
    const src = this.commitSrc;
    const dst = this.commitDst;
    plan.push(() => {
      for (let i = 0; i < src.length; i++) {
        dst[i].clear();
        dst[i].copyFrom(src[i], 0);
      }
    });
    // Effects read this step's outputs (not the caches).
    const live = (pm: PortMap): Payload => {
      if (pm.origin === CALL) return this.in[pm.port];
      const m = this.byName.get(pm.origin)!;
      return pm.isProperty ? m.getProperty(pm.port) : m.out[pm.port];
    };
    const effects = this.effectOps(this.modules, live);
    this.effectCount = effects.length;
    plan.push(...effects);
    this.plan = plan;
    this.settleSpikeReaders();
    this.callNames = Object.keys(this.in);
  }

  /** Copies brain inputs in, checking names, sizes and (optionally) numerics. */
  setInputs(inputs: BrainInputs): void {
    if (!this.built) {
      const shapes: Record<string, number> = {};
      for (const [k, v] of Object.entries(inputs)) shapes[k] = v.length;
      this.buildFromShapes(shapes);
    }
    const names = this.callNames;
    let given = 0;
    for (const k in inputs) if (inputs[k] !== undefined) given++;
    if (given > names.length) {
      const unknown = Object.keys(inputs).find((k) => !names.includes(k));
      throw new InputError(`${this.label()} has no input '${unknown}'. Its inputs are: ${names.join(', ')}.`);
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const v = inputs[name];
      if (v === undefined) {
        throw new InputError(`missing brain input '${name}'. Every step needs: ${names.join(', ')}.`);
      }
      const target = this.in[name];
      if (v.length !== target.size) {
        throw new InputError(
          `brain input '${name}' has ${v.length} values but the brain was built for shape ${formatShape(target.shape)} (${target.size} values).`,
        );
      }
      if (this.checkNumerics) {
        for (let j = 0; j < v.length; j++) {
          if (!Number.isFinite(v[j])) {
            throw new InputError(`brain input '${name}'[${j}] is ${v[j]} at step ${this.t}; inputs must be finite numbers.`);
          }
        }
      }
      writeValues(target, v);
    }
  }

  /**
   * Runs one step, or `steps` steps with the same inputs. With `inputs`, copies them in first
   * (builds on the first call). Returns the last step's outputs. A split brain runs the steps as
   * one command, without a handshake between threads at each step.
   */
  run(inputs?: BrainInputs, steps = 1): Record<string, Payload> {
    if (inputs) this.setInputs(inputs);
    else if (!this.built) throw new InputError(`${this.label()} is not built: give its inputs (${this.inputNames().join(', ')}) on the first step.`);
    if (!Number.isInteger(steps) || steps < 1) throw new InputError(`${this.label()}.run: steps must be a positive whole number, got ${steps}.`);
    if (this.split) this.split.step(steps);
    else for (let k = 0; k < steps; k++) super.step();
    return this.out;
  }

  override step(): void {
    if (this.split) this.split.step();
    else super.step();
  }

  /**
   * The parts of the step plan that a thread running only the modules named in `local` needs
   * (see BrainSplit): their operations in plan order, the edge caches whose source is local, and
   * the caches that cross between local and other modules, in a fixed order.
   */
  splitParts(local: ReadonlySet<string>): SplitParts {
    if (!this.built) throw new InputError(`${this.label()} is not built: run one step (or buildFromShapes) before splitting it.`);
    for (const name of local) {
      if (!this.byName.has(name)) throw new InputError(`${this.label()} has no module '${name}'. Its modules are: ${[...this.byName.keys()].join(', ')}.`);
    }
    const modules: SplitParts['modules'] = [];
    this.planOwners.forEach((m, k) => {
      if (!local.has(m.name)) return;
      if (modules.at(-1)?.name !== m.name) modules.push({ name: m.name, ops: [], reads: [], writes: [] });
      modules.at(-1)!.ops.push(this.plan[k]);
    });
    // Which modules read each cache.
    const readers = new Map<string, Set<string>>();
    for (const spec of this.specs) {
      for (const sources of [...Object.values(spec.inputs), ...Object.values(spec.effects)]) {
        for (const pm of sources) {
          const key = `${pm.origin}.${pm.port}`;
          if (!readers.has(key)) readers.set(key, new Set());
          readers.get(key)!.add(spec.name);
        }
      }
    }
    const commits: SplitParts['commits'] = [];
    const outgoing: SplitParts['outgoing'] = [];
    const incoming: SplitParts['incoming'] = [];
    for (const [key, c] of this.caches) {
      const origin = key.slice(0, key.lastIndexOf('.'));
      const readBy = [...(readers.get(key) ?? [])];
      if (local.has(origin)) {
        commits.push(c);
        if (readBy.some((r) => !local.has(r))) {
          outgoing.push({ key, payload: c.src });
          modules.find((m) => m.name === origin)?.writes.push(key);
        }
      } else if (readBy.some((r) => local.has(r))) {
        incoming.push({ key, payload: c.cache });
        for (const m of modules) if (readBy.includes(m.name)) m.reads.push(key);
      }
    }
    const outputs = this.specs.filter((sp) => Object.keys(sp.outputs).length > 0).map((sp) => sp.name);
    return { modules, commits, outgoing, incoming, effects: this.effectCount, monitors: this.monitors.length, outputs };
  }

  /**
   * While split across threads: copies the other thread's modules' state into this replica, so
   * that reading it (a checkpoint) sees the current values. Otherwise nothing to do.
   */
  syncState(): void {
    this.split?.sync?.();
  }

  /** Monitors sample this thread's replica: not while the brain is split. */
  override addMonitor(m: Monitor): void {
    if (this.split) throw new InputError(`cannot add a monitor to ${this.label()} while it runs on two threads; stop() the split first.`);
    super.addMonitor(m);
  }

  /** A live payload by path (see Controller.probe); not of modules running on another thread. */
  override probe(path: string): Payload {
    const top = path.split('.')[0];
    if (this.split?.remote?.has(top)) {
      throw new InputError(
        `cannot probe '${path}': '${top}' runs on the brain's second thread, so a live reference here would not follow it. ` +
          'Probe it before splitting the brain or after stopping the split, or save a checkpoint (that syncs).',
      );
    }
    return super.probe(path);
  }

  /** Resets every module, the edge caches and the inputs. */
  reset(): void {
    this.split?.reset();
    for (const m of this.modules) if (m.built) m.reset();
    for (const c of this.caches.values()) c.cache.clear();
    for (const p of Object.values(this.in)) p.clear();
    this.t = 0;
  }

  /** The state-payload keys (see statePayloads) of the edge caches of these modules' outputs. */
  sourceCacheKeys(modules: ReadonlySet<string>): string[] {
    return [...this.caches.keys()].filter((k) => modules.has(k.slice(0, k.lastIndexOf('.')))).map((k) => `cache.${k}`);
  }

  /** Edge caches by `module.port` (checkpoints save them). */
  override statePayloads(): Map<string, Payload> {
    const m = new Map<string, Payload>();
    for (const [k, c] of this.caches) m.set(`cache.${k}`, c.cache);
    for (const [k, p] of Object.entries(this.in)) m.set(`in.${k}`, p);
    return m;
  }

}
