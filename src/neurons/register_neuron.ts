/**
 * Custom neuron types defined by a neuron config, as Spark's `register_neuron_from_config`: the
 * config's module specs, units and inhibitory rate become the defaults of a new Neuron type
 * registered under the normalised name (`ALIFModNeuron` → `alif_mod_neuron`). From a file:
 * `registerNeuronFromConfigFile` in `src/io/model_file.node.ts`.
 */
import { Config } from '../core/config/config.ts';
import { ConfigError, RegistryError } from '../core/errors.ts';
import type { ModuleClass } from '../core/module.ts';
import { normalizeName, REGISTRY } from '../core/registry.ts';
import type { Neuron } from '../controllers/neuron.ts';
import { configToScfgText } from '../io/scfg.ts';
import { defineNeuronType, templateFromConfig } from './define_neuron.ts';

/** Configs of neuron types registered from configs, by registry name (checkpoints embed them). */
const defined = new Map<string, Config>();

/**
 * Registers a neuron type whose defaults are `config` (a `neuron_config` or another neuron
 * type's config). Registering the same name again with an equal config returns the existing
 * class; a different config under a taken name is an error, as in Spark.
 */
export function registerNeuronFromConfig(name: string, config: Config | Record<string, unknown>): ModuleClass<Neuron> {
  const type = normalizeName(name);
  const cfg = config instanceof Config ? config.clone() : new Config('neuron_config', config, type);
  const f = cfg.schema.fields;
  if (!('modules_specs' in f) || !('units' in f) || !('inhibitory_rate' in f)) {
    throw new ConfigError([
      { path: type, message: `a neuron type needs a neuron config (with modules_specs, units, inhibitory_rate); got a ${cfg.type}` },
    ]);
  }
  const existing = defined.get(type);
  if (existing) {
    if (configToScfgText(existing) === configToScfgText(cfg)) return REGISTRY.getModule(type) as ModuleClass<Neuron>;
    throw new RegistryError(`a neuron type '${type}' is already registered from a different config; choose another name.`);
  }
  if (REGISTRY.has(type)) throw new RegistryError(`a module named '${type}' is already registered; choose another name for the neuron type.`);
  const issues = cfg.validate(type, new Set(['units']));
  if (issues.length) throw new ConfigError(issues);
  const cls = defineNeuronType(type, {
    ...templateFromConfig(cfg),
    summary: `Neuron type ${type} (from a config): ${cfg.specs().map((s) => `${s.name}: ${s.moduleType}`).join(', ')}.`,
    reference: 'user-defined (register_neuron_from_config)',
  }) as ModuleClass<Neuron>;
  REGISTRY.registerNeuron(cls);
  defined.set(type, cfg);
  return cls;
}

/** The config a custom neuron type was registered from, if it was. */
export function neuronTypeConfig(type: string): Config | undefined {
  return defined.get(type);
}
