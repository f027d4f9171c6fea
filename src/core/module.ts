/**
 * The module base class. A module declares typed ports and a config schema; it is built lazily
 * from its input specs (which fix its shapes and state), then stepped. All state lives in typed
 * arrays allocated at build, and `step()` reads its bound inputs and overwrites its preallocated
 * outputs, so stepping allocates nothing.
 *
 * Spark: spark/core/module.py (SparkModule).
 */
import { SharedArena } from '../wasm/arena.ts';
import { Config } from './config/config.ts';
import type { ConfigSchema } from './config/schema.ts';
import { FileFormatError, InputError, PortError } from './errors.ts';
import { createPayload, type Payload, type PortSpec, specOf, type TypedArray, writeValues } from './payload.ts';
import type { InputPortDecl, OutputPortDecl, PropertyDecl } from './port.ts';
import { deriveSeed, Rng } from './rng.ts';
import { formatShape, shapeEquals } from './shape.ts';

export type Category =
  | 'soma'
  | 'synapse'
  | 'delay'
  | 'plasticity'
  | 'input'
  | 'output'
  | 'control'
  | 'controller'
  | 'neuron';

export interface ModuleOptions {
  /** Instance name (defaults to the registry name). */
  name?: string;
  /** Seed to derive from when the config has no seed of its own. */
  parentSeed?: number;
  /** Config path prefix for error messages, e.g. `modules_specs[A].config`. */
  path?: string;
  /**
   * `'spark'` reproduces Spark's behaviour where it differs from ours on purpose (delay
   * wrap-around, EE-only quadruplet parameters; see docs/compat.md). Controllers pass it down.
   */
  compat?: Compat;
  /**
   * `'event'` (default): event-driven implementations, work proportional to spikes, with the
   * hottest loops of large N2N-delayed pools in WebAssembly where the runtime has shared
   * WebAssembly memory (src/wasm/). `'event_ts'`: the same, all in TypeScript (bit-identical; the
   * kernels' reference). `'dense'`: the straightforward per-synapse form of the same equations
   * (Spark's), the reference the event engine is tested against. Controllers pass it down; modules
   * without several forms ignore it.
   */
  engine?: Engine;
  /** The arena for per-unit WebAssembly kernels, shared within a brain (controllers pass theirs down). */
  arena?: SharedArena;
}

export type Compat = 'spark' | 'correct';
export type Engine = 'event' | 'event_ts' | 'dense';

/** The static side of a module class: what the registry, docs and editor read. */
export interface ModuleClass<M extends Module = Module> {
  new (config?: Config | Record<string, unknown>, options?: ModuleOptions): M;
  readonly type: string;
  readonly category: Category;
  readonly schema: ConfigSchema;
  readonly inputs: Record<string, InputPortDecl>;
  readonly outputs: Record<string, OutputPortDecl>;
  readonly properties: Record<string, PropertyDecl>;
  /** One-line summary. */
  readonly summary: string;
  /** Where the equations come from. */
  readonly reference: string;
  /** The update equations as plain text, for docs/components.md and `spark modules`. */
  readonly equations?: string;
}

export abstract class Module {
  readonly name: string;
  readonly config: Config;
  readonly seed: number;
  readonly rng: Rng;
  readonly dt: number;
  /** Config path prefix used in error messages. */
  readonly path: string;
  readonly compat: Compat;
  readonly engine: Engine;
  /** Shared with the rest of the brain (see SharedArena); created on first use. */
  readonly arena: SharedArena;

  built = false;
  inputSpecs: Record<string, PortSpec> = {};
  outputSpecs: Record<string, PortSpec> = {};
  /** Bound inputs (set by `bind`). */
  in: Record<string, Payload> = {};
  /** Own outputs, overwritten by every step. */
  out: Record<string, Payload> = {};
  /** Property payloads (read by controllers and plasticity rules). */
  protected props: Record<string, Payload> = {};
  private tracked = new Map<string, TypedArray>();

