/** spark-snn: modular spiking neural networks with online local plasticity. */
import './builtins.ts';

export { Config, initializer, type ModuleSpec, type PortMap } from './core/config/config.ts';
export { field, moduleBaseFields, type FieldSpec } from './core/config/field.ts';
export type { ConfigSchema } from './core/config/schema.ts';
export { TensorValue } from './core/config/tensor.ts';
export * from './core/errors.ts';
export { Module, type ModuleClass, type ModuleOptions, type Compat } from './core/module.ts';
export * from './core/payload.ts';
export type { InputPortDecl, OutputPortDecl, PropertyDecl } from './core/port.ts';
export { REGISTRY, Registry, normalizeName, type InitializerDef } from './core/registry.ts';
export { Rng } from './core/rng.ts';
export { type Shape, shapeSize } from './core/shape.ts';
export { resolveParam } from './core/params.ts';
export { Brain, type BrainInputs, type BrainOptions } from './controllers/brain.ts';
export { Neuron } from './controllers/neuron.ts';
export { Controller } from './controllers/controller.ts';
export { moduleSpec, portMap, CALL, SELF, type ModuleSpecInput } from './controllers/module_spec.ts';
export { defineNeuronType, templateFromConfig, type NeuronTemplate } from './neurons/define_neuron.ts';
export { registerNeuronFromConfig } from './neurons/register_neuron.ts';
export { LIFNeuron } from './neurons/lif_neuron.ts';
export { ALIFNeuron } from './neurons/alif_neuron.ts';
export { AdExNeuron } from './neurons/ad_ex_neuron.ts';
// Somas
export { Soma } from './components/somas/soma.ts';
export { LeakySoma } from './components/somas/leaky_soma.ts';
export { RefractoryLeakySoma } from './components/somas/refractory_leaky_soma.ts';
export { StrictRefractoryLeakySoma } from './components/somas/strict_refractory_leaky_soma.ts';
export { AdaptiveLeakySoma } from './components/somas/adaptive_leaky_soma.ts';
export { ALIFSoma } from './components/somas/alif_soma.ts';
export { ExponentialSoma } from './components/somas/exponential_soma.ts';
export { RefractoryExponentialSoma } from './components/somas/refractory_exponential_soma.ts';
export { AdaptiveExponentialSoma } from './components/somas/adaptive_exponential_soma.ts';
export { SimplifiedAdaptiveExponentialSoma } from './components/somas/simplified_adaptive_exponential_soma.ts';
export { IzhikevichSoma } from './components/somas/izhikevich_soma.ts';
// Synapses
export { Synapses } from './components/synapses/synapses.ts';
export { LinearSynapses } from './components/synapses/linear_synapses.ts';
export { TracedSynapses } from './components/synapses/traced_synapses.ts';
export { RDTracedSynapses } from './components/synapses/rd_traced_synapses.ts';
export { RFSTracedSynapses } from './components/synapses/rfs_traced_synapses.ts';
// Delays
export { Delays } from './components/delays/delays.ts';
export { NDelays } from './components/delays/n_delays.ts';
export { N2NDelays } from './components/delays/n2n_delays.ts';
// Plasticity
export { Plasticity } from './components/plasticity/plasticity.ts';
export { HebbianRule } from './components/plasticity/hebbian_rule.ts';
export { OjaRule } from './components/plasticity/oja_rule.ts';
export { ZenkeRule } from './components/plasticity/zenke_rule.ts';
export { ThreeFactorHebbianRule } from './components/plasticity/three_factor_hebbian_rule.ts';
export { QuadrupletRule } from './components/plasticity/quadruplet_rule.ts';
export { QuadrupletRuleTensor } from './components/plasticity/quadruplet_rule_tensor.ts';
export { StdpRule } from './components/plasticity/stdp_rule.ts';
// Interfaces
export { PoissonSpiker } from './interfaces/input/poisson_spiker.ts';
export { LinearSpiker } from './interfaces/input/linear_spiker.ts';
export { TopologicalPoissonSpiker } from './interfaces/input/topological_poisson_spiker.ts';
export { TopologicalLinearSpiker } from './interfaces/input/topological_linear_spiker.ts';
export { ExponentialIntegrator } from './interfaces/output/exponential_integrator.ts';
export { Concat } from './interfaces/control/concat.ts';
export { ConcatReshape } from './interfaces/control/concat_reshape.ts';
export { Sampler } from './interfaces/control/sampler.ts';
// Monitors
export { SpikeRecorder } from './monitors/spike_recorder.ts';
export { StateRecorder } from './monitors/state_recorder.ts';
export type { Monitor } from './monitors/monitor.ts';
// Files (browser-safe parts; Node file adapters are in 'spark-snn/node')
export { decodeScfg, decodeScfgText, encodeScfg, configToScfgText, type ScfgDocument } from './io/scfg.ts';
export { encodeCheckpoint, decodeCheckpoint } from './io/checkpoint.ts';
export { encodeSafetensors, decodeSafetensors } from './io/safetensors.ts';
// Analysis, environments, tasks
export { isiDistance, spikeDistance } from './analysis/spike_distance.ts';
export { runSingleNeuron, type SingleNeuronOptions, type SingleNeuronRun } from './analysis/single_neuron.ts';
export type { Environment, ObservationSpec, DiscreteActionSpec, StepResult } from './envs/environment.ts';
export { CartPole, type CartPoleOptions } from './envs/cartpole.ts';
export { CartpoleProtocol, CARTPOLE_PROTOCOL, type CartpoleProtocolOptions, type EpisodeRecord } from './tasks/cartpole/protocol.ts';
