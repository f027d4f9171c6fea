/**
 * `spark convert <in> <out>`: between Spark's .scfg (xz-compressed JSON) and spark-snn's plain
 * .json; the output format follows the extension. NIR is not supported yet.
 */
import type { Command } from 'commander';
import { FileFormatError } from '../core/errors.ts';
import { readModelFile, writeModelFile } from '../io/model_file.node.ts';
import { collect } from './inspect.ts';

interface ConvertOptions {
  neuron?: string[];
  plain?: boolean;
}

export async function convertCommand(input: string, output: string, opts: ConvertOptions = {}): Promise<void> {
  const ext = (p: string) => p.toLowerCase().replace(/^.*(\.[^.]+)$/, '$1');
  for (const p of [input, output]) {
    if (ext(p) === '.nir') throw new FileFormatError(`${p}: NIR files are not supported yet. Convert between .scfg and .json.`);
    if (!['.scfg', '.json', '.sge'].includes(ext(p))) {
      throw new FileFormatError(`${p}: unknown model file extension; use .scfg (Spark, xz-compressed) or .json (plain).`);
    }
  }
  const doc = readModelFile(input, { neurons: opts.neuron });
  await writeModelFile(doc, output, { compress: ext(output) === '.scfg' && !opts.plain });
}

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert a model file between .scfg (Spark, xz-compressed JSON) and .json (plain); the output format follows its extension')
    .argument('<in>', 'input model file')
    .argument('<out>', 'output model file')
    .option('--neuron <file>', 'neuron type file the model needs (repeatable)', collect, [])
    .option('--plain', 'write .scfg without xz compression (Spark reads both)')
    .action(async (input: string, output: string, opts: ConvertOptions) => {
      await convertCommand(input, output, opts);
      process.stdout.write(`wrote ${output}\n`);
    });
}
