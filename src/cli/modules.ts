/**
 * `spark modules`: the registry with each module's kind, ports and config fields (defaults,
 * units). `--json` for tools, `--markdown` regenerates docs/components.md.
 */
import type { Command } from 'commander';
import { describeRegistry, registryMarkdown, registryText } from '../core/describe.ts';

export function registerModulesCommand(program: Command): void {
  program
    .command('modules')
    .description('list registered modules, neuron types and initializers with their ports and config fields')
    .argument('[name]', 'show only this module')
    .option('--json', 'machine-readable output')
    .option('--markdown', 'Markdown reference (docs/components.md)')
    .action((name: string | undefined, opts: { json?: boolean; markdown?: boolean }) => {
      const entries = describeRegistry(name);
      if (opts.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else if (opts.markdown) process.stdout.write(registryMarkdown(entries));
      else process.stdout.write(registryText(entries));
    });
}
