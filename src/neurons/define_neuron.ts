/**
 * Neuron types: a Neuron subclass whose config defaults (module specs, units, rate) come from a
 * template. Prebuilt neurons use it, and so do neuron types defined by a config or a file
 * (Spark's register_neuron_from_config).
 */
import type { Config, ModuleSpec } from '../core/config/config.ts';
import type { FieldSpec } from '../core/config/field.ts';
import type { ConfigSchema } from '../core/config/schema.ts';
import type { ModuleClass } from '../core/module.ts';
import { moduleSpec, type ModuleSpecInput } from '../controllers/module_spec.ts';
import { Neuron, neuronSchema } from '../controllers/neuron.ts';

export interface NeuronTemplate {
  /** Module specs (compact form or ModuleSpec), built fresh for every new config. */
  modules: () => Array<ModuleSpecInput | ModuleSpec>;
  units?: number[];
  inhibitory_rate?: number;
  summary?: string;
  reference?: string;
}

/** A registrable Neuron class named `type` (snake_case), with config type `${type}_config`. */
export function defineNeuronType(type: string, template: NeuronTemplate): ModuleClass<Neuron> {
  const fields: Record<string, FieldSpec> = { ...neuronSchema.fields };
  fields.modules_specs = { ...fields.modules_specs, default: () => template.modules().map((m) => moduleSpec(m)) };
  if (template.units) fields.units = { ...fields.units, default: () => [...template.units!] };
  if (template.inhibitory_rate !== undefined) fields.inhibitory_rate = { ...fields.inhibitory_rate, default: template.inhibitory_rate };
  const schema: ConfigSchema = { ...neuronSchema, type: `${type}_config`, classRef: type, fields };
  const cls = class extends Neuron {
    static override readonly type: string = type;
    static override readonly schema: ConfigSchema = schema;
    static override readonly summary = template.summary ?? `Neuron type ${type}.`;
    static override readonly reference = template.reference ?? 'user-defined';
  };
  Object.defineProperty(cls, 'name', { value: type });
  return cls;
}

/** A template from an existing neuron config (its values become the defaults). */
export function templateFromConfig(config: Config): NeuronTemplate {
  return {
    modules: () => config.specs(),
    units: (config.values.units as number[] | null) ?? undefined,
    inhibitory_rate: config.values.inhibitory_rate as number | undefined,
  };
}
