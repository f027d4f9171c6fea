/**
 * Seed table for docs/cartpole.md: trains the cartpole brain for several seeds, `--jobs` runs at
 * a time (one process each), and prints a Markdown table of the first episode where the EMA
 * reaches 195 and 475, and the final EMA. Each seed writes its own folder under --out, so an
 * interrupted table keeps the seeds it finished; rerunning skips seeds whose curve is complete,
 * and resumes a seed stopped with Ctrl-C (SIGINT) from the checkpoint it saved.
 *
 *   node --import tsx scripts/cartpole_seed_table.ts --seeds 0-19 --episodes 200 --compat spark --out runs/seeds-spark
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeLearningCurve } from '../src/cli/cartpole.ts';
import { parseCurveCsv, summarizeCurve } from '../src/tasks/cartpole/curve.ts';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0-19' },
    episodes: { type: 'string', default: '200' },
    compat: { type: 'string', default: 'spark' },
    out: { type: 'string', default: 'runs/seeds' },
    jobs: { type: 'string', default: '2' },
  },
});

function parseSeeds(s: string): number[] {
  return s.split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

const seeds = parseSeeds(values.seeds);
const episodes = Number(values.episodes);
const out = values.out;
mkdirSync(out, { recursive: true });
const bin = new URL('../bin/spark.js', import.meta.url).pathname;

function curveOf(seed: number): ReturnType<typeof parseCurveCsv> {
  const f = join(out, `seed-${seed}`, 'curve.csv');
  return existsSync(f) ? parseCurveCsv(readFileSync(f, 'utf8'), f) : [];
}

function spawnCli(seed: number, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'cartpole', ...args, '--no-progress'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (d: Buffer) => process.stderr.write(`[seed ${seed}] ${d}`));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Episodes covered by the checkpoint a stopped run saved in `dir` (0 if none). */
function checkpointEpisodes(dir: string): number {
  const side = join(dir, 'checkpoint.protocol.json');
  if (!existsSync(side) || !existsSync(join(dir, 'checkpoint.spark.safetensors'))) return 0;
  return (JSON.parse(readFileSync(side, 'utf8')) as { protocol: { episode: number } }).protocol.episode;
}

async function runSeed(seed: number): Promise<void> {
  const dir = join(out, `seed-${seed}`);
  const done = curveOf(seed).length;
  if (done >= episodes) return;
  if (done > 0 && checkpointEpisodes(dir) === done) {
    // Resume in a side folder, then append its episodes and move its checkpoint up.
    const side = join(dir, 'resume');
    rmSync(side, { recursive: true, force: true });
    const code = await spawnCli(seed, ['--checkpoint', join(dir, 'checkpoint.spark.safetensors'), '--episodes', String(episodes - done), '--out', side]);
    const more = existsSync(join(side, 'curve.csv')) ? readFileSync(join(side, 'curve.csv'), 'utf8').trim().split('\n').slice(1) : [];
    if (more.length) appendFileSync(join(dir, 'curve.csv'), `${more.join('\n')}\n`);
    for (const f of ['checkpoint.spark.safetensors', 'checkpoint.protocol.json']) {
      if (existsSync(join(side, f))) renameSync(join(side, f), join(dir, f));
    }
    rmSync(side, { recursive: true, force: true });
    const title = `CartPole-v1, ab_brain.scfg (compat ${values.compat}), seed ${seed}`;
    await writeLearningCurve(curveOf(seed), join(dir, 'learning_curve.svg'), join(dir, 'learning_curve.png'), title);
    if (code !== 0) throw new Error(`seed ${seed} (resumed) exited with ${code}`);
    return;
  }
  const code = await spawnCli(seed, ['--seed', String(seed), '--episodes', String(episodes), '--compat', values.compat, '--out', dir]);
  if (code !== 0) throw new Error(`seed ${seed} exited with ${code}`);
}

const queue = [...seeds];
await Promise.all(
  Array.from({ length: Number(values.jobs) }, async () => {
    while (queue.length) await runSeed(queue.shift()!);
  }),
);

const rows = seeds.map((seed) => ({ seed, s: summarizeCurve(curveOf(seed)) }));
const fmt = (x: number | null) => (x === null ? '—' : String(x));
console.log(`| seed | first EMA ≥ 195 | first EMA ≥ 475 | final EMA (episode ${episodes - 1}) |`);
console.log('|---|---|---|---|');
for (const { seed, s } of rows) console.log(`| ${seed} | ${fmt(s.firstEma195)} | ${fmt(s.firstEma475)} | ${s.finalEma.toFixed(1)} |`);
const solved = rows.filter((r) => r.s.firstEma475 !== null).length;
console.log(`\n${solved} of ${rows.length} seeds reach EMA ≥ 475 within ${episodes} episodes (compat ${values.compat}).`);
