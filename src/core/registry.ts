/**
 * The registry: modules, neuron types, initializers, payloads and config schemas under Spark's
 * snake_case names (`leaky_soma`, `alif_neuron`, `uniform_initializer`…). Users add their own.
 *
 * Spark: spark/core/registry.py.
 */
import type { ConfigSchema } from './config/schema.ts';
import { getSchema, registerSchema } from './config/schema.ts';
import { closeMatches, RegistryError } from './errors.ts';
import type { ModuleClass } from './module.ts';
import { PAYLOAD_TYPES } from './payload.ts';
import type { Rng } from './rng.ts';
import type { Config } from './config/config.ts';
import type { Shape } from './shape.ts';

export type Subregistry = 'MODULES' | 'NEURONS';

/** An initializer: draws an array for a shape from its config (Spark's `Initializer.__call__`). */
export interface InitializerDef {
  type: string;
  schema: ConfigSchema;
  summary: string;
  /**
   * `overrides` are the caller's forced settings (Spark's `init_kwargs`), e.g. the delay range.
   * `normAxes` are the axes over which normalising initializers normalise.
   */
  init(config: Config, rng: Rng, shape: Shape, overrides?: Record<string, unknown>): Float32Array;
}

/** Spark's `normalize_str`: CamelCase → snake_case (`ALIFModNeuron` → `alif_mod_neuron`). */
export function normalizeName(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

export class Registry {
  readonly modules = new Map<string, ModuleClass>();
  readonly neurons = new Map<string, ModuleClass>();
  readonly initializers = new Map<string, InitializerDef>();
  readonly payloads = new Set<string>(PAYLOAD_TYPES);

  registerModule(cls: ModuleClass, subregistry: Subregistry = 'MODULES'): void {
    const table = subregistry === 'MODULES' ? this.modules : this.neurons;
    if (this.modules.has(cls.type) || this.neurons.has(cls.type)) {
      throw new RegistryError(`a module named '${cls.type}' is already registered; choose another name.`);
    }
    table.set(cls.type, cls);
    registerSchema(cls.schema);
  }

  registerNeuron(cls: ModuleClass): void {
    this.registerModule(cls, 'NEURONS');
  }

  registerInitializer(def: InitializerDef): void {
    if (this.initializers.has(def.type)) {
      throw new RegistryError(`an initializer named '${def.type}' is already registered.`);
    }
    this.initializers.set(def.type, def);
    registerSchema(def.schema);
  }

  has(name: string): boolean {
    return this.modules.has(name) || this.neurons.has(name);
  }

  /** A module or neuron class by registry name; a clear error with close matches otherwise. */
  getModule(name: string, where = ''): ModuleClass {
    const cls = this.modules.get(name) ?? this.neurons.get(name);
    if (cls) return cls;
    const names = [...this.modules.keys(), ...this.neurons.keys()];
    const close = closeMatches(name, names);
    let msg = `${where ? `${where}: ` : ''}there is no module named '${name}' in the registry.`;
    if (close.length) msg += ` Close matches: ${close.join(', ')}.`;
    if (name.endsWith('_neuron')) {
      msg +=
        ` '${name}' looks like a custom neuron type: register it first with registerNeuronFromConfigFile('${name}', file)` +
        ` or pass its file with --neuron.`;
    }
    throw new RegistryError(msg);
  }

  getInitializer(name: string, where = ''): InitializerDef {
    const def = this.initializers.get(name);
    if (def) return def;
    const close = closeMatches(name, this.initializers.keys());
    throw new RegistryError(
      `${where ? `${where}: ` : ''}there is no initializer named '${name}'.${close.length ? ` Close matches: ${close.join(', ')}.` : ''}`,
    );
  }

  /** Schema of a config type (`leaky_soma_config`). */
  getSchema(type: string): ConfigSchema | undefined {
    return getSchema(type);
  }
}

/** The process-wide registry with every built-in module (filled by `builtins.ts`). */
export const REGISTRY = new Registry();