  constructor(config?: Config | Record<string, unknown>, options: ModuleOptions = {}) {
    const cls = this.constructor as ModuleClass;
    this.path = options.path ?? '';
    this.compat = options.compat ?? 'correct';
    this.engine = options.engine ?? 'event';
    this.arena = options.arena ?? new SharedArena();
    this.config = config instanceof Config ? config.clone() : new Config(cls.schema, config ?? {}, this.path);
    this.config.assertValid(this.path);
    this.name = options.name ?? cls.type;
    const s = this.config.values.seed;
    this.seed = typeof s === 'number' ? s >>> 0 : deriveSeed(options.parentSeed ?? 0, this.name);
    this.rng = new Rng(this.seed);
    this.dt = (this.config.values.dt as number | undefined) ?? 1;
  }

  get cls(): ModuleClass {
    return this.constructor as ModuleClass;
  }

  /** A config value, typed by the caller. */
  protected cfg<T = number>(name: string): T {
    return this.config.values[name] as T;
  }

  /**
   * Builds the module from its input specs: checks the ports, allocates state and outputs,
   * then resets. Spark's lazy `_build`.
   */
  build(inputSpecs: Record<string, PortSpec>): void {
    const inputs = this.inputDecls();
    for (const key of Object.keys(inputSpecs)) {
      if (!(key in inputs)) {
        throw new PortError(
          `${this.label()} has no input port '${key}'. Its inputs are: ${Object.keys(inputs).join(', ') || 'none'}.`,
        );
      }
    }
    for (const [port, decl] of Object.entries(inputs)) {
      const spec = inputSpecs[port];
      if (!spec) {
        if (decl.optional) continue;
        throw new PortError(`${this.label()}: input port '${port}' (${decl.payload}) is not connected.`);
      }
      if (!decl.generic && spec.payload !== decl.payload) {
        throw new PortError(
          `${this.label()}: input port '${port}' expects ${decl.payload} but receives ${spec.payload}.`,
        );
      }
    }
    this.inputSpecs = inputSpecs;
    this.out = this.setup(inputSpecs);
    this.outputSpecs = {};
    const outputs = this.outputDecls();
    for (const [port, p] of Object.entries(this.out)) {
      this.outputSpecs[port] = specOf(p, outputs[port]?.description);
    }
    this.built = true;
    this.reset();
  }

  /** Allocates state for these input specs and returns the output payloads. */
  protected abstract setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload>;

  /** Binds input payloads (read by every later `step`). */
  bind(inputs: Record<string, Payload>): void {
    for (const [port, p] of Object.entries(inputs)) {
      const spec = this.inputSpecs[port];
      if (!spec) throw new PortError(`${this.label()} has no input port '${port}'.`);
      if (p.type !== spec.payload || !shapeEquals(p.shape, spec.shape)) {
        throw new PortError(
          `${this.label()}: input '${port}' was built for ${spec.payload}${formatShape(spec.shape)} but is bound to ${p.type}${formatShape(p.shape)}.`,
        );
      }
    }
    this.in = inputs;
    this.connect();
  }

  /** Hook after `bind`: cache typed-array references for the step loop. */
  protected connect(): void {}

  /** Advances one time step. */
  abstract step(): void;

  /** Restores the initial state. */
  abstract reset(): void;

  /**
   * Builds (first time), binds and steps with plain values: a convenience for standalone use.
   * Allocates; controllers use build/bind/step instead.
   */
  call(inputs: Record<string, Payload | ArrayLike<number>>): Record<string, Payload> {
    if (!this.built) {
      const specs: Record<string, PortSpec> = {};
      for (const [port, v] of Object.entries(inputs)) {
        const decl = this.inputDecls()[port];
        if (!decl) throw new PortError(`${this.label()} has no input port '${port}'.`);
        specs[port] = isPayload(v) ? specOf(v) : { payload: decl.payload, shape: [v.length] };
      }
      this.build(specs);
      const bound: Record<string, Payload> = {};
      for (const [port, spec] of Object.entries(specs)) bound[port] = createPayload(spec);
      this.bind(bound);
    }
    for (const [port, v] of Object.entries(inputs)) {
      const target = this.in[port];
      if (!target) throw new PortError(`${this.label()} has no input port '${port}'.`);
      if (isPayload(v)) {
        if (v !== target) {
          target.clear();
          target.copyFrom(v, 0);
        }
      } else {
        if (v.length !== target.size) {
          throw new InputError(`${this.label()}: input '${port}' has ${v.length} values, expected ${target.size}.`);
        }
        writeValues(target, v);
      }
    }
    this.step();
    return this.out;
  }

