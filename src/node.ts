/** Node-only entry point (`spark-snn/node`): file adapters on top of the isomorphic core. */
export * from './index.ts';
export { readModelFile, readConfigFile, writeModelFile, loadModel, registerNeuronFromConfigFile, neuronNameFromFile } from './io/model_file.node.ts';
export { saveCheckpoint, loadCheckpoint } from './io/checkpoint.node.ts';
export { readNumericCsv, writeCsv } from './io/csv.node.ts';
export { startKernelThread, stopKernelThread } from './wasm/kernel_thread.node.ts';
export { splitBrain, type BrainThreads } from './controllers/brain_thread.node.ts';
