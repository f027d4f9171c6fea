/**
 * The `spark` command. Each subcommand lives in its own file and registers itself here.
 * User errors (SparkError) print their message only, never a stack trace.
 */
import { Command } from 'commander';
import '../builtins.ts';
import { SparkError } from '../core/errors.ts';
import { registerCartpoleCommand } from './cartpole.ts';
import { registerConvertCommand } from './convert.ts';
import { registerInspectCommand } from './inspect.ts';
import { registerModulesCommand } from './modules.ts';
import { registerNeuronCommand } from './neuron.ts';
import { registerRunCommand } from './run.ts';

const program = new Command();
program
  .name('spark')
  .description('spark-snn: modular spiking neural networks that learn online')
  .showHelpAfterError()
  .configureOutput({ outputError: (str, write) => write(str) });

registerModulesCommand(program);
registerInspectCommand(program);
registerConvertCommand(program);
registerRunCommand(program);
registerCartpoleCommand(program);
registerNeuronCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof SparkError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
