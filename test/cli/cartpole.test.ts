/**
 * `spark cartpole` end to end on the shipped brain (short runs): the default seed, the outputs and
 * summary line, resuming from a checkpoint (bit-identical to an uninterrupted run), and --eval.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/spark.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'spark-cartpole-'));
const spark = (...args: string[]) => spawnSync(process.execPath, [BIN, 'cartpole', ...args, '--no-progress'], { encoding: 'utf8' });
const rows = (dir: string) => readFileSync(join(dir, 'curve.csv'), 'utf8').trim().split('\n');
const seedOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { seed: number | null }).seed;

test('spark cartpole: default seed 1, outputs, summary line; a resumed run (both halves on two threads) equals an uninterrupted one (on one)', () => {
  const whole = join(tmp, 'whole');
  let r = spark('--episodes', '2', '--out', whole, '--no-threads');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^episodes=2 final_ema=\d+\.\d\d steps_per_s=\d+ wall_s=\d+\.\d$/m);
  assert.equal(seedOf(whole), 1);
  const all = rows(whole);
  assert.equal(all[0], 'episode,steps,outcome,ema');
  assert.equal(all.length, 3);
  for (const f of ['learning_curve.svg', 'learning_curve.png', 'checkpoint.spark.safetensors', 'checkpoint.protocol.json']) {
    assert.ok(existsSync(join(whole, f)), f);
  }

  const first = join(tmp, 'first');
  const rest = join(tmp, 'rest');
  // With half the brain on a second thread (the default) the checkpoint and the curve must not change.
  assert.equal((JSON.parse(readFileSync(join(whole, 'run.json'), 'utf8')) as { threads: boolean }).threads, false);
  r = spark('--episodes', '1', '--out', first);
  assert.equal(r.status, 0, r.stderr);
  const threadsRan = (JSON.parse(readFileSync(join(first, 'run.json'), 'utf8')) as { threads: boolean }).threads;
  assert.equal(threadsRan, availableParallelism() >= 2);
  r = spark('--checkpoint', join(first, 'checkpoint.spark.safetensors'), '--episodes', '1', '--out', rest);
  assert.equal(r.status, 0, r.stderr);
  // Episode numbering, steps, outcome and EMA continue exactly (brain, protocol and env RNG restored).
  assert.deepEqual([rows(first)[1], rows(rest)[1]], all.slice(1));
});

test("spark cartpole: --seed file keeps the model's seeds; --eval without --episodes only evaluates", () => {
  const dir = join(tmp, 'eval');
  const r = spark('--seed', 'file', '--eval', '1', '--out', dir);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(seedOf(dir), null);
  assert.ok(existsSync(join(dir, 'eval.csv')));
  assert.ok(!existsSync(join(dir, 'curve.csv')));
  assert.match(r.stderr, /eval: 1 episodes, mean steps \d/);
});

test('spark cartpole: bad variant options are one-line errors, no stack trace', () => {
  let r = spark('--modulation-floor', '2', '--episodes', '1', '--out', join(tmp, 'bad'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--modulation-floor must be a number in \[0, 1\], got '2'/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  r = spark('--oob-threshold', '-1', '--episodes', '1', '--out', join(tmp, 'bad2'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--oob-threshold must be a number in \[0, 1\], got '-1'/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('spark cartpole: a variant is recorded in run.json and the checkpoint, and a resumed run keeps it', async () => {
  const first = join(tmp, 'variant');
  let r = spark('--episodes', '1', '--oob-threshold', '1', '--out', first);
  assert.equal(r.status, 0, r.stderr);
  const run = JSON.parse(readFileSync(join(first, 'run.json'), 'utf8')) as { protocol: { rewardOobThreshold: number; modulationFloor: number } };
  assert.equal(run.protocol.rewardOobThreshold, 1);
  assert.equal(run.protocol.modulationFloor, 0);
  const side = JSON.parse(readFileSync(join(first, 'checkpoint.protocol.json'), 'utf8')) as { variant?: object };
  assert.deepEqual(side.variant, { rewardOobThreshold: 1 });
  const rest = join(tmp, 'variant-rest');
  r = spark('--checkpoint', join(first, 'checkpoint.spark.safetensors'), '--episodes', '1', '--out', rest);
  assert.equal(r.status, 0, r.stderr);
  const resumed = JSON.parse(readFileSync(join(rest, 'run.json'), 'utf8')) as { protocol: { rewardOobThreshold: number } };
  assert.equal(resumed.protocol.rewardOobThreshold, 1);
  // The library's resume (benchmarks, scripts) applies the run's variant too.
  await import('../../src/builtins.ts');
  const { resumeCartpoleTraining } = await import('../../src/cli/cartpole.ts');
  const { protocol } = resumeCartpoleTraining(join(first, 'checkpoint.spark.safetensors'));
  assert.equal(protocol.params.rewardOobThreshold, 1);
  assert.equal(protocol.getState().episode, 1);
  rmSync(join(first, 'checkpoint.protocol.json'));
  assert.throws(() => resumeCartpoleTraining(join(first, 'checkpoint.spark.safetensors')), /has no protocol sidecar .*checkpoint\.protocol\.json.*written by a training run/);
});

test("variantOf: the tutorial's protocol has no variant; only settings that differ are recorded", async () => {
  const { variantOf } = await import('../../src/cli/cartpole.ts');
  const { CARTPOLE_PROTOCOL } = await import('../../src/tasks/cartpole/protocol.ts');
  assert.equal(variantOf(CARTPOLE_PROTOCOL), undefined);
  assert.deepEqual(variantOf({ ...CARTPOLE_PROTOCOL, modulationFloor: 0.3 }), { modulationFloor: 0.3 });
  assert.deepEqual(variantOf({ modulationFloor: 0, rewardOobThreshold: 0.3 }), { rewardOobThreshold: 0.3 });
});

test('spark cartpole: Ctrl-C saves the finished episodes, a checkpoint that resumes from them, and exits 130', async () => {
  const { spawn } = await import('node:child_process');
  const dir = join(tmp, 'interrupted');
  const child = spawn(process.execPath, [BIN, 'cartpole', '--episodes', '200', '--out', dir, '--no-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const curveRows = () => (existsSync(join(dir, 'curve.csv')) ? rows(dir).length - 1 : 0);
  while (curveRows() < 2) await new Promise((r) => setTimeout(r, 100));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  assert.equal(code, 130, stderr);
  const saved = curveRows();
  assert.match(stderr, new RegExp(`saved ${saved} of 200 episodes`));
  const side = JSON.parse(readFileSync(join(dir, 'checkpoint.protocol.json'), 'utf8')) as { protocol: { episode: number } };
  assert.equal(side.protocol.episode, saved);
  assert.ok(existsSync(join(dir, 'checkpoint.spark.safetensors')));
});

test('spark cartpole: a bad --seed names the accepted values', () => {
  const r = spark('--seed', 'abc', '--episodes', '1', '--out', join(tmp, 'badseed'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--seed must be an integer in \[0, 4294967295\] or 'file'/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