  getProperty(name: string): Payload {
    const p = this.props[name];
    if (!p) {
      throw new PortError(
        `${this.label()} has no property '${name}'. Its properties are: ${Object.keys(this.props).join(', ') || 'none'}.`,
      );
    }
    return p;
  }

  /** Writes a writable property (an "effect"): copies values into the live property. */
  setProperty(name: string, value: Payload): void {
    const decl = this.propertyDecls()[name];
    if (!decl?.writable) throw new PortError(`${this.label()}: property '${name}' is not writable.`);
    const target = this.getProperty(name);
    if (target === value) return;
    target.clear();
    target.copyFrom(value, 0);
  }

  /** Input ports of this instance (controllers derive theirs from their module specs). */
  inputDecls(): Record<string, InputPortDecl> {
    return this.cls.inputs;
  }

  outputDecls(): Record<string, OutputPortDecl> {
    return this.cls.outputs;
  }

  propertyDecls(): Record<string, PropertyDecl> {
    return this.cls.properties;
  }

  /**
   * Makes output `outPort` share the payload of the input it updates in place, when the class
   * declares it (`static inPlace = { kernel: 'kernel' }`) and that input is `target`. Saves the
   * per-step copy of a plasticity rule's new kernel into the synapses.
   */
  aliasInPlace(outPort: string, target: Payload): boolean {
    const inPort = (this.cls as ModuleClass & { inPlace?: Record<string, string> }).inPlace?.[outPort];
    if (!inPort || this.in[inPort] !== target) return false;
    this.out[outPort] = target;
    this.connect();
    return true;
  }

  /**
   * Whether this module reads the mask or indices of the spike input `port` (after bind). Modules
   * that read only the spike groups of N2N delays' output say false, so the delays can skip them.
   */
  readsSpikeMask(_port: string): boolean {
    return true;
  }

  /** Called by a controller that writes `prop` through an effect every step. */
  markEffectTarget(_prop: string): void {}

  /** Specs of the outputs if known before build (Spark's recurrent contract). */
  contract(): Record<string, PortSpec> | undefined {
    return undefined;
  }

  /** Child modules (controllers). */
  children(): Module[] {
    return [];
  }

  /** Registers a state array so checkpoints save and restore it. */
  protected track<T extends TypedArray>(name: string, arr: T): T {
    this.tracked.set(name, arr);
    return arr;
  }

  /** Live state arrays by name, for checkpoints. */
  stateArrays(): Map<string, TypedArray> {
    return new Map(this.tracked);
  }

  /**
   * Restores one tracked state array from a checkpoint. A module whose arrays can change size
   * during a run overrides this to reallocate before copying.
   */
  restoreState(name: string, data: ArrayLike<number>): void {
    const arr = this.tracked.get(name);
    if (!arr) throw new FileFormatError(`${this.label()} has no state '${name}'; the checkpoint does not match this model.`);
    if (arr.length !== data.length) {
      throw new FileFormatError(
        `${this.label()}: state '${name}' has ${data.length} values in the checkpoint but ${arr.length} here; the checkpoint does not match this model.`,
      );
    }
    arr.set(data);
  }

  /** Payloads that carry state between steps (outputs by default), for checkpoints. */
  statePayloads(): Map<string, Payload> {
    return new Map(Object.entries(this.out).map(([port, p]) => [`out.${port}`, p]));
  }

  /** "leaky_soma 'soma'" — how messages name a module. */
  label(): string {
    return this.name === this.cls.type ? `${this.cls.type}` : `${this.cls.type} '${this.name}'`;
  }
}

function isPayload(v: unknown): v is Payload {
  return typeof v === 'object' && v !== null && 'type' in v && 'shape' in v && 'size' in v && 'clear' in v;
}
