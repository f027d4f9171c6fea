/**
 * Registers every built-in module, neuron type and initializer under Spark's names.
 * Imported once by the package entry point; each folder lists its own modules in index.ts.
 */
import { REGISTRY } from './core/registry.ts';
import { Brain } from './controllers/brain.ts';
import { Neuron } from './controllers/neuron.ts';
import { somaModules } from './components/somas/index.ts';
import { synapseModules } from './components/synapses/index.ts';
import { delayModules } from './components/delays/index.ts';
import { plasticityModules } from './components/plasticity/index.ts';
import { interfaceModules } from './interfaces/index.ts';
import { neuronTypes } from './neurons/index.ts';
import { initializers } from './initializers/index.ts';

let done = false;

export function registerBuiltins(): void {
  if (done) return;
  done = true;
  for (const init of initializers) REGISTRY.registerInitializer(init);
  for (const cls of [Brain, Neuron, ...somaModules, ...synapseModules, ...delayModules, ...plasticityModules, ...interfaceModules]) {
    REGISTRY.registerModule(cls);
  }
  for (const cls of neuronTypes) REGISTRY.registerNeuron(cls);
}

registerBuiltins();
