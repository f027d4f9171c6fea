/**
 * Neuron: a controller whose modules run in dependency order within one step (same-step
 * propagation: in_spikes → delays → synapses → soma → plasticity), then applies effects
 * (e.g. synapses.kernel ← plasticity.kernel). It splits its units into excitatory and inhibitory
 * by `inhibitory_rate` and exposes the split as the `inhibition_mask` property.
 *
 * Spark: spark/nn/controllers/neuron.py.
 */
import type { Config } from '../core/config/config.ts';
import { field } from '../core/config/field.ts';
import type { ConfigSchema } from '../core/config/schema.ts';
import { GraphError } from '../core/errors.ts';
import type { Module, ModuleOptions } from '../core/module.ts';
import { BooleanMask, type Payload, type PortSpec } from '../core/payload.ts';
import type { PropertyDecl } from '../core/port.ts';
import { shapeSize } from '../core/shape.ts';
import { Controller, controllerFields } from './controller.ts';
import { CALL, SELF, type PortMap } from './module_spec.ts';

export const neuronSchema: ConfigSchema = {
  type: 'neuron_config',
  classRef: 'neuron',
  controller: true,
  forces: ['dt', 'units'],
  description: 'A neuron population: modules wired within one step.',
  fields: {
    ...controllerFields,
    units: field.shape(undefined, 'Shape of the population; forced into every module that has `units`.'),
    inhibitory_rate: field.float(0.2, 'Fraction of units that are inhibitory (their spikes count −1).', {
      validators: ['zero_one'],
    }),
  },
};

const NEURON_PROPERTIES: Record<string, PropertyDecl> = {
  inhibition_mask: { payload: 'boolean_mask', description: 'True for inhibitory units.' },
};

export class Neuron extends Controller {
  static readonly type: string = 'neuron';
  static readonly category = 'neuron' as const;
  static readonly schema: ConfigSchema = neuronSchema;
  static readonly inputs = {};
  static readonly outputs = {};
  static readonly properties = NEURON_PROPERTIES;
  static readonly summary: string = 'A population whose modules propagate within the step.';
  static readonly reference: string = 'Spark: spark/nn/controllers/neuron.py';

  readonly units: number[];
  readonly inhibitionMask: BooleanMask;
  /** Children in dependency (execution) order. */
  private order: Module[] = [];

  constructor(config?: Config | Record<string, unknown>, options: ModuleOptions = {}) {
    super(config, options);
    this.units = [...this.cfg<number[]>('units')];
    const n = shapeSize(this.units);
    // floor(N·rate) units drawn without replacement are inhibitory (Spark: Neuron.__init__).
    this.inhibitionMask = new BooleanMask(this.units);
    const k = Math.floor(n * this.cfg('inhibitory_rate') + 1e-9);
    const idx = this.rng.shuffle(Int32Array.from({ length: n }, (_, i) => i));
    for (let j = 0; j < k; j++) this.inhibitionMask.data[idx[j]] = 1;
    this.props.inhibition_mask = this.inhibitionMask;
  }

  protected override forceChildConfig(cfg: Config): void {
    super.forceChildConfig(cfg);
    if ('units' in cfg.schema.fields) cfg.values.units = [...(this.config.values.units as number[])];
  }

  override propertyDecls(): Record<string, PropertyDecl> {
    return NEURON_PROPERTIES;
  }

  /** Output specs before build: every output has the population's shape and mask (Spark's recurrent contract). */
  override contract(): Record<string, PortSpec> {
    const out: Record<string, PortSpec> = {};
    for (const [name, decl] of Object.entries(this.outDecls)) {
      out[name] = { payload: decl.payload, shape: this.units };
      if (decl.payload === 'spike_array') out[name].inhibitory = this.inhibitionMask.data;
    }
    return out;
  }

  /** Kahn's algorithm over module-to-module references, ties broken by declaration order. */
  private executionOrder(): Module[] {
    const deps = new Map<string, Set<string>>();
    for (const spec of this.specs) {
      const d = new Set<string>();
      for (const list of Object.values(spec.inputs)) {
        for (const pm of list) if (pm.origin !== CALL && pm.origin !== SELF) d.add(pm.origin);
      }
      deps.set(spec.name, d);
    }
    const order: Module[] = [];
    const placed = new Set<string>();
    while (order.length < this.modules.length) {
      const next = this.modules.find((m) => !placed.has(m.name) && [...deps.get(m.name)!].every((o) => placed.has(o)));
      if (!next) {
        const left = this.modules.filter((m) => !placed.has(m.name)).map((m) => m.name);
        throw new GraphError(
          `${this.label()}: modules ${left.join(', ')} depend on each other in a cycle. A Neuron propagates within the step, so ` +
            'it cannot contain a loop; put the loop in a Brain (one step of latency per edge) or split the population.',
        );
      }
      order.push(next);
      placed.add(next.name);
    }
    return order;
  }

  protected setup(inputSpecs: Record<string, PortSpec>): Record<string, Payload> {
    this.order = this.executionOrder();
    for (const child of this.order) {
      const spec = this.specs.find((s) => s.name === child.name)!;
      const specs: Record<string, PortSpec> = {};
      for (const [port, sources] of Object.entries(spec.inputs)) {
        const list = sources.map((pm) => this.sourceSpec(pm, inputSpecs)!);
        specs[port] = this.mergeSpecs(list, `${this.name}.${spec.name}.${port}`);
      }
      child.build(specs);
    }
    return this.collectOutputs();
  }

  /** Binds children to their sources and compiles the step plan. */
  protected override connect(): void {
    const resolve = (pm: PortMap): Payload => {
      if (pm.origin === CALL) return this.in[pm.port];
      if (pm.origin === SELF) return this.getProperty(pm.port);
      const src = this.byName.get(pm.origin)!;
      return pm.isProperty ? src.getProperty(pm.port) : src.out[pm.port];
    };
    const plan = this.planModules(this.order, resolve);
    plan.push(...this.effectOps(this.order, resolve));
    this.plan = plan;
    this.settleSpikeReaders();
  }

  reset(): void {
    for (const m of this.modules) if (m.built) m.reset();
    this.t = 0;
  }
}
